import { describe, expect, it } from "vitest";
import { memoByDer } from "../../../../main/core/certificates/der-memo.js";

describe("memoByDer: a certificate's facts computed once per DER", () => {
  it("the same bytes (as bytes, a view at an offset, or base64) compute once; other bytes compute again", () => {
    let calls = 0;
    const lengthOf = memoByDer((der) => (calls++, der.length));
    const der = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]);
    const padded = new Uint8Array([9, 9, ...der, 9]);
    expect(lengthOf(der)).toBe(5);
    expect(lengthOf(new Uint8Array(der))).toBe(5);
    expect(lengthOf(padded.subarray(2, 7))).toBe(5);
    expect(lengthOf(Buffer.from(der).toString("base64"))).toBe(5);
    expect(calls).toBe(1);
    expect(lengthOf(new Uint8Array([1, 2]))).toBe(2);
    expect(calls).toBe(2);
  });

  it("bounded: past the capacity the least recently used is dropped, a recently used one is kept", () => {
    let calls = 0;
    const id = memoByDer((der) => (calls++, der[0]), 2);
    const a = new Uint8Array([1]);
    const b = new Uint8Array([2]);
    const c = new Uint8Array([3]);
    id(a);
    id(b);
    id(a); // a is now the most recently used
    id(c); // drops b
    expect(calls).toBe(3);
    id(a);
    expect(calls).toBe(3);
    id(b);
    expect(calls).toBe(4);
  });

  it("a DER that fails to parse is not remembered: the next call throws again", () => {
    let calls = 0;
    const parse = memoByDer(() => {
      calls++;
      throw new Error("unreadable");
    });
    expect(() => parse(new Uint8Array([0]))).toThrow("unreadable");
    expect(() => parse(new Uint8Array([0]))).toThrow("unreadable");
    expect(calls).toBe(2);
  });
});

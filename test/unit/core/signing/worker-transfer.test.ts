/**
 * Large documents cross between the core and a document worker without a copy on the receiving thread (issue 10,
 * docs/performance.md §4c, worker/transfer.ts). Structural, not timed: what a real MessageChannel post leaves on
 * each side (a transferred buffer is detached on the sender, byteLength 0; a lent copy leaves the caller intact).
 */
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { handOver, handOverOutput, lend, lendDocuments, ownsWholeBuffer, TRANSFER_MIN_BYTES } from "../../../../main/core/signing/worker/transfer.js";
import type { SigningRequestInput } from "../../../../main/core/signing/request.js";

function big(n = 3 * 1024 * 1024 + 5): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = i % 251;
  return bytes;
}

/** Posts `value` with `transfer` over a real channel and returns what arrives. */
async function cross<T>(value: T, transfer: ArrayBuffer[]): Promise<T> {
  const { port1, port2 } = new MessageChannel();
  const arrived = new Promise<T>((resolve) => (port2 as MessagePort).once("message", resolve));
  port1.postMessage(value, transfer);
  const received = await arrived;
  port1.close();
  port2.close();
  return received;
}

describe("worker transfer: outputs handed over", () => {
  it("a worker's output that owns its buffer moves: the sender's view is detached, the receiver's owns exactly the output", async () => {
    const output = big();
    const expected = Uint8Array.from(output);
    const transfer: ArrayBuffer[] = [];
    const value = handOverOutput({ kind: "document", document: output }, transfer);
    expect(transfer).toEqual([output.buffer]);
    const received = await cross(value, transfer);
    expect(output.byteLength).toBe(0); // detached: moved, not copied
    if (received.kind !== "document") throw new Error("kind");
    expect(ownsWholeBuffer(received.document)).toBe(true);
    expect(received.document.buffer.byteLength).toBe(expected.byteLength);
    expect(Buffer.compare(received.document, expected)).toBe(0);
  });

  it("a view on a larger buffer (a pooled Buffer, a subarray) is copied, never transferred: the rest of its buffer stays", async () => {
    const whole = big(4 * 1024 * 1024);
    const view = Buffer.from(whole.buffer, 1000, 2 * 1024 * 1024);
    const expected = Uint8Array.from(view);
    const transfer: ArrayBuffer[] = [];
    const value = handOver(view, transfer);
    expect(transfer).not.toContain(whole.buffer);
    const received = await cross(value, transfer);
    expect(whole.byteLength).toBe(4 * 1024 * 1024);
    expect(view.byteLength).toBe(expected.byteLength);
    expect(received.byteOffset).toBe(0);
    expect(received.buffer.byteLength).toBe(expected.byteLength);
    expect(Buffer.compare(received, expected)).toBe(0);
  });

  it("small payloads (a signature, a pooled Buffer) are cloned as before: nothing listed", () => {
    const transfer: ArrayBuffer[] = [];
    const pooled = Buffer.from("a short CMS signature");
    expect(handOver(pooled, transfer)).toBe(pooled);
    expect(handOverOutput({ kind: "signature", signature: new Uint8Array(TRANSFER_MIN_BYTES - 1) }, transfer).kind).toBe("signature");
    expect(transfer).toEqual([]);
  });
});

describe("worker transfer: inputs lent", () => {
  it("the caller keeps its document: a fresh whole copy crosses, the original (a Buffer view at an offset) is untouched", async () => {
    const whole = big(5 * 1024 * 1024);
    const document = Buffer.from(whole.buffer, 7, 3 * 1024 * 1024 + 1);
    const expected = Uint8Array.from(document);
    const transfer: ArrayBuffer[] = [];
    const lent = await lend(document, transfer);
    expect(transfer).toHaveLength(1);
    expect(transfer[0]).not.toBe(whole.buffer);
    const received = await cross(lent, transfer);
    expect(document.byteLength).toBe(expected.byteLength);
    expect(Buffer.compare(document, expected)).toBe(0);
    expect(lent.byteLength).toBe(0); // the lent copy moved
    expect(received.byteOffset).toBe(0);
    expect(received.buffer.byteLength).toBe(expected.byteLength);
    expect(Buffer.compare(received, expected)).toBe(0);
  });

  it("every document of a task is lent (sign, sign-batch, verify with its detached content); the task's message is not changed", async () => {
    const input = (document: Uint8Array): SigningRequestInput => ({ format: "pades", hashAlgorithm: "SHA-256", document, options: {} }) as SigningRequestInput;
    const signer = { certificate: new Uint8Array(4), chain: [], keyAlgorithm: "rsa" } as never;
    const docs = [big(), big(), new Uint8Array(10)];
    const batch = { type: "sign-batch" as const, task: 1, inputs: docs.map(input), signer, signingTime: 0, longTerm: [] };
    const lent = await lendDocuments(batch);
    expect(lent.transfer).toHaveLength(2);
    batch.inputs.forEach((item, i) => expect(item.document === docs[i] && (item.document?.byteLength ?? 0) > 0).toBe(true));
    const verify = await lendDocuments({ type: "verify", task: 2, document: big(), options: { online: false, detachedContent: big() } as never });
    expect(verify.transfer).toHaveLength(2);
    const sign = await lendDocuments({ type: "sign", task: 3, input: input(big()), signer, signingTime: 0 });
    expect(sign.transfer).toHaveLength(1);
    const received = await cross(sign.message, sign.transfer);
    expect(received.type === "sign" && received.input.document?.byteLength).toBe(big().byteLength);
  });
});

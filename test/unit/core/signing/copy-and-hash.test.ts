/**
 * The PAdES file path's single pass (main/core/signing/pdf/copy-and-hash.ts): every byte of the original is read
 * once, the output gets the same bytes in order, and the hash covers exactly what was written. Counted, not timed.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { copyAndHash, type ChunkReader, type ChunkWriter } from "../../../../main/core/signing/pdf/copy-and-hash.js";
import { isKysoError } from "../../../../main/domain/errors/kyso-error.js";

/** Deterministic bytes (no Math.random): a counter mixed so that chunks differ. */
function original(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 8)) & 0xff;
  return bytes;
}

/** An input that records every read and answers asynchronously, `shortAt` ending the file early. */
function countingReader(bytes: Buffer, shortAt = bytes.length): ChunkReader & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return {
    reads,
    async read(buffer, offset, length, position) {
      await Promise.resolve();
      const n = Math.max(0, Math.min(length, shortAt - position));
      bytes.copy(buffer, offset, position, position + n);
      reads.push([position, n]);
      return { bytesRead: n };
    },
  };
}

/** An output at its current position that writes at most `max` bytes per call (a partial write), or fails. */
function collectingWriter(max = Infinity, failAfter = Infinity): ChunkWriter & { out: Buffer[] } {
  const out: Buffer[] = [];
  let calls = 0;
  return {
    out,
    async write(buffer, offset, length) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (++calls > failAfter) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      const n = Math.min(length, max);
      out.push(Buffer.from(buffer.subarray(offset, offset + n)));
      return { bytesWritten: n };
    },
  };
}

describe("copyAndHash", () => {
  it("reads each byte once, writes the same bytes in order and hashes exactly them (partial writes completed)", async () => {
    const bytes = original(10 * 1000 + 7);
    const reader = countingReader(bytes);
    const writer = collectingWriter(700);
    const hash = createHash("sha256");
    await copyAndHash(reader, writer, bytes.length, hash, 1000);
    expect(Buffer.concat(writer.out).equals(bytes)).toBe(true);
    expect(hash.digest("hex")).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(reader.reads.map(([position]) => position)).toEqual(Array.from({ length: 11 }, (_, i) => i * 1000));
    expect(reader.reads.reduce((sum, [, n]) => sum + n, 0)).toBe(bytes.length);
  });

  it("an empty file reads nothing and writes nothing", async () => {
    const reader = countingReader(Buffer.alloc(0));
    const writer = collectingWriter();
    await copyAndHash(reader, writer, 0, createHash("sha256"), 1000);
    expect(reader.reads).toEqual([]);
    expect(writer.out).toEqual([]);
  });

  it("a file that shrinks underneath is document_invalid", async () => {
    const bytes = original(5000);
    const error = await copyAndHash(countingReader(bytes, 2500), collectingWriter(), bytes.length, createHash("sha256"), 1000).catch((e: unknown) => e);
    expect(isKysoError(error) && error.code).toBe("document_invalid");
  });

  it("a failed write fails the copy (never an unhandled rejection, never a silent short output)", async () => {
    const bytes = original(8000);
    const writer = collectingWriter(Infinity, 2);
    const error = await copyAndHash(countingReader(bytes), writer, bytes.length, createHash("sha256"), 1000).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("ENOSPC");
    expect(Buffer.concat(writer.out).length).toBe(2000);
  });
});

/**
 * The file path's one pass over the original PDF: every chunk is read once, hashed, and the same bytes are
 * written to the output, so the signature covers exactly the bytes that were copied (a file changing underneath
 * cannot make the hash and the copy disagree).
 *
 * Why pipelined: read, hash and write one chunk after another left each stage idle while the others ran. Reads
 * and writes run on libuv's pool and the hash on this thread, so the next chunk is read and the previous one
 * written while this one is hashed (docs/performance.md, PAdES). Writes stay in order, one at a time, at the
 * output's current position: the caller's later appends (the increment) follow them.
 */
import type { Hash } from "node:crypto";
import { KysoError } from "../../../domain/errors/index.js";

/** What is used of the input `FileHandle` (tests pass a counting one). */
export interface ChunkReader {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
}

/** What is used of the output `FileHandle`: a write at its current position. */
export interface ChunkWriter {
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
}

/** Buffers in flight: one being read, one being hashed, one being written. */
const DEPTH = 3;

/** Copies `size` bytes of `input` from offset 0 to `output`, feeding each chunk into `hash` as it goes by. */
export async function copyAndHash(input: ChunkReader, output: ChunkWriter, size: number, hash: Hash, chunkBytes: number): Promise<void> {
  const buffers = Array.from({ length: DEPTH }, () => Buffer.allocUnsafe(chunkBytes));
  // Settles when the write that last used a buffer is done: a read into that buffer waits for it.
  const written: Promise<void>[] = buffers.map(() => Promise.resolve());
  let writes = Promise.resolve();
  let writeError: unknown;

  const readInto = async (slot: number, position: number): Promise<number> => {
    await written[slot];
    const { bytesRead } = await input.read(buffers[slot]!, 0, Math.min(chunkBytes, size - position), position);
    return bytesRead;
  };
  const writeAll = async (view: Buffer): Promise<void> => {
    for (let done = 0; done < view.length; ) {
      const { bytesWritten } = await output.write(view, done, view.length - done);
      done += bytesWritten;
    }
  };

  let position = 0;
  let slot = 0;
  let pending = size > 0 ? readInto(0, 0) : undefined;
  while (pending) {
    const bytesRead = await pending;
    if (writeError !== undefined) throw writeError;
    if (bytesRead === 0) {
      await writes;
      throw new KysoError("document_invalid", "the PDF changed while it was being signed");
    }
    const view = buffers[slot]!.subarray(0, bytesRead);
    position += bytesRead;
    const next = (slot + 1) % DEPTH;
    pending = position < size ? readInto(next, position) : undefined;
    hash.update(view);
    // Chained: in file order, each at the position the previous one left. Errors are kept, never unhandled.
    writes = writes.then(() => (writeError === undefined ? writeAll(view) : undefined)).catch((error: unknown) => void (writeError ??= error));
    written[slot] = writes;
    slot = next;
  }
  await writes;
  if (writeError !== undefined) throw writeError;
}

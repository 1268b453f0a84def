/**
 * Large documents cross between the core and a document worker without a structured-clone copy on the receiving
 * thread (docs/performance.md §4c): a 100 MB PDF cloned into the worker and its signed copy cloned back cost the
 * core's event loop about 600 ms. Instead each side hands over ArrayBuffers it wholly owns (postMessage's transfer
 * list), which moves the memory without copying it.
 *
 * - Core to worker (`lendDocuments`): the caller keeps its document (the approval preview and later calls read the
 *   same bytes), so it is copied once (in slices, the loop let go between) into a fresh ArrayBuffer that is transferred.
 * - Worker to core (`handOver`): the worker no longer needs its output, so an output that owns its whole
 *   ArrayBuffer moves as it is; a view on a larger buffer (a pooled Node Buffer, a subarray) is first copied into
 *   its own buffer, never transferred, since the rest of that buffer is not the output's.
 * Small payloads (certificates, digests) are cloned as before: a transfer only pays off for large bytes.
 */
import type { SigningRequestInput } from "../request.js";
import type { SignOutput } from "../types.js";
import type { TaskMessage } from "./cpu-budget.js";

/** Below this, cloning is as cheap as a transfer and keeps the sender's bytes intact. */
export const TRANSFER_MIN_BYTES = 64 * 1024;

/** True when `bytes` is the whole of a plain (not shared) ArrayBuffer: only then may it be transferred. */
export function ownsWholeBuffer(bytes: Uint8Array): boolean {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}

/**
 * Fresh memory is the cost, not the copy: a 100 MB memcpy into an already touched buffer takes ~8 ms, into a new one
 * ~400 ms on the test machine (page faults; a structured clone pays the same in its serialiser). So the copy is
 * made in slices of this size with the event loop let go in between: each slice stalls the loop a few ms.
 */
export const COPY_SLICE_BYTES = 1024 * 1024;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A copy of `bytes` in a fresh ArrayBuffer, listed in `transfer`; small or absent bytes are returned as they are.
 * The caller's bytes are never listed: they stay readable after the post.
 */
export async function lend<T extends Uint8Array | undefined>(bytes: T, transfer: ArrayBuffer[]): Promise<T> {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength < TRANSFER_MIN_BYTES) return bytes;
  const copy = new Uint8Array(bytes.byteLength);
  for (let offset = 0; offset < bytes.byteLength; offset += COPY_SLICE_BYTES) {
    if (offset > 0) await nextTurn();
    copy.set(bytes.subarray(offset, offset + COPY_SLICE_BYTES), offset);
  }
  transfer.push(copy.buffer);
  return copy as T;
}

/**
 * `bytes` (or, when it does not own its whole buffer, a copy of it) listed in `transfer`: after the post the
 * sender's view is detached (byteLength 0). For outputs the sender is done with.
 */
export function handOver<T extends Uint8Array | undefined>(bytes: T, transfer: ArrayBuffer[]): T {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength < TRANSFER_MIN_BYTES) return bytes;
  const own = ownsWholeBuffer(bytes) ? bytes : new Uint8Array(bytes);
  // The same buffer twice in a transfer list is a DataCloneError.
  if (!transfer.includes(own.buffer as ArrayBuffer)) transfer.push(own.buffer as ArrayBuffer);
  return own as T;
}

/** A task's message with its documents lent (`lend`), and the transfer list to post it with. */
export async function lendDocuments(message: TaskMessage): Promise<{ readonly message: TaskMessage; readonly transfer: ArrayBuffer[] }> {
  const transfer: ArrayBuffer[] = [];
  const input = async (item: SigningRequestInput): Promise<SigningRequestInput> => (item.document ? { ...item, document: await lend(item.document, transfer) } : item);
  switch (message.type) {
    case "prepare":
    case "sign":
      return { message: { ...message, input: await input(message.input) }, transfer };
    case "sign-batch": {
      // One after the other: the copies' page faults should not pile up in one turn of the loop.
      const inputs: SigningRequestInput[] = [];
      for (const item of message.inputs) inputs.push(await input(item));
      return { message: { ...message, inputs }, transfer };
    }
    case "verify": {
      const detached = message.options.detachedContent;
      const options = detached ? { ...message.options, detachedContent: await lend(detached, transfer) } : message.options;
      return { message: { ...message, document: await lend(message.document, transfer), options }, transfer };
    }
  }
}

/** A worker's output with its bytes handed over (`handOver`), for a `signed` or `signed-batch` answer. */
export function handOverOutput(value: SignOutput, transfer: ArrayBuffer[]): SignOutput {
  return value.kind === "signature" ? { kind: "signature", signature: handOver(value.signature, transfer) } : { kind: "document", document: handOver(value.document, transfer) };
}

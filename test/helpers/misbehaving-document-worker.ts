/**
 * A document worker that misbehaves on purpose, for the bounds of main/core/signing/worker/document-workers.ts:
 * `options.behaviour` in the request says what to do — spin forever, allocate until the heap cap, crash, or answer.
 * It speaks the real worker's message protocol (messages.ts).
 */
import { readlinkSync } from "node:fs";
import { parentPort } from "node:worker_threads";
import type { FromWorker, ToWorker } from "../../main/core/signing/worker/messages.js";

const port = parentPort!;
const post = (message: FromWorker): void => port.postMessage(message);

port.on("message", (message: ToWorker) => {
  if (message.type === "signed-digest" || message.type === "signed-digests" || message.type === "sign-batch" || message.type === "revocation-answer" || message.type === "verify") return;
  const behaviour = (message.input.options as { behaviour?: string } | undefined)?.behaviour;
  if (behaviour === "spin") for (;;);
  if (behaviour === "allocate") {
    const hoard: unknown[] = [];
    for (;;) hoard.push({ index: hoard.length, text: `filler ${hoard.length}`.repeat(8) });
  }
  if (behaviour === "crash") throw new Error("worker crashed on purpose");
  post({ type: "prepared", task: message.task, value: { description: { kind: "data", size: 0, sha256: "" }, refused: [], signature: { format: "raw" } } });
});

try {
  post({ type: "thread", statPath: `/proc/${readlinkSync("/proc/thread-self")}/stat` });
} catch {
  // no /proc here: wall time is charged
}
post({ type: "ready" });

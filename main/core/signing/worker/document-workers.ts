/**
 * The bounded workers that read page documents (threat model: "untrusted bytes are parsed only in a bounded
 * worker"). The core's event loop, and in the app the Electron main process with the tray and every window,
 * never parses a page's PDF or XML: it posts the bytes here and waits for an answer or a typed refusal.
 *
 * Bounds, per task:
 * - CPU: a budget that grows with the document's size (`cpuBudgetMs`, metered in cpu-budget.ts; the worker's waits
 *   on the core, worker-calls.ts, are not charged). Over budget the worker is terminated and the task fails
 *   `document_too_complex`.
 * - Memory: V8 heap limits per worker (`resourceLimits`); a worker that runs out dies alone, same error.
 * A dead worker is replaced on the next task; the others keep working.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Signer } from "../../../domain/signer.js";
import { KysoError, fromPayload } from "../../../domain/errors/kyso-error.js";
import type { LongTermData } from "../long-term/validation-data.js";
import type { CandidateKey, LongTermOutcome, PreparedItem } from "../prepare.js";
import type { SigningRequestInput } from "../request.js";
import type { SignOutput, TimestampAuthority } from "../types.js";
import type { VerificationReport } from "../../../domain/wire/verify-report.js";
import type { RevocationLookupService } from "../../verify/revocation-evidence.js";
import type { BatchItemOutcome, FromWorker, ToWorker, VerifyWorkerOptions } from "./messages.js";
import { budgetFormat, charged, cpuBudgetMs, documentSize, pauseMeter, resumeMeter, startMeter, stopMeter, type CpuMeter, type TaskMessage } from "./cpu-budget.js";
import { answerWorkerCall } from "./worker-calls.js";
import { lendDocuments } from "./transfer.js";

/**
 * V8 old-space cap per worker. A 16 MiB e-invoice's DOM and canonical text peak at about 1.2 GB of heap (45 bytes
 * of heap per byte of XML); a billion-node document does not fit. Document buffers are outside this cap.
 */
export const WORKER_HEAP_MB = 1_280;
/**
 * Workers at once (more tasks queue). None starts before the first document request: an idle worker holds tens of
 * MB (docs/performance.md, app). After a task the extra workers end after `IDLE_MS`; the last one stays warm for
 * the next request of a session and ends after `LAST_IDLE_MS` without one.
 */
export const MAX_WORKERS = 3;
export const IDLE_MS = 30_000;
export const LAST_IDLE_MS = 5 * 60_000;
/** How often a running task's CPU time is checked. */
const CHECK_MS = 50;

export interface DocumentWorkersOptions {
  readonly maxWorkers?: number;
  readonly heapMb?: number;
  /** Budget in ms for a document of this size and format (tests shrink it). */
  readonly budgetMs?: (documentBytes: number, format: string) => number;
  /** Worker entry (tests pass a misbehaving one); default: the document worker next to this file. */
  readonly entry?: string;
  /** Idle time before an extra worker ends, and before the last one ends (defaults `IDLE_MS`, `LAST_IDLE_MS`). */
  readonly idleMs?: number;
  readonly lastIdleMs?: number;
}

export interface DocumentWorkerStats {
  readonly workers: number;
  readonly busy: number;
  readonly queued: number;
  /** Workers terminated for going over a budget or dying, since start. */
  readonly killed: number;
}

export interface DocumentWorkers {
  prepare(input: SigningRequestInput, candidates: readonly CandidateKey[], timestampAuthority: boolean, longTerm?: Readonly<Record<string, LongTermOutcome>>): Promise<PreparedItem>;
  sign(
    input: SigningRequestInput,
    signer: Signer,
    context: { readonly signingTime: Date; readonly timestampAuthority?: TimestampAuthority; readonly longTerm?: LongTermData },
  ): Promise<SignOutput>;
  /**
   * Every item of a batch in one task (one worker holds all its documents), the signer asked once for all the
   * digests (`sign-digests`): a remote account's one phone confirmation. Each item's outcome in order.
   */
  signBatch(
    inputs: readonly SigningRequestInput[],
    signer: Signer,
    context: { readonly signingTime: Date; readonly timestampAuthority?: TimestampAuthority; readonly longTerm: readonly (LongTermData | undefined)[] },
  ): Promise<readonly BatchItemOutcome[]>;
  /**
   * Validates every signature of a received PDF, XML or CMS in a worker (untrusted bytes are never parsed here);
   * the format is recognised from the content (`sniffFormat`), a detached `.p7s` takes its content in
   * `options.detachedContent`. With
   * `online`, the worker asks `revocation` (the core's RevocationService) when the document carries no usable
   * revocation data; the wait is not charged to the document's CPU budget.
   */
  verifyDocument(document: Uint8Array, options: Omit<VerifyWorkerOptions, "online">, revocation?: RevocationLookupService): Promise<VerificationReport>;
  /** Starts one worker ahead of a request (its module loading is then not on the request's path). */
  warm(): void;
  stats(): DocumentWorkerStats;
  close(): Promise<void>;
}

type TaskValue = PreparedItem | SignOutput | VerificationReport | readonly BatchItemOutcome[];

interface Task {
  readonly message: TaskMessage;
  readonly budgetMs: number;
  readonly signer?: Signer;
  readonly revocation?: RevocationLookupService;
  resolve(value: TaskValue): void;
  reject(error: KysoError): void;
}

/** One worker of the pool, and the meter of the task it runs. */
interface Slot extends CpuMeter {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  task?: Task;
  idleTimer?: NodeJS.Timeout;
}

export function defaultWorkerEntry(): { file: string; source: boolean } {
  const js = fileURLToPath(new URL("./document-worker.js", import.meta.url));
  if (existsSync(js)) return { file: js, source: false };
  return { file: fileURLToPath(new URL("./document-worker.ts", import.meta.url)), source: true };
}

export function createDocumentWorkers(options: DocumentWorkersOptions = {}): DocumentWorkers {
  const maxWorkers = options.maxWorkers ?? MAX_WORKERS;
  const budgetFor = options.budgetMs ?? cpuBudgetMs;
  const idleMs = options.idleMs ?? IDLE_MS;
  const lastIdleMs = Math.max(idleMs, options.lastIdleMs ?? LAST_IDLE_MS);
  const slots = new Set<Slot>();
  const queue: Task[] = [];
  let nextTask = 0;
  let killed = 0;
  let closed = false;
  let watchdog: NodeJS.Timeout | undefined;

  function spawn(): Slot {
    const entry = options.entry ? { file: options.entry, source: options.entry.endsWith(".ts") } : defaultWorkerEntry();
    const resourceLimits = { maxOldGenerationSizeMb: options.heapMb ?? WORKER_HEAP_MB, maxYoungGenerationSizeMb: 64 };
    const worker = entry.source
      ? new Worker(new URL("./source-bootstrap.mjs", import.meta.url), { workerData: { entry: new URL(`file://${entry.file}`).href }, resourceLimits })
      : new Worker(entry.file, { resourceLimits });
    let markReady!: () => void;
    const slot: Slot = { worker, ready: new Promise<void>((resolve) => (markReady = resolve)), chargedMs: 0, paused: false };
    worker.unref();
    worker.on("message", (message: FromWorker) => {
      if (message.type === "ready") {
        markReady();
        return;
      }
      if (message.type === "thread") {
        slot.statPath = message.statPath;
        return;
      }
      onMessage(slot, message);
    });
    worker.on("error", (error: Error & { code?: string }) => {
      const tooBig = error.code === "ERR_WORKER_OUT_OF_MEMORY";
      retire(slot, tooBig ? new KysoError("document_too_complex", "the document needed more memory than a document worker may use") : undefined, error);
    });
    worker.on("exit", () => retire(slot, undefined));
    slots.add(slot);
    return slot;
  }

  function retire(slot: Slot, error: KysoError | undefined, cause?: Error): void {
    if (!slots.delete(slot)) return;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    const task = slot.task;
    slot.task = undefined;
    if (task) {
      killed++;
      const fallback =
        task.message.type !== "sign"
          ? new KysoError("document_invalid", `the document worker stopped: ${cause?.message ?? "exited"}`)
          : new KysoError("internal", `the document worker stopped while signing: ${cause?.message ?? "exited"}`);
      task.reject(error ?? fallback);
    }
    void slot.worker.terminate();
    pump();
  }

  function checkBudgets(): void {
    for (const slot of slots) {
      const task = slot.task;
      if (!task || slot.paused) continue;
      if (charged(slot) > task.budgetMs) {
        retire(slot, new KysoError("document_too_complex", `reading the document took more than ${task.budgetMs} ms of CPU`));
      }
    }
    if (![...slots].some((s) => s.task) && watchdog) {
      clearInterval(watchdog);
      watchdog = undefined;
    }
  }

  function onMessage(slot: Slot, message: FromWorker): void {
    const task = slot.task;
    if (!task || !("task" in message) || message.task !== task.message.task) return;
    switch (message.type) {
      case "pause":
        return pauseMeter(slot);
      case "resume":
        return resumeMeter(slot);
      case "sign-digest":
      case "sign-digests":
      case "revocation-check":
        // The worker waits on the core (the token, the user, a revocation lookup): not charged to its budget.
        pauseMeter(slot);
        return answerWorkerCall(message, task, (answer) => {
          if (slot.task !== task) return;
          resumeMeter(slot);
          slot.worker.postMessage(answer satisfies ToWorker);
        });
      case "prepared":
      case "signed":
      case "signed-batch":
      case "verified":
        finish(slot);
        return task.resolve(message.value);
      case "failed":
        finish(slot);
        return task.reject(fromPayload(message.error));
    }
  }

  function finish(slot: Slot): void {
    slot.task = undefined;
    stopMeter(slot);
    pump();
    if (!slot.task) idle(slot);
  }

  function idle(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    const later = (ms: number, then: () => void): void => {
      slot.idleTimer = setTimeout(() => {
        if (!slot.task) then();
      }, ms);
      slot.idleTimer.unref();
    };
    // The extra workers give their memory back soon; the last one waits longer for the session's next request.
    later(idleMs, () => (slots.size > 1 ? retire(slot, undefined) : later(lastIdleMs - idleMs, () => retire(slot, undefined))));
  }

  function start(slot: Slot, task: Task): void {
    slot.task = task;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    void slot.ready.then(async () => {
      if (slot.task !== task) return;
      // The documents go as a sliced copy into buffers the worker then owns, not a structured clone (transfer.ts):
      // the loop is never held for the whole document. Copied only now, so a queued task holds no second copy;
      // the caller's bytes stay intact. The copy is the core's work, so the worker's meter starts after it.
      const { message, transfer } = await lendDocuments(task.message);
      if (slot.task !== task) return;
      startMeter(slot);
      slot.worker.postMessage(message satisfies ToWorker, transfer);
      watchdog ??= setInterval(checkBudgets, CHECK_MS);
      watchdog.unref();
    });
  }

  function pump(): void {
    while (queue.length > 0 && !closed) {
      const free = [...slots].find((s) => !s.task) ?? (slots.size < maxWorkers ? spawn() : undefined);
      if (!free) return;
      start(free, queue.shift()!);
    }
  }

  function submit<T extends TaskValue>(message: TaskMessage, signer?: Signer, revocation?: RevocationLookupService): Promise<T> {
    if (closed) return Promise.reject(new KysoError("busy", "KySo is shutting down"));
    return new Promise<T>((resolve, reject) => {
      queue.push({ message, budgetMs: budgetFor(documentSize(message), budgetFormat(message)), ...(signer ? { signer } : {}), ...(revocation ? { revocation } : {}), resolve: resolve as Task["resolve"], reject });
      pump();
    });
  }

  return {
    prepare(input, candidates, timestampAuthority, longTerm) {
      return submit<PreparedItem>({ type: "prepare", task: nextTask++, input, candidates, timestampAuthority, ...(longTerm ? { longTerm } : {}) });
    },
    sign(input, signer, context) {
      return submit<SignOutput>(
        {
          type: "sign",
          task: nextTask++,
          input,
          signer: { certificate: signer.certificate, chain: signer.chain, keyAlgorithm: signer.keyAlgorithm },
          signingTime: context.signingTime.getTime(),
          ...(context.timestampAuthority ? { timestampAuthority: context.timestampAuthority } : {}),
          ...(context.longTerm ? { longTerm: context.longTerm } : {}),
        },
        signer,
      );
    },
    signBatch(inputs, signer, context) {
      return submit<readonly BatchItemOutcome[]>(
        {
          type: "sign-batch",
          task: nextTask++,
          inputs,
          signer: { certificate: signer.certificate, chain: signer.chain, keyAlgorithm: signer.keyAlgorithm },
          signingTime: context.signingTime.getTime(),
          ...(context.timestampAuthority ? { timestampAuthority: context.timestampAuthority } : {}),
          longTerm: context.longTerm,
        },
        signer,
      );
    },
    verifyDocument(document, options, revocation) {
      return submit<VerificationReport>({ type: "verify", task: nextTask++, document, options: { ...options, online: revocation !== undefined } }, undefined, revocation);
    },
    warm() {
      if (slots.size === 0 && !closed) idle(spawn());
    },
    stats() {
      const busy = [...slots].filter((s) => s.task).length;
      return { workers: slots.size, busy, queued: queue.length, killed };
    },
    async close() {
      closed = true;
      if (watchdog) clearInterval(watchdog);
      for (const task of queue.splice(0)) task.reject(new KysoError("busy", "KySo is shutting down"));
      await Promise.all(
        [...slots].map((slot) => {
          slots.delete(slot);
          if (slot.idleTimer) clearTimeout(slot.idleTimer);
          slot.task?.reject(new KysoError("busy", "KySo is shutting down"));
          return slot.worker.terminate();
        }),
      );
    },
  };
}

/**
 * The bounded workers that read page documents (threat model: "untrusted bytes are parsed only in a bounded
 * worker"). The core's event loop, and in the app the Electron main process with the tray and every window,
 * never parses a page's PDF or XML: it posts the bytes here and waits for an answer or a typed refusal.
 *
 * Bounds, per task:
 * - CPU: a budget that grows with the document's size (`cpuBudgetMs`). On Linux the thread's own CPU time is read
 *   from /proc, so a loaded machine does not turn a slow-but-honest document into a refusal; elsewhere the
 *   budget is wall time while the worker computes. Time spent waiting for the token (the PIN, the user) or the
 *   TSA is never charged. Over budget the worker is terminated and the task fails `document_too_complex`.
 * - Memory: V8 heap limits per worker (`resourceLimits`); a worker that runs out dies alone, same error.
 * A dead worker is replaced on the next task; the others keep working.
 */
import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Signer } from "../../../domain/signer.js";
import { KysoError, fromPayload, toKysoError, transferable, type ErrorPayload } from "../../../domain/errors/kyso-error.js";
import type { LongTermData } from "../long-term/validation-data.js";
import type { CandidateKey, LongTermOutcome, PreparedItem } from "../prepare.js";
import type { SigningRequestInput } from "../request.js";
import type { SignOutput, TimestampAuthority } from "../types.js";
import type { VerificationReport } from "../../../domain/wire/verify-report.js";
import type { RevocationLookupService } from "../../verify/revocation-evidence.js";
import { sniffFormat } from "../../verify/sniff.js";
import type { BatchItemOutcome, FromWorker, ToWorker, VerifyWorkerOptions } from "./messages.js";
import { isBatchSigner, type SignatureValue } from "../../../domain/signer.js";

const MiB = 1024 * 1024;
/** CPU time any document may take, plus a share per MiB (two hash passes and a parse of the tail at most). */
export const CPU_BUDGET_BASE_MS = 2_500;
export const CPU_BUDGET_PER_MIB_MS = 40;
/**
 * XML is parsed into a DOM, canonicalised and serialised: measured at about 0.4 s per MiB to describe and 0.8 s per
 * MiB to sign on the 2-core reference machine (docs/performance.md), so a dry run is about 1.2 s per MiB. The
 * node and depth limits (xml-limits.ts) bound the work first; this budget is the backstop.
 */
export const XML_CPU_BUDGET_PER_MIB_MS = 1_500;
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
/** Without per-thread CPU figures, wall time is the budget, with this margin for a loaded machine. */
const WALL_FACTOR = 2;

const XML_FORMATS: ReadonlySet<string> = new Set(["xades", "xmldsig", "vn-tax", "vn-einvoice"]);

export function cpuBudgetMs(documentBytes: number, format?: string): number {
  const perMiB = format !== undefined && XML_FORMATS.has(format) ? XML_CPU_BUDGET_PER_MIB_MS : CPU_BUDGET_PER_MIB_MS;
  return CPU_BUDGET_BASE_MS + Math.ceil(documentBytes / MiB) * perMiB;
}

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

type TaskMessage = Extract<ToWorker, { type: "prepare" | "sign" | "sign-batch" | "verify" }>;
type TaskValue = PreparedItem | SignOutput | VerificationReport | readonly BatchItemOutcome[];

interface Task {
  readonly message: TaskMessage;
  readonly budgetMs: number;
  readonly signer?: Signer;
  readonly revocation?: RevocationLookupService;
  resolve(value: TaskValue): void;
  reject(error: KysoError): void;
}

interface Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** /proc path of the worker thread's stat file, when the platform has one. */
  statPath?: string;
  task?: Task;
  /** CPU (or active wall) time charged to the current task so far, and where the current span started. */
  chargedMs: number;
  spanStart?: number;
  cpuAtStart?: number;
  paused: boolean;
  idleTimer?: NodeJS.Timeout;
}

export function defaultWorkerEntry(): { file: string; source: boolean } {
  const js = fileURLToPath(new URL("./document-worker.js", import.meta.url));
  if (existsSync(js)) return { file: js, source: false };
  return { file: fileURLToPath(new URL("./document-worker.ts", import.meta.url)), source: true };
}

function documentSize(message: TaskMessage): number {
  if (message.type === "verify") return message.document.length + (message.options.detachedContent?.length ?? 0);
  if (message.type === "sign-batch") return message.inputs.reduce((sum, input) => sum + (input.document?.length ?? 0), 0);
  return message.input.document?.length ?? 0;
}

/**
 * The budget's format: a verified document's is recognised from its first bytes only (no parsing here), so an XML
 * gets the XML budget; anything else the PDF/data one.
 */
function budgetFormat(message: TaskMessage): string {
  if (message.type === "sign-batch") return message.inputs.some((i) => XML_FORMATS.has(i.format)) ? "xmldsig" : "pdf";
  if (message.type !== "verify") return message.input.format;
  return sniffFormat(message.document) === "xml" ? "xmldsig" : "pdf";
}

/** utime + stime of one thread in ms, from /proc/<pid>/task/<tid>/stat (Linux, 100 ticks per second). */
function threadCpuMs(statPath: string): number | undefined {
  try {
    const stat = readFileSync(statPath, "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
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

  function charge(slot: Slot): number {
    const now = performance.now();
    if (slot.statPath && slot.cpuAtStart !== undefined) {
      const cpu = threadCpuMs(slot.statPath);
      if (cpu !== undefined) return cpu - slot.cpuAtStart;
    }
    return slot.chargedMs + (slot.paused || slot.spanStart === undefined ? 0 : (now - slot.spanStart) / WALL_FACTOR);
  }

  function checkBudgets(): void {
    for (const slot of slots) {
      const task = slot.task;
      if (!task || slot.paused) continue;
      if (charge(slot) > task.budgetMs) {
        retire(slot, new KysoError("document_too_complex", `reading the document took more than ${task.budgetMs} ms of CPU`));
      }
    }
    if (![...slots].some((s) => s.task) && watchdog) {
      clearInterval(watchdog);
      watchdog = undefined;
    }
  }

  function pause(slot: Slot): void {
    if (slot.paused) return;
    slot.chargedMs += slot.spanStart === undefined ? 0 : (performance.now() - slot.spanStart) / WALL_FACTOR;
    slot.paused = true;
  }

  function resume(slot: Slot): void {
    if (!slot.paused) return;
    slot.paused = false;
    slot.spanStart = performance.now();
  }

  function onMessage(slot: Slot, message: FromWorker): void {
    const task = slot.task;
    if (!task || !("task" in message) || message.task !== task.message.task) return;
    switch (message.type) {
      case "pause":
        return pause(slot);
      case "resume":
        return resume(slot);
      case "sign-digest": {
        pause(slot);
        const answer = (reply: Omit<Extract<ToWorker, { type: "signed-digest" }>, "type" | "task" | "call">): void => {
          if (slot.task !== task) return;
          resume(slot);
          slot.worker.postMessage({ type: "signed-digest", task: message.task, call: message.call, ...reply } satisfies ToWorker);
        };
        if (!task.signer) return answer({ error: new KysoError("internal", "no signer for this task").toPayload() });
        task.signer.signDigest(message.request).then(
          (value) => answer({ value: { value: value.value, raw: value.raw } }),
          (error: unknown) => answer({ error: errorPayload(error) }),
        );
        return;
      }
      case "sign-digests": {
        pause(slot);
        const answer = (reply: Omit<Extract<ToWorker, { type: "signed-digests" }>, "type" | "task" | "call">): void => {
          if (slot.task !== task) return;
          resume(slot);
          slot.worker.postMessage({ type: "signed-digests", task: message.task, call: message.call, ...reply } satisfies ToWorker);
        };
        const signer = task.signer;
        if (!signer) return answer({ error: new KysoError("internal", "no signer for this task").toPayload() });
        // One call for the whole batch when the signer can (a remote account: one phone confirmation).
        const values: Promise<SignatureValue[]> = isBatchSigner(signer)
          ? signer.signDigests(message.requests)
          : message.requests.reduce<Promise<SignatureValue[]>>(async (done, request) => [...(await done), await signer.signDigest(request)], Promise.resolve([]));
        values.then(
          (list) => answer({ values: list.map((v) => ({ value: v.value, raw: v.raw })) }),
          (error: unknown) => answer({ error: errorPayload(error) }),
        );
        return;
      }
      case "revocation-check": {
        pause(slot);
        const reply = (answer: Omit<Extract<ToWorker, { type: "revocation-answer" }>, "type" | "task" | "call">): void => {
          if (slot.task !== task) return;
          resume(slot);
          slot.worker.postMessage({ type: "revocation-answer", task: message.task, call: message.call, ...answer } satisfies ToWorker);
        };
        if (!task.revocation) return reply({ error: new KysoError("internal", "no revocation service for this task").toPayload() });
        task.revocation.check(message.certificate, message.issuer).then(
          (value) => reply({ value }),
          (error: unknown) => reply({ error: errorPayload(error) }),
        );
        return;
      }
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
    slot.paused = false;
    slot.spanStart = undefined;
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
    void slot.ready.then(() => {
      if (slot.task !== task) return;
      slot.chargedMs = 0;
      slot.paused = false;
      slot.spanStart = performance.now();
      slot.cpuAtStart = slot.statPath ? threadCpuMs(slot.statPath) : undefined;
      slot.worker.postMessage(task.message satisfies ToWorker);
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

function errorPayload(error: unknown): ErrorPayload {
  return transferable(toKysoError(error));
}

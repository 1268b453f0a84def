/**
 * A document task's CPU budget (threat model: "untrusted bytes are parsed only in a bounded worker"): how much a
 * document of a given size and format may take, and the meter that charges a running task. On Linux the worker
 * thread's own CPU time is read from /proc, so a loaded machine does not turn a slow-but-honest document into a
 * refusal; elsewhere the budget is wall time while the worker computes. Time spent waiting for the token (the PIN,
 * the user) or the TSA is never charged: the pool pauses the meter while the worker waits on the core.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { sniffFormat } from "../../verify/sniff.js";
import type { ToWorker } from "./messages.js";

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
/** Without per-thread CPU figures, wall time is the budget, with this margin for a loaded machine. */
const WALL_FACTOR = 2;

const XML_FORMATS: ReadonlySet<string> = new Set(["xades", "xmldsig", "vn-tax", "vn-einvoice"]);

/** The messages that start a task in a worker (the others answer a worker's call). */
export type TaskMessage = Extract<ToWorker, { type: "prepare" | "sign" | "sign-batch" | "verify" }>;

export function cpuBudgetMs(documentBytes: number, format?: string): number {
  const perMiB = format !== undefined && XML_FORMATS.has(format) ? XML_CPU_BUDGET_PER_MIB_MS : CPU_BUDGET_PER_MIB_MS;
  return CPU_BUDGET_BASE_MS + Math.ceil(documentBytes / MiB) * perMiB;
}

/** The bytes a task reads: what its budget grows with. */
export function documentSize(message: TaskMessage): number {
  if (message.type === "verify") return message.document.length + (message.options.detachedContent?.length ?? 0);
  if (message.type === "sign-batch") return message.inputs.reduce((sum, input) => sum + (input.document?.length ?? 0), 0);
  return message.input.document?.length ?? 0;
}

/**
 * The budget's format: a verified document's is recognised from its first bytes only (no parsing here), so an XML
 * gets the XML budget; anything else the PDF/data one.
 */
export function budgetFormat(message: TaskMessage): string {
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

/** What one worker's current task has been charged so far. */
export interface CpuMeter {
  /** /proc path of the worker thread's stat file, when the platform has one. */
  statPath?: string;
  /** CPU (or active wall) time charged to the current task so far, and where the current span started. */
  chargedMs: number;
  spanStart?: number;
  cpuAtStart?: number;
  paused: boolean;
}

/** A new task starts on the meter: nothing charged yet, the clock running. */
export function startMeter(meter: CpuMeter): void {
  meter.chargedMs = 0;
  meter.paused = false;
  meter.spanStart = performance.now();
  meter.cpuAtStart = meter.statPath ? threadCpuMs(meter.statPath) : undefined;
}

/** The task is over: the meter stops until the next one starts. */
export function stopMeter(meter: CpuMeter): void {
  meter.paused = false;
  meter.spanStart = undefined;
}

/** The time charged to the current task: the thread's CPU time where readable, else the active wall time. */
export function charged(meter: CpuMeter): number {
  const now = performance.now();
  if (meter.statPath && meter.cpuAtStart !== undefined) {
    const cpu = threadCpuMs(meter.statPath);
    if (cpu !== undefined) return cpu - meter.cpuAtStart;
  }
  return meter.chargedMs + (meter.paused || meter.spanStart === undefined ? 0 : (now - meter.spanStart) / WALL_FACTOR);
}

/** The worker waits on the core (the token, the user, a revocation lookup): that time is not charged. */
export function pauseMeter(meter: CpuMeter): void {
  if (meter.paused) return;
  meter.chargedMs += meter.spanStart === undefined ? 0 : (performance.now() - meter.spanStart) / WALL_FACTOR;
  meter.paused = true;
}

export function resumeMeter(meter: CpuMeter): void {
  if (!meter.paused) return;
  meter.paused = false;
  meter.spanStart = performance.now();
}

/**
 * What every bench case shares: percentiles, an event-loop watch, the result shape each case prints as its last
 * stdout line (run.ts collects it), sizes scaled down by KYSO_BENCH_QUICK=1, and the floor measurement.
 */
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import pkcs11js from "pkcs11js";
import type { KeyAlgorithm } from "../../main/domain/signer.js";
import { signDigestOnSession } from "../../native/pkcs11/sign-digest.js";
import type { TokenCopy } from "../fixtures/index.js";

export const QUICK = process.env.KYSO_BENCH_QUICK === "1";

/** A size from the environment (`KYSO_BENCH_<NAME>`), else the size, else the quick one. */
export function size(name: string, full: number, quick: number): number {
  const fromEnv = process.env[`KYSO_BENCH_${name}`];
  if (fromEnv !== undefined && fromEnv !== "") return Number(fromEnv);
  return QUICK ? quick : full;
}

export function sizes(name: string, full: readonly number[], quick: readonly number[]): number[] {
  const fromEnv = process.env[`KYSO_BENCH_${name}`];
  if (fromEnv) return fromEnv.split(",").map(Number);
  return [...(QUICK ? quick : full)];
}

export interface Row {
  readonly name: string;
  /** Samples taken (requests, signatures, files). */
  readonly n: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** Operations per second over the wall time of the row. */
  readonly throughput: number;
  readonly peakRssMiB: number;
  /** This row's median over its baseline's median, same run (undefined for a baseline). */
  readonly ratio?: number;
  readonly baseline?: string;
  /** Longest event-loop stall seen while the row ran (ms); undefined where the row ran in another runtime. */
  readonly loopMaxMs?: number;
  readonly note?: string;
}

export interface Target {
  readonly name: string;
  readonly value: number;
  readonly limit: number;
  readonly unit: string;
  /** "<=" the value must not exceed the limit; ">=" it must reach it. */
  readonly op: "<=" | ">=";
  readonly pass: boolean;
}

export interface CaseResult {
  readonly case: string;
  readonly rows: Row[];
  readonly targets: Target[];
  readonly notes: string[];
}

export function target(name: string, value: number, op: "<=" | ">=", limit: number, unit: string): Target {
  return { name, value, op, limit, unit, pass: op === "<=" ? value <= limit : value >= limit };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

/**
 * This process's own peak RSS: VmHWM belongs to the address space, which exec replaces. (`resourceUsage().maxRSS`
 * is not: Linux carries the parent's high-water mark into a forked child, so a child of a process that once held
 * a 500 MB file reports at least that.)
 */
export function peakRssMiB(): number {
  try {
    const line = readFileSync("/proc/self/status", "utf8").split("\n").find((l) => l.startsWith("VmHWM:"));
    if (line) return Number(line.replace(/[^0-9]/g, "")) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}

export function rssMiB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

/** Watches the event loop (10 ms resolution) while `run` runs; the max is the longest stall seen. */
export async function watchLoop<T>(run: () => Promise<T>): Promise<{ value: T; loopMaxMs: number }> {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    const value = await run();
    return { value, loopMaxMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}

/** A row from per-operation samples (ms) and the wall time (ms) they took together. */
export function row(name: string, samples: readonly number[], wallMs: number, extra: Partial<Row> = {}): Row {
  return {
    name,
    n: samples.length,
    medianMs: median(samples),
    p95Ms: percentile(samples, 95),
    p99Ms: percentile(samples, 99),
    throughput: wallMs > 0 ? (samples.length * 1000) / wallMs : NaN,
    peakRssMiB: peakRssMiB(),
    ...extra,
  };
}

/** The case's last stdout line: run.ts reads it. */
export function report(result: CaseResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export interface FloorResult {
  readonly signOnly: Row;
  readonly fullCycle: Row;
}

/**
 * The floor: pkcs11js in this process on a fixture key, nothing of KySo in between. `sign only` is
 * C_SignInit + async C_Sign on a logged-in session; the full cycle is what KySo's host does for one request:
 * open a session, log in, find the key by CKA_ID, sign, log out, close.
 */
export async function measureFloor(
  tokens: TokenCopy,
  name: string,
  count: number,
  label = name,
): Promise<FloorResult> {
  process.env.SOFTHSM2_CONF = tokens.softhsmConf;
  const fixture = tokens.cert(name);
  const key: KeyAlgorithm =
    fixture.key === "EC:prime256v1" ? { kind: "ec", curve: "P-256" } : { kind: "rsa", modulusBits: fixture.key === "rsa:3072" ? 3072 : 2048 };
  const scheme = key.kind === "ec" ? "ecdsa" : "rsa-pkcs1";
  const p11 = new pkcs11js.PKCS11();
  p11.load(tokens.manifest.modulePath);
  p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  try {
    const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === fixture.token);
    if (!slot) throw new Error(`token ${fixture.token} not found`);
    const digest = Buffer.alloc(32, 7);
    const findKey = (session: Buffer): Buffer => {
      p11.C_FindObjectsInit(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_ID, value: Buffer.from(fixture.keyId, "hex") },
      ]);
      const handle = p11.C_FindObjects(session);
      p11.C_FindObjectsFinal(session);
      if (!handle) throw new Error("no key");
      return handle;
    };
    const request = { hashAlgorithm: "SHA-256" as const, digest, scheme: scheme as "ecdsa" | "rsa-pkcs1" };

    // Sign only.
    const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    p11.C_Login(session, pkcs11js.CKU_USER, tokens.manifest.userPin);
    const handle = findKey(session);
    for (let i = 0; i < Math.min(50, count); i++) await signDigestOnSession(p11, session, handle, key, request);
    const only: number[] = [];
    const onlyStart = performance.now();
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await signDigestOnSession(p11, session, handle, key, request);
      only.push(performance.now() - started);
    }
    const onlyWall = performance.now() - onlyStart;
    p11.C_Logout(session);
    p11.C_CloseSession(session);

    // Full cycle.
    const cycle: number[] = [];
    const cycleStart = performance.now();
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const s = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      p11.C_Login(s, pkcs11js.CKU_USER, tokens.manifest.userPin);
      await signDigestOnSession(p11, s, findKey(s), key, request);
      p11.C_Logout(s);
      p11.C_CloseSession(s);
      cycle.push(performance.now() - started);
    }
    const cycleWall = performance.now() - cycleStart;
    return {
      signOnly: row(`floor ${label}: sign only`, only, onlyWall),
      fullCycle: row(`floor ${label}: open+login+sign+logout`, cycle, cycleWall),
    };
  } finally {
    p11.C_Finalize();
    p11.close();
  }
}

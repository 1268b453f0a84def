/**
 * Case 7, the app: core start (token hosts probed, bridge listening), idle RSS, and RSS after 10,000 `sign`
 * requests (a leak check: growth measured from after a warm-up, after a forced GC both times; run with
 * --expose-gc, as run.ts does). The event loop is watched throughout.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { startBenchBridge } from "./bridge-load.js";
import { closedLoop, signHash } from "./bridge-load.js";
import { report, row, rssMiB, size, target, watchLoop } from "./bench-lib.js";
import { measureIdleCore } from "./idle-core.js";

const total = size("APP_REQUESTS", 10_000, 200);
const warmup = Math.min(1000, Math.floor(total / 10));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** RSS after the heap is collected: two forced GCs with a loop turn between (finalisers run), no timed wait. */
async function settledRss(): Promise<number> {
  gc();
  await nextTurn();
  gc();
  return rssMiB();
}

// First, alone: the compiled core in its own process (what users run), before this process starts its own core.
const compiled = await measureIdleCore();
const started = performance.now();
const bench = await startBenchBridge();
const startMs = performance.now() - started;
try {
  const idle = await settledRss();
  const [client] = await bench.connectClients(1, "ws");
  await closedLoop([client!], warmup, (c) => signHash(c, bench.person.id));
  const afterWarmup = await settledRss();
  const { value, loopMaxMs } = await watchLoop(() => closedLoop([client!], total, (c) => signHash(c, bench.person.id)));
  const after = await settledRss();
  client!.close();
  const growth = ((after - afterWarmup) / afterWarmup) * 100;
  report({
    case: "app",
    rows: [
      { ...row("core start to bridge listening (token hosts probed)", [startMs], startMs), peakRssMiB: idle },
      { ...row(`${total} sign requests, ws`, value.samples, value.wallMs, { loopMaxMs }), note: `RSS ${afterWarmup.toFixed(0)} → ${after.toFixed(0)} MiB` },
    ],
    targets: [
      target("core start", startMs, "<=", 400, "ms"),
      target("idle RSS, compiled core on plain Node (after GC)", compiled.rssMiB, "<=", 80, "MiB"),
      target(`RSS growth over ${total} requests`, growth, "<=", 10, "%"),
      target("event loop blocked, 10,000 requests", loopMaxMs, "<=", 50, "ms"),
    ],
    notes: [
      "core start includes copying the fixture tokens and forking the token host (tsx in a source tree: a packaged app loads compiled JS)",
      "idle RSS is the core process only; each token host is its own process",
      `idle RSS: compiled core ${compiled.rssMiB.toFixed(0)} MiB (heap ${compiled.heapMiB.toFixed(0)} MiB, test/bench/idle-core.ts); this source tree under tsx ${idle.toFixed(0)} MiB (tsx's transpiler and source maps included)`,
      "the bench process also holds the ws client and the bench code",
    ],
  });
} finally {
  await bench.close();
}

/**
 * The protocol fuzzer: a real core (SoftHSM tokens, ws and wss listeners, the allowlisted portal) fed seeded
 * cases of structured and mutated JSON-RPC, random and invalid-UTF-8 text, binary, fragmented, oversize and
 * malformed frames, broken upgrade requests, slow clients, floods from unknown origins and abrupt closes, from
 * the portal, unknown and malformed origins (protocol-cases.ts). After every case the bridge must still answer
 * the portal and have given back every connection slot; every N cases the portal gets a hash signed; memory,
 * handles and the built-in prototypes are compared at checkpoints; a crash hook counts as a finding.
 *
 * A finding that leaves the core unusable (a leaked slot, a portal that can no longer connect) is recorded once
 * and the core is restarted on the same tokens, so the cases after it still test something.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBridgeHarness, type BridgeHarness } from "../integration/bridge/bridge-harness.js";
import { FIXTURE_DIR_ENV, loadManifest } from "../fixtures/index.js";
import { makeFixtures } from "../fixtures/make-fixtures.js";
import type { Finding, FuzzOptions, FuzzReport } from "./fuzz-report.js";
import { FAMILY_WEIGHTS, FUZZ_LIMITS, protocolCase, type Family, type ProtocolCase } from "./protocol-cases.js";
import type { Problem } from "./protocol-oracle.js";
import { compareVitals, openPortalSession, probeHello, SignOracle, slotsSettle, vitals, type Vitals } from "./protocol-probe.js";
import { runConnection, type ConnectionOutcome, type RunEnvironment } from "./protocol-runner.js";

export { FUZZ_LIMITS, protocolCase };

export interface ProtocolFuzzOptions extends FuzzOptions {
  /** Case families to draw from (default: all, with FAMILY_WEIGHTS). */
  readonly families?: readonly Family[];
  /** Sign a hash as the portal every N cases (default: verifyEvery, else 100; 0 = never). */
  readonly signEvery?: number;
  /** Compare memory and handles every N cases (default 250). */
  readonly vitalsEvery?: number;
  /** Check that the portal still says hello every N cases (default 4; slots are checked after every case). */
  readonly probeEvery?: number;
}

async function ensureFixtures(): Promise<(() => Promise<void>) | undefined> {
  try {
    await loadManifest();
    return undefined;
  } catch {
    // `npm run fuzz` outside the test runner: build the fixtures once for this run.
    const dir = await mkdtemp(join(tmpdir(), "kyso-fixtures-"));
    process.env[FIXTURE_DIR_ENV] = dir;
    await makeFixtures(dir);
    return () => rm(dir, { recursive: true, force: true });
  }
}

async function runCase(kase: ProtocolCase, env: RunEnvironment, harness: BridgeHarness): Promise<{ problems: Problem[]; refused: boolean }> {
  const problems: Problem[] = [];
  let outcomes: ConnectionOutcome[] = [];
  if (kase.concurrent) outcomes = await Promise.all(kase.connections.map((plan) => runConnection(plan, env, kase.holdAndProbe)));
  else for (const plan of kase.connections) outcomes.push(await runConnection(plan, env, kase.holdAndProbe));
  if (kase.holdAndProbe) {
    const held = outcomes.filter((o) => o.status === 101 && !o.connection.isClosed).length;
    const probe = await probeHello(harness, "ws", env.hangMs, `while ${held} sockets from unknown origins are open`);
    if (probe) problems.push({ ...probe, detail: probe.detail.replace("[portal-probe]", "[unknown-origins-exhaust]") });
    for (const outcome of outcomes) outcome.connection.destroy();
    await Promise.all(outcomes.map((o) => o.connection.closed));
  }
  for (const outcome of outcomes) problems.push(...outcome.problems);
  return { problems, refused: outcomes.some((o) => o.refused) };
}

export async function fuzzProtocol(options: ProtocolFuzzOptions): Promise<FuzzReport> {
  const hangMs = options.hangMs ?? 3000;
  const from = options.from ?? 0;
  const families = options.families ?? (Object.keys(FAMILY_WEIGHTS) as Family[]);
  const signEvery = options.signEvery ?? (options.verifyEvery && options.verifyEvery > 0 ? options.verifyEvery : 100);
  const vitalsEvery = options.vitalsEvery ?? 250;
  const probeEvery = Math.max(1, options.probeEvery ?? 4);
  let probes = 0;
  const log = options.log ?? (() => undefined);
  const findings: Finding[] = [];
  let caseIndex = from;
  const record = (problem: Problem, index = caseIndex): void => {
    findings.push({ kind: problem.kind, seed: options.seed, caseIndex: index, detail: problem.detail });
    log(`finding ${problem.kind} case ${index}: ${problem.detail}`);
  };
  const onCrash = (error: unknown): void => record({ kind: "bridge-unavailable", detail: `[crash] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.slice(0, 600) });
  process.on("unhandledRejection", onCrash);
  process.on("uncaughtException", onCrash);

  const cleanupFixtures = await ensureFixtures();
  const harness = await startBridgeHarness({ limits: FUZZ_LIMITS }, { restartable: true });
  const oracle = new SignOracle();
  let unwatch = oracle.watch(harness.core);
  let restarts = 0;
  const restart = async (why: string): Promise<void> => {
    log(`restarting the core after case ${caseIndex}: ${why}`);
    unwatch();
    await harness.restartCore();
    unwatch = oracle.watch(harness.core);
    restarts++;
  };
  const env: RunEnvironment = {
    port: (scheme) => (scheme === "ws" ? harness.wsPort : harness.wssPort),
    get ca() {
      return harness.core.bridge.caCertificatePem;
    },
    hangMs,
  };

  let refused = 0;
  let slowestMs = 0;
  let first: Vitals | undefined;
  try {
    // The session opens as a portal's does (the SDK's hello at page load warms a document worker), so a worker's
    // first start (seconds of module loading under tsx) is not charged to whichever case comes first.
    const opening = await openPortalSession(harness, hangMs);
    if (opening) record(opening);
    first = vitals();
    for (; caseIndex < from + options.cases; caseIndex++) {
      const kase = protocolCase(options.seed, caseIndex, families);
      const started = performance.now();
      const result = await runCase(kase, env, harness);
      slowestMs = Math.max(slowestMs, performance.now() - started);
      if (result.refused) refused++;
      for (const problem of result.problems) record({ ...problem, detail: `${kase.family}: ${problem.detail}` });

      // Every socket of the case is closed: every slot must come back.
      let broken: string | undefined;
      // A socket's slot comes back within milliseconds of its close; a second is ample even on a loaded machine,
      // and keeps a run with a leaking core from spending the whole hang budget on every leak.
      if (!(await slotsSettle(harness.core, 0, Math.min(hangMs, 1000)))) {
        const left = harness.core.bridge.connectionSlots;
        record({ kind: "bridge-unavailable", detail: `${kase.family}: [slot-leak] ${left} connection slot(s) still taken after every socket of the case closed` });
        broken = "slot leak";
      }
      const due = (caseIndex - from) % probeEvery === probeEvery - 1 || caseIndex === from + options.cases - 1;
      const probe = due ? await probeHello(harness, probes++ % 5 === 4 ? "wss" : "ws", hangMs, `after a ${kase.family} case`) : undefined;
      if (probe) {
        record(probe);
        broken ??= "the portal cannot say hello";
      }
      if (!broken && signEvery > 0 && (caseIndex - from) % signEvery === signEvery - 1) {
        const signed = await oracle.sign(harness, hangMs, caseIndex);
        if (signed) {
          record(signed);
          broken = "the portal cannot sign";
        }
      }
      if (broken) await restart(broken);
      if ((caseIndex - from) % vitalsEvery === vitalsEvery - 1) {
        const now = vitals();
        for (const problem of compareVitals(first, now, 256 * 2 ** 20, 32)) record(problem);
        log(`case ${caseIndex + 1 - from}/${options.cases}: ${findings.length} findings, heap ${(now.heapBytes / 2 ** 20).toFixed(0)} MiB, ${now.handles} handles, ${restarts} restarts`);
      }
    }
  } finally {
    unwatch();
    await harness.close();
    process.off("unhandledRejection", onCrash);
    process.off("uncaughtException", onCrash);
    await cleanupFixtures?.();
  }
  return {
    target: "protocol",
    seed: options.seed,
    cases: options.cases,
    refused,
    signed: oracle.signed,
    verified: oracle.verified,
    slowestMs,
    findings,
  };
}

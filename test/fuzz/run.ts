/**
 * `npm run fuzz -- [--target pdf|xml|protocol] [--seed N] [--cases N] [--from N] [--verify-every N] [--workers]`
 *
 * Runs the seeded fuzzers outside the test suite, for as many cases as wanted. CI runs a short fixed seed of each
 * through the integration tests (test/integration/fuzz/); this command is for long runs and for replaying a
 * finding: `--seed S --from N --cases 1`. Exits 1 when any fuzzer reports a finding. `--workers` reads and signs
 * through the core's bounded document workers and prints how long this (the core's) event loop was ever blocked.
 */
import { parseArgs } from "node:util";
import type { FuzzOptions, FuzzReport } from "./fuzz-report.js";

type Fuzzer = (options: FuzzOptions) => Promise<FuzzReport>;

const FUZZERS: Readonly<Record<string, () => Promise<Fuzzer>>> = {
  pdf: async () => (await import("./pdf-fuzzer.js")).fuzzPdf,
  xml: async () => (await import("./xml-fuzzer.js")).fuzzXml,
  protocol: async () => (await import("./protocol-fuzzer.js")).fuzzProtocol,
};

const { values } = parseArgs({
  options: {
    target: { type: "string", multiple: true },
    seed: { type: "string", default: String(Date.now() % 1_000_000) },
    cases: { type: "string", default: "2000" },
    from: { type: "string", default: "0" },
    "verify-every": { type: "string", default: "50" },
    workers: { type: "boolean", default: false },
  },
});

const targets = values.target?.length ? values.target : Object.keys(FUZZERS);
let findings = 0;
for (const target of targets) {
  const load = FUZZERS[target];
  if (!load) throw new Error(`unknown fuzz target ${target}; one of ${Object.keys(FUZZERS).join(", ")}`);
  const fuzz = await load();
  const report = await fuzz({
    workers: values.workers,
    seed: Number(values.seed),
    cases: Number(values.cases),
    from: Number(values.from),
    verifyEvery: Number(values["verify-every"]),
    log: (line) => console.log(`[${target}] ${line}`),
  });
  findings += report.findings.length;
  console.log(
    `${target}: seed ${report.seed}, ${report.cases} cases, ${report.refused} refused, ${report.signed} signed, ` +
      `${report.verified} verified, slowest ${report.slowestMs.toFixed(0)} ms, ${report.findings.length} findings` +
      (report.loopMaxMs !== undefined ? `, core event loop delay at most ${report.loopMaxMs.toFixed(0)} ms while workers read` : "") +
      (report.coreCpuMaxMs !== undefined ? ` (core thread CPU during one wait at most ${report.coreCpuMaxMs} ms)` : ""),
  );
  for (const f of report.findings.slice(0, 20)) console.log(`  ${f.kind} case ${f.caseIndex}: ${f.detail}`);
}
process.exit(findings > 0 ? 1 : 0);

/**
 * `npm run bench`: every case runs in its own process (so its peak RSS is its own) through the real code paths,
 * and every figure is set beside a baseline measured in the same run (the floor, a SHA-256 pass, a peer tool),
 * so a loaded machine shifts both sides. Prints a table per case and PASS/FAIL per target of issue 10, writes
 * `test-results/bench.json`, and always exits 0: a benchmark informs, it never fails CI.
 *
 *   npm run bench                                  # every case at the issue's sizes
 *   KYSO_BENCH_QUICK=1 npm run bench               # tiny sizes: a smoke test of the harness
 *   KYSO_BENCH_CASES=floor,bridge npm run bench    # some cases
 *   KYSO_BENCH_PDF_MB=1,100 npm run bench          # sizes (see each case file for its variables)
 */
import { execFile } from "node:child_process";
import { cpus, totalmem, loadavg, tmpdir } from "node:os";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { makeFixtures } from "../fixtures/make-fixtures.js";
import { FIXTURE_DIR_ENV } from "../fixtures/index.js";
import type { CaseResult, Row } from "./bench-lib.js";

const CASES = ["floor", "bridge", "cms", "pades", "xml", "batch", "app", "recovery"] as const;
const CASE_TIMEOUT_MS = 15 * 60_000;

function runCase(name: string, env: NodeJS.ProcessEnv): Promise<CaseResult> {
  const script = resolve(import.meta.dirname, `case-${name}.ts`);
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      ["--expose-gc", "--import", "tsx", script],
      { env, maxBuffer: 64 << 20, timeout: CASE_TIMEOUT_MS },
      (error, stdout, stderr) => {
        const last = stdout.trim().split("\n").at(-1) ?? "";
        try {
          resolvePromise(JSON.parse(last) as CaseResult);
        } catch {
          reject(new Error(`case ${name} gave no result${error ? ` (${error.message})` : ""}\n${stderr.slice(-4000)}`));
        }
      },
    );
  });
}

const fmt = (value: number | undefined, digits = 2): string =>
  value === undefined || Number.isNaN(value) ? "—" : value >= 1000 ? value.toFixed(0) : value.toFixed(digits);

function printRows(rows: readonly Row[]): void {
  const header = ["", "n", "median ms", "p95 ms", "p99 ms", "ops/s", "peak RSS MiB", "x baseline", "loop max ms"];
  const lines = rows.map((r) => [
    r.name + (r.note ? ` (${r.note})` : ""),
    String(r.n),
    fmt(r.medianMs),
    fmt(r.p95Ms),
    fmt(r.p99Ms),
    fmt(r.throughput, 1),
    fmt(r.peakRssMiB, 0),
    r.ratio === undefined ? "" : `${fmt(r.ratio)}x`,
    fmt(r.loopMaxMs, 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const print = (cells: string[]) => console.log("  " + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  print(header);
  for (const line of lines) print(line);
}

const selected = (process.env.KYSO_BENCH_CASES ?? CASES.join(",")).split(",").map((s) => s.trim()).filter(Boolean);
const machine = {
  cpus: `${cpus().length} x ${cpus()[0]?.model ?? "?"}`,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
  quick: process.env.KYSO_BENCH_QUICK === "1",
};
console.log(`KySo bench on ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverageAtStart.join(" ")}${machine.quick ? " (QUICK sizes)" : ""}`);

const dir = await mkdtemp(join(tmpdir(), "kyso-bench-"));
const results: (CaseResult & { seconds: number })[] = [];
const failures: { case: string; error: string }[] = [];
try {
  const fixtures = join(dir, "fixtures");
  await makeFixtures(fixtures);
  const env = { ...process.env, [FIXTURE_DIR_ENV]: fixtures, KYSO_BENCH_DIR: dir };
  for (const name of selected) {
    if (!(CASES as readonly string[]).includes(name)) {
      console.log(`\nunknown case ${name} (cases: ${CASES.join(", ")})`);
      continue;
    }
    const started = performance.now();
    console.log(`\n## ${name}`);
    try {
      const result = await runCase(name, env);
      const seconds = (performance.now() - started) / 1000;
      results.push({ ...result, seconds });
      printRows(result.rows);
      for (const note of result.notes) console.log(`  note: ${note}`);
      for (const t of result.targets) {
        console.log(`  ${t.pass ? "PASS" : "FAIL"}  ${t.name}: ${fmt(t.value)} ${t.unit} (target ${t.op} ${fmt(t.limit)} ${t.unit})`);
      }
      console.log(`  (${seconds.toFixed(0)} s)`);
    } catch (error) {
      failures.push({ case: name, error: (error as Error).message });
      console.log(`  ERROR ${(error as Error).message}`);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

const out = resolve(import.meta.dirname, "../../test-results/bench.json");
await mkdir(resolve(out, ".."), { recursive: true });
await writeFile(out, JSON.stringify({ date: new Date().toISOString(), machine, loadAverageAtEnd: loadavg(), results, failures }, null, 2));
const targets = results.flatMap((r) => r.targets);
console.log(`\n${targets.filter((t) => t.pass).length} targets PASS, ${targets.filter((t) => !t.pass).length} FAIL, ${failures.length} cases in error; JSON in test-results/bench.json`);

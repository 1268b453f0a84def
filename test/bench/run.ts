/**
 * `npm run bench`: each figure is a ratio against a baseline measured in the same run on the same bytes (a plain
 * SHA-256 pass), so the numbers mean the same on a fast laptop and a loaded CI runner. Absolute times are printed
 * for the log only. `KYSO_BENCH_MB` sets the PDF size (default 200; the target case is 500).
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { makeFixtures } from "../fixtures/make-fixtures.js";
import { FIXTURE_DIR_ENV } from "../fixtures/index.js";
import { makeLargePdf } from "../integration/signing/pdf-samples.js";

const run = promisify(execFile);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function hashingChunks(): void {
  const data = randomBytes(256 << 20);
  const timeIn = (chunk: number) => {
    const started = process.hrtime.bigint();
    const hash = createHash("sha256");
    for (let offset = 0; offset < data.length; offset += chunk) hash.update(data.subarray(offset, offset + chunk));
    hash.digest();
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const baseline = median([1, 2, 3].map(() => timeIn(data.length)));
  console.log(`sha256 over 256 MiB in one call: ${baseline.toFixed(0)} ms = 1.00`);
  console.log(`  in 64 KiB chunks: ${(median([1, 2, 3].map(() => timeIn(64 << 10))) / baseline).toFixed(2)}x`);
  console.log(`  in 1 MiB chunks:  ${(median([1, 2, 3].map(() => timeIn(1 << 20))) / baseline).toFixed(2)}x`);
}

async function pdfCase(which: string, pdf: string): Promise<{ ms: number; maxRssMiB: number }> {
  const script = resolve(import.meta.dirname, "pdf-signing.ts");
  const { stdout } = await run(process.execPath, ["--import", "tsx", script, which, pdf], { env: process.env, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { ms: number; maxRssMiB: number };
}

async function pdfSigning(): Promise<void> {
  const megabytes = Number(process.env.KYSO_BENCH_MB ?? 200);
  const dir = await mkdtemp(join(tmpdir(), "kyso-bench-"));
  try {
    process.env[FIXTURE_DIR_ENV] = join(dir, "fixtures");
    await makeFixtures(process.env[FIXTURE_DIR_ENV]);
    const pdf = join(dir, "large.pdf");
    await makeLargePdf(pdf, megabytes);
    const sizeMiB = (await stat(pdf)).size / 2 ** 20;
    const rounds = 3;
    const results: Record<string, { ms: number[]; rss: number[] }> = {};
    for (let round = 0; round < rounds; round++) {
      for (const which of ["sha256", "file", "memory"]) {
        const { ms, maxRssMiB } = await pdfCase(which, pdf);
        (results[which] ??= { ms: [], rss: [] }).ms.push(ms);
        results[which].rss.push(maxRssMiB);
      }
    }
    const base = median(results.sha256!.ms);
    // Every case runs in a process that has loaded the same modules, so the baseline's peak RSS is the fixed cost
    // of the code; what a signing path adds on top of it is what grows with the document.
    const baseRss = median(results.sha256!.rss);
    console.log(`\nPAdES on a ${sizeMiB.toFixed(0)} MiB PDF, median of ${rounds} (time: SHA-256 pass = 1.00; memory: peak RSS above the baseline process, as a share of the file size)`);
    for (const [which, label] of [["sha256", "SHA-256 pass (baseline)"], ["file", "signPdfFile (file to file)"], ["memory", "sign() in memory"]] as const) {
      const r = results[which]!;
      const extra = median(r.rss) - baseRss;
      console.log(
        `  ${label.padEnd(28)} ${(median(r.ms) / base).toFixed(2)}x time (${median(r.ms).toFixed(0)} ms)   ` +
          `+${(extra / sizeMiB).toFixed(2)}x size in memory (+${extra.toFixed(0)} MiB over ${baseRss.toFixed(0)} MiB)`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

hashingChunks();
await pdfSigning();

/**
 * Case 4, PAdES: 1, 100 and 500 MB PDFs, classic xref and object streams (qpdf rewrite), invisible and visible,
 * each measurement in its own process (pdf-signing.ts) so its peak RSS is its own. Baselines in the same run: a
 * SHA-256 pass over the same file, and PDFBox 2 + BouncyCastle (java/PdfBoxSign.java, Debian's jars) signing the
 * same file with the same SoftHSM key through SunPKCS11. Times exclude process start and key opening.
 *
 * KYSO_BENCH_PDF_MB=1,100,500   KYSO_BENCH_PDF_ROUNDS=1 (3 for files under 10 MB)
 */
import { execFile } from "node:child_process";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import pkcs11js from "pkcs11js";
import { copyFixtureTokens } from "../fixtures/index.js";
import { makeLargePdf, toXrefStreamPdf } from "../integration/signing/pdf-samples.js";
import { median, report, size, sizes, target, type Row, type Target } from "./bench-lib.js";

const run = promisify(execFile);
const JARS = ["pdfbox2.jar", "fontbox2.jar", "bcprov.jar", "bcpkix.jar", "bcutil.jar", "commons-logging.jar"].map((j) => `/usr/share/java/${j}`);
const megabytesList = sizes("PDF_MB", [1, 100, 500], [1]);
const bigRounds = size("PDF_ROUNDS", 1, 1);
const dir = join(process.env.KYSO_BENCH_DIR ?? "/tmp", "pades");
await mkdir(dir, { recursive: true });

interface Measure {
  ms: number;
  maxRssMiB: number;
  loopMaxMs?: number;
}

async function kyso(which: string, pdf: string, env: NodeJS.ProcessEnv): Promise<Measure> {
  const script = resolve(import.meta.dirname, "pdf-signing.ts");
  const { stdout } = await run(process.execPath, ["--import", "tsx", script, which, pdf], { env, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Measure;
}

const tokens = await copyFixtureTokens();
const env = { ...process.env, SOFTHSM2_CONF: tokens.softhsmConf };
const fixture = tokens.cert("personRsa");

// SunPKCS11 addresses the token by its index in C_GetSlotList(true).
process.env.SOFTHSM2_CONF = tokens.softhsmConf;
const p11 = new pkcs11js.PKCS11();
p11.load(tokens.manifest.modulePath);
p11.C_Initialize();
const slotIndex = p11.C_GetSlotList(true).findIndex((s) => p11.C_GetTokenInfo(s).label.trim() === fixture.token);
p11.C_Finalize();
p11.close();
const p11Config = join(dir, "sunpkcs11.cfg");
await writeFile(p11Config, `name = KySoBench\nlibrary = ${tokens.manifest.modulePath}\nslotListIndex = ${slotIndex}\n`);
const classes = join(dir, "java");
await run("javac", ["-encoding", "UTF-8", "-Xlint:-path", "-d", classes, "-cp", JARS.join(":"), resolve(import.meta.dirname, "java/PdfBoxSign.java")]);

async function pdfbox(pdf: string): Promise<Measure> {
  const { stdout } = await run(
    "java",
    ["-XX:+UseSerialGC", "-Djava.awt.headless=true", "-cp", [classes, ...JARS].join(":"), "PdfBoxSign", p11Config, tokens.manifest.userPin, fixture.fingerprintSha256, pdf, `${pdf}.pdfbox.pdf`],
    { env, maxBuffer: 1 << 20, timeout: 10 * 60_000 },
  );
  await rm(`${pdf}.pdfbox.pdf`, { force: true });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Measure;
}

const rows: Row[] = [];
const targets: Target[] = [];
const WHICH = [
  ["sha256", "SHA-256 pass (baseline)"],
  ["file", "signPdfFile, invisible"],
  ["file-visible", "signPdfFile, visible"],
  ["memory", "in memory via the document workers, invisible"],
  ["memory-visible", "in memory via the document workers, visible"],
  ["pdfbox", "PDFBox 2 + BC, invisible"],
] as const;
try {
  for (const megabytes of megabytesList) {
    const classic = join(dir, `${megabytes}mb-classic.pdf`);
    await makeLargePdf(classic, megabytes);
    const objstm = join(dir, `${megabytes}mb-objstm.pdf`);
    await toXrefStreamPdf(classic, objstm);
    for (const [variant, pdf] of [["classic xref", classic], ["object streams", objstm]] as const) {
      const fileMiB = (await stat(pdf)).size / 2 ** 20;
      const rounds = megabytes < 10 ? 3 : bigRounds;
      const got: Record<string, Measure[]> = {};
      for (let round = 0; round < rounds; round++) {
        for (const [which] of WHICH) (got[which] ??= []).push(which === "pdfbox" ? await pdfbox(pdf) : await kyso(which, pdf, env));
      }
      const base = median(got.sha256!.map((m) => m.ms));
      const label = `${megabytes} MB ${variant}`;
      const summary: Record<string, Row> = {};
      for (const [which, name] of WHICH) {
        const ms = got[which]!.map((m) => m.ms);
        const loops = got[which]!.map((m) => m.loopMaxMs).filter((v): v is number => v !== undefined);
        const r: Row = {
          name: `${label}: ${name}`,
          n: ms.length,
          medianMs: median(ms),
          p95Ms: Math.max(...ms),
          p99Ms: Math.max(...ms),
          throughput: (fileMiB * 1000) / median(ms),
          peakRssMiB: Math.max(...got[which]!.map((m) => m.maxRssMiB)),
          ...(which === "sha256" ? {} : { baseline: "SHA-256 pass", ratio: median(ms) / base }),
          ...(loops.length ? { loopMaxMs: Math.max(...loops) } : {}),
          note: which === "sha256" ? "throughput in MiB/s" : undefined,
        };
        summary[which] = r;
        rows.push(r);
      }
      targets.push(target(`event loop blocked, PAdES file path ${label}`, Math.max(summary.file!.loopMaxMs ?? 0, summary["file-visible"]!.loopMaxMs ?? 0), "<=", 50, "ms"));
      targets.push(target(`event loop blocked, PAdES in memory ${label} (through the document workers)`, summary.memory!.loopMaxMs ?? 0, "<=", 50, "ms"));
      if (megabytes >= 500) {
        targets.push(target(`PAdES ${label} file path / SHA-256 pass`, summary.file!.ratio!, "<=", 2.5, "x"));
        targets.push(target(`PAdES ${label} file path peak RSS − (1.2 x file + 150 MB)`, summary.file!.peakRssMiB - (1.2 * fileMiB + 150), "<=", 0, "MiB"));
        targets.push(target(`PAdES ${label} file path / PDFBox`, summary.file!.medianMs / summary.pdfbox!.medianMs, "<=", 1, "x"));
      }
    }
    await rm(classic, { force: true });
    await rm(objstm, { force: true });
  }
} finally {
  await tokens.cleanup();
}
report({
  case: "pades",
  rows,
  targets,
  notes: [
    "one process per measurement; p95/p99 columns show the max over the rounds",
    "in memory = the product's path (bridge, Sign files, CLI): the document through the bounded document workers; the file path is the library's flat-memory signPdfFile",
    "PDFBox: time from PDDocument.load to saveIncremental, JVM start and KeyStore loading excluded",
  ],
});

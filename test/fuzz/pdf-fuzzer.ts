/**
 * Seeded mutation fuzzer for the PDF path (issue 9). Each case mutates a seed PDF, asks `describe()` through
 * the bridge's signing port and, when the document was accepted, signs it with a software signer as the approval
 * would. Findings: a case slower than `hangMs`; a thrown value that is not a KysoError; describe() accepted and
 * sign() failed (the user would have typed the PIN for nothing); every `verifyEvery`th signed output rejected by
 * `qpdf --check` (only when the input itself passed) or whose new signature `pdfsig` does not call valid.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Signer } from "../../main/domain/signer.js";
import { isKysoError } from "../../main/domain/errors/index.js";
import type { SigningPortItem } from "../../main/core/signing/signing-port.js";
import { fuzzPort } from "./fuzz-port.js";
import { pdfsigVerify, qpdfCheck } from "../verifiers/cli-verifiers.js";
import type { Finding, FuzzOptions, FuzzReport } from "./fuzz-report.js";
import { mutate } from "./pdf-mutations.js";
import { pdfSeeds, type Seed } from "./pdf-seeds.js";
import { softwareSigner } from "./pdf-signer.js";
import { createPrng, type Prng } from "./prng.js";

const DEFAULT_HANG_MS = 3000;

/** PAdES options a portal may send: mostly invisible, sometimes a stamp on a page that may not exist. */
function optionsFor(rng: Prng): Record<string, unknown> {
  switch (rng.int(8)) {
    case 0:
      return { visible: { page: rng.pick([1, 2, 3, 7, "last"] as const) } };
    case 1:
      return { fieldName: rng.pick(["Signature1", "HoTen", "ChuKy"]) };
    case 2:
      return { reason: "Phê duyệt", location: "Hà Nội" };
    default:
      return {};
  }
}

let shared: Promise<{ signer: Signer; seeds: Seed[] }> | undefined;
function setUp(): Promise<{ signer: Signer; seeds: Seed[] }> {
  shared ??= (async () => {
    const signer = await softwareSigner();
    return { signer, seeds: await pdfSeeds(signer) };
  })();
  return shared;
}

export async function fuzzPdf(options: FuzzOptions): Promise<FuzzReport> {
  const { signer, seeds } = await setUp();
  const hangMs = options.hangMs ?? DEFAULT_HANG_MS;
  const verifyEvery = options.verifyEvery ?? 0;
  const port = fuzzPort(options.workers);
  await port.ready();
  let loopMaxMs: number | undefined;
  let coreCpuMaxMs: number | undefined;
  const signingTime = new Date(Date.UTC(2026, 5, 1, 8, 0, 0));
  const findings: Finding[] = [];
  const dir = await mkdtemp(join(tmpdir(), "kyso-pdf-fuzz-"));
  let refused = 0;
  let signed = 0;
  let verified = 0;
  let slowestMs = 0;
  let slowest = "";
  const from = options.from ?? 0;
  try {
    for (let caseIndex = from; caseIndex < from + options.cases; caseIndex++) {
      // One PRNG per case (seed, index): any case replays alone with --from N --cases 1.
      const rng = createPrng((options.seed * 1_000_003 + caseIndex) >>> 0);
      const seed = rng.pick(seeds);
      const { bytes, applied } = mutate(seed.bytes, rng);
      const item: SigningPortItem = { format: "pades", document: bytes, hashAlgorithm: "SHA-256", options: optionsFor(rng) };
      const label = `${seed.name} + ${applied.join(", ")} ${JSON.stringify(item.options)}`;
      const finding = (kind: Finding["kind"], detail: string): void => {
        findings.push({ kind, seed: options.seed, caseIndex, detail: `${label}: ${detail}` });
        options.log?.(`case ${caseIndex}: ${kind}: ${label}: ${detail}`);
      };
      const started = performance.now();
      let described = false;
      try {
        await port.describe(item);
        described = true;
      } catch (error) {
        if (isKysoError(error)) refused++;
        else finding("untyped-error", `describe threw ${String(error)}`);
      }
      let output: Uint8Array | undefined;
      if (described) {
        try {
          output = (await port.sign(item, signer, { signingTime })).document;
          signed++;
        } catch (error) {
          finding(isKysoError(error) ? "failed-after-approval" : "untyped-error", `sign threw after describe accepted: ${String(error)}`);
        }
      }
      const elapsed = performance.now() - started;
      if (elapsed > slowestMs) {
        slowestMs = elapsed;
        slowest = `case ${caseIndex} (${label})`;
      }
      if (elapsed > hangMs) finding("hang", `${elapsed.toFixed(0)} ms`);
      else if (elapsed > hangMs / 3) options.log?.(`case ${caseIndex}: slow, ${elapsed.toFixed(0)} ms: ${label}`);
      if (output && verifyEvery > 0 && signed % verifyEvery === 0) {
        verified++;
        const problem = await verifyOutput(dir, bytes, output);
        if (problem) finding("verifier-rejected", problem);
      }
    }
  } finally {
    loopMaxMs = port.loopMaxMs();
    coreCpuMaxMs = port.coreCpuMaxMs();
    await port.close();
    await rm(dir, { recursive: true, force: true });
  }
  options.log?.(`slowest: ${slowestMs.toFixed(0)} ms, ${slowest}`);
  return { target: "pdf", seed: options.seed, cases: options.cases, refused, signed, verified, slowestMs, findings, ...(loopMaxMs !== undefined ? { loopMaxMs } : {}), ...(coreCpuMaxMs !== undefined ? { coreCpuMaxMs } : {}) };
}

/** qpdf must not find errors it did not find in the input; pdfsig must call KySo's (last) signature valid. */
async function verifyOutput(dir: string, input: Uint8Array, output: Uint8Array): Promise<string | undefined> {
  const inPath = join(dir, "input.pdf");
  const outPath = join(dir, "output.pdf");
  await writeFile(inPath, input);
  await writeFile(outPath, output);
  const [before, after] = [await qpdfCheck(inPath), await qpdfCheck(outPath)];
  if (after.code === 2 && before.code !== 2) return `qpdf --check: ${(after.stderr || after.stdout).slice(0, 300)}`;
  const pdfsig = await pdfsigVerify(outPath);
  const last = pdfsig.signatures.at(-1);
  if (!last?.valid) return `pdfsig: ${last ? last.lines.join(" | ").slice(0, 300) : "no signature found"}`;
  return undefined;
}

/**
 * A ~50 MB PDF signs correctly both in memory and file to file. How fast and how lean is measured by
 * `npm run bench` as ratios to a SHA-256 pass (test/bench/run.ts), never asserted here: timed assertions flake on a
 * loaded runner. The figures are still printed so a run log keeps them.
 */
import { createHash } from "node:crypto";
import { open, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign, signPdfFile } from "../../../main/core/signing/index.js";
import { pdfsigVerify, qpdfCheck } from "../../verifiers/cli-verifiers.js";
import { openHarness, type Harness } from "./harness.js";
import { makeLargePdf } from "./pdf-samples.js";

const MEGABYTES = 50;
let h: Harness;
let input: string;

beforeAll(async () => {
  h = await openHarness();
  input = join(h.dir, "large.pdf");
  await makeLargePdf(input, MEGABYTES);
}, 120_000);
afterAll(async () => h?.close());

/** The baseline: read the file in 1 MiB chunks and hash it. */
async function plainSha256Pass(path: string): Promise<number> {
  const started = performance.now();
  const file = await open(path, "r");
  const hash = createHash("sha256");
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  for (;;) {
    const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    hash.update(chunk.subarray(0, bytesRead));
  }
  await file.close();
  hash.digest();
  return performance.now() - started;
}

describe("a 50 MB PDF", () => {
  it("file to file: a valid signature over the whole file, the output written in one piece", async () => {
    const size = (await stat(input)).size;
    const baseline = await plainSha256Pass(input);
    const signer = await h.signer("personRsa");
    const rssBefore = process.memoryUsage().rss;
    const output = join(h.dir, "large-signed.pdf");
    const started = performance.now();
    const result = await signPdfFile(input, output, signer);
    const elapsed = performance.now() - started;
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    console.log(`[large-pdf] ${(size / 2 ** 20).toFixed(1)} MiB file-to-file: ${elapsed.toFixed(0)} ms (SHA-256 pass ${baseline.toFixed(0)} ms), RSS growth ${(rssGrowth / 2 ** 20).toFixed(1)} MiB`);
    expect(result.size).toBe((await stat(output)).size);
    const pdfsig = await pdfsigVerify(output);
    expect(pdfsig.signatures.map((s) => s.valid)).toEqual([true]);
    expect((await qpdfCheck(output)).code).toBe(0);
  }, 120_000);

  it("file to file and in memory give the same bytes for the same input, key and signing time (the pipelined copy adds or drops nothing)", async () => {
    const signer = await h.signer("personRsa");
    const signingTime = new Date(Date.UTC(2026, 0, 1, 8, 30));
    const output = join(h.dir, "large-same.pdf");
    await signPdfFile(input, output, signer, {}, { signingTime });
    const inMemory = await sign({ format: "pades", document: await readFile(input) }, signer, { signingTime });
    if (inMemory.kind !== "document") throw new Error("expected a document");
    const fromFile = await readFile(output);
    expect(fromFile.length).toBe(inMemory.document.length);
    expect(createHash("sha256").update(fromFile).digest("hex")).toBe(createHash("sha256").update(inMemory.document).digest("hex"));
  }, 120_000);

  it("in memory (the bridge's path): a valid signature, the update adds less than 64 KiB", async () => {
    const pdf = await readFile(input);
    const signer = await h.signer("orgRsa3072");
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const result = await sign({ format: "pades", document: pdf }, signer);
    const elapsed = performance.now() - started;
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    if (result.kind !== "document") throw new Error("expected a document");
    console.log(`[large-pdf] ${(pdf.length / 2 ** 20).toFixed(1)} MiB in memory: ${elapsed.toFixed(0)} ms, RSS growth ${(rssGrowth / 2 ** 20).toFixed(1)} MiB (the signed copy is ${(result.document.length / 2 ** 20).toFixed(1)} MiB)`);
    expect(result.document.length - pdf.length).toBeLessThan(64 * 1024);
    const out = await h.file("large-mem.pdf", result.document);
    expect((await pdfsigVerify(out)).signatures.map((s) => s.valid)).toEqual([true]);
  }, 120_000);
});

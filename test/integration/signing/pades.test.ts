import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKysoError } from "../../../main/domain/errors/index.js";
import { describe as describeDocument, sign } from "../../../main/core/signing/index.js";
import type { FixtureSigner } from "../../helpers/fixture-signer.js";
import { opensslTsVerify, pdfsigVerify, qpdfCheck, runTool } from "../../verifiers/cli-verifiers.js";
import { allErrors, ensureJavaVerifier, verifyWithJava } from "../../verifiers/java-verifier.js";
import { startLocalTsa, type LocalTsa } from "../../verifiers/local-tsa.js";
import { extractTimestamp, lastPdfCms } from "./cms-parts.js";
import { KEY_FIXTURES, openHarness, type Harness } from "./harness.js";
import { makeSamplePdf, toXrefStreamPdf } from "./pdf-samples.js";
import { sealPng } from "./png.js";

const ARTIFACTS = join(import.meta.dirname, "../../artifacts");

let h: Harness;
let tsa: LocalTsa;
let plain: Uint8Array;
let xrefStream: Uint8Array;

beforeAll(async () => {
  h = await openHarness();
  tsa = await startLocalTsa(h.dir);
  plain = await makeSamplePdf(3);
  const input = await h.file("plain.pdf", plain);
  await toXrefStreamPdf(input, join(h.dir, "xref-stream.pdf"));
  xrefStream = await readFile(join(h.dir, "xref-stream.pdf"));
  await ensureJavaVerifier();
});
afterAll(async () => {
  await tsa?.close();
  await h?.close();
});

async function signPdf(pdf: Uint8Array, signer: FixtureSigner, options: Record<string, unknown> = {}): Promise<Uint8Array> {
  const result = await sign({ format: "pades", document: pdf, options }, signer, { timestampAuthority: { url: tsa.url } });
  if (result.kind !== "document") throw new Error("expected a document");
  return result.document;
}

/** pdfsig "Signature is Valid" for every signature, qpdf --check clean, the Java verifier with the count. */
async function expectAllValid(file: string, count: number, javaArgs: readonly string[] = []): Promise<void> {
  const pdfsig = await pdfsigVerify(file);
  expect(pdfsig.signatures.length).toBe(count);
  for (const s of pdfsig.signatures) {
    expect(s.valid, s.lines.join("\n")).toBe(true);
    expect(s.subFilter).toBe("ETSI.CAdES.detached");
  }
  const qpdf = await qpdfCheck(file);
  expect(qpdf.stdout + qpdf.stderr).not.toMatch(/WARNING/);
  expect(qpdf.code).toBe(0);
  const java = await verifyWithJava("pdf", file, ["--expect-count", String(count), ...javaArgs]);
  expect(allErrors(java.report)).toEqual([]);
  expect(java.ok).toBe(true);
}

describe.concurrent.each(KEY_FIXTURES)("PAdES with $label", ({ name }) => {
  it("B-B invisible: incremental update passes pdfsig, qpdf and the Java verifier", async () => {
    const signer = await h.signer(name);
    const signed = await signPdf(plain, signer);
    expect(Buffer.from(signed.subarray(0, plain.length)).equals(Buffer.from(plain))).toBe(true);
    await expectAllValid(await h.file(`${name}-bb.pdf`, signed), 1);
  });

  it("B-T: the signature timestamp verifies with openssl ts and the Java verifier requires it", async () => {
    const signer = await h.signer(name);
    const signed = await signPdf(plain, signer, { level: "B-T" });
    await expectAllValid(await h.file(`${name}-bt.pdf`, signed), 1, ["--require-timestamp"]);
    const cmsFile = await h.file(`${name}-bt.p7s`, lastPdfCms(signed));
    const { tokenFile, signatureValueFile } = await extractTimestamp(cmsFile, cmsFile);
    const ts = await opensslTsVerify({ caFile: tsa.caCertPath, untrusted: tsa.tsaCertPath, data: signatureValueFile, token: tokenFile });
    expect(ts.stdout + ts.stderr).toContain("Verification: OK");
  });

  it("an xref-stream PDF (qpdf --object-streams=generate) signs and verifies", async () => {
    const signer = await h.signer(name);
    const signed = await signPdf(xrefStream, signer, { visible: { position: "top-left" } });
    await expectAllValid(await h.file(`${name}-xrefstm.pdf`, signed), 1);
  });
});

describe("PAdES: several signatures, stamps, description", () => {
  it("signed twice with two certificates (second one B-T), both stay valid", async () => {
    const first = await signPdf(plain, await h.signer("personRsa"), { reason: "Người lập", location: "Hà Nội" });
    const second = await signPdf(first, await h.signer("orgRsa3072"), { level: "B-T", reason: "Phê duyệt" });
    const file = await h.file("twice.pdf", second);
    await expectAllValid(file, 2);
    const description = await describeDocument({ format: "pades", document: second });
    expect(description).toMatchObject({ kind: "pdf", pageCount: 3, size: second.length });
    if (description.kind !== "pdf") return;
    expect(description.existingSignatures.map((s) => s.fieldName)).toEqual(["Signature1", "Signature2"]);
    expect(description.existingSignatures[0]!.signerName).toBe("Nguyễn Văn An");
    expect(description.existingSignatures.map((s) => s.integrity)).toEqual(["intact", "intact"]);
  });

  it("an xref-stream PDF signed twice keeps both valid", async () => {
    const first = await signPdf(xrefStream, await h.signer("personEc"));
    const second = await signPdf(first, await h.signer("personB"), { visible: { page: 1, rect: [50, 50, 240, 70] } });
    await expectAllValid(await h.file("xrefstm-twice.pdf", second), 2);
  });

  it("a field name already in the PDF is refused", async () => {
    const first = await signPdf(plain, await h.signer("personRsa"), { fieldName: "ChuKy_GiamDoc" });
    await expect(signPdf(first, await h.signer("personRsa"), { fieldName: "ChuKy_GiamDoc" })).rejects.toSatisfy((e) => isKysoError(e, "invalid_params"));
  });

  it("visible Vietnamese stamp with a seal image is rendered by pdftoppm and the stamp area is not blank", async () => {
    const signer = await h.signer("orgRsa3072");
    const rect = [330, 40, 230, 80] as const;
    const signed = await signPdf(plain, signer, {
      reason: "Ký duyệt tờ trình số 15/TTr-UBND",
      location: "Đà Nẵng",
      visible: { page: "last", rect, image: Buffer.from(sealPng()).toString("base64") },
    });
    const file = await h.file("visible.pdf", signed);
    await expectAllValid(file, 1);
    await mkdir(ARTIFACTS, { recursive: true });
    const artifact = join(ARTIFACTS, "pades-visible-stamp");
    const render = await runTool("pdftoppm", ["-r", "72", "-f", "3", "-l", "3", "-png", "-singlefile", file, artifact]);
    expect(render.ok).toBe(true);
    // The stamp area alone, in grey, as PGM (P5) so the test can count pixels without a PNG decoder.
    const pageHeight = 842;
    const crop = join(h.dir, "stamp");
    const cropped = await runTool("pdftoppm", ["-r", "72", "-f", "3", "-l", "3", "-gray", "-singlefile",
      "-x", String(rect[0]), "-y", String(pageHeight - rect[1] - rect[3]), "-W", String(rect[2]), "-H", String(rect[3]), file, crop]);
    expect(cropped.ok).toBe(true);
    const pgm = await readFile(`${crop}.pgm`);
    const pixels = pgm.subarray(pgm.length - rect[2] * rect[3]);
    const dark = pixels.filter((v) => v < 128).length;
    expect(dark / pixels.length).toBeGreaterThan(0.03);
    // Blank page area for comparison: the same size from the middle of the page has no ink.
    const blank = await runTool("pdftoppm", ["-r", "72", "-f", "3", "-l", "3", "-gray", "-singlefile", "-x", "100", "-y", "300", "-W", "230", "-H", "80", file, join(h.dir, "blank")]);
    expect(blank.ok).toBe(true);
    const blankPixels = (await readFile(join(h.dir, "blank.pgm"))).subarray(-230 * 80);
    expect(blankPixels.filter((v) => v < 128).length).toBe(0);
  });
});

describe("PAdES refusals", () => {
  it("a tampered byte inside the signed range fails pdfsig and the Java verifier", async () => {
    const signed = Buffer.from(await signPdf(plain, await h.signer("personRsa")));
    // Byte 10 sits in the binary comment after %PDF-1.7: the file still parses, only the digest changes.
    signed[10] = signed[10]! ^ 0x01;
    const file = await h.file("tampered.pdf", signed);
    const pdfsig = await pdfsigVerify(file);
    expect(pdfsig.signatures.every((s) => !s.valid)).toBe(true);
    expect((await verifyWithJava("pdf", file, ["--expect-count", "1"])).ok).toBe(false);
  });

  it("an encrypted PDF is refused with document_encrypted", async () => {
    const input = await h.file("to-encrypt.pdf", plain);
    const output = join(h.dir, "encrypted.pdf");
    const r = await runTool("qpdf", ["--encrypt", "user", "owner", "256", "--", input, output]);
    expect(r.ok).toBe(true);
    await expect(signPdf(await readFile(output), await h.signer("personRsa"))).rejects.toSatisfy((e) => isKysoError(e, "document_encrypted"));
  });

  it("truncated and non-PDF input are refused with document_invalid", async () => {
    const signer = await h.signer("personRsa");
    await expect(signPdf(plain.subarray(0, Math.floor(plain.length * 0.7)), signer)).rejects.toSatisfy((e) => isKysoError(e, "document_invalid"));
    await expect(signPdf(new TextEncoder().encode("not a pdf at all, just text".repeat(10)), signer)).rejects.toSatisfy((e) => isKysoError(e, "document_invalid"));
  });

  it("SHA-1 is refused with unsupported_algorithm", async () => {
    await expect(sign({ format: "pades", document: plain, hashAlgorithm: "sha1" as never }, await h.signer("personRsa"))).rejects.toSatisfy((e) => isKysoError(e, "unsupported_algorithm"));
  });

  it("B-T with the TSA down is timestamp_failed, never a silent B-B", async () => {
    tsa.setMode("http-error");
    try {
      await expect(signPdf(plain, await h.signer("personRsa"), { level: "B-T" })).rejects.toSatisfy((e) => isKysoError(e, "timestamp_failed"));
    } finally {
      tsa.setMode("ok");
    }
  });
});


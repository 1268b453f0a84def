/**
 * Defect 3, PDF part (issue 9): existing signatures were listed as "signed by <the /Name the file wrote>" without
 * any check. Now KySo verifies each one (ByteRange digest vs messageDigest, the CMS signature with the embedded
 * certificate's key) and names the signer from that certificate; /Name and /M are the document's claims.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describe as describeDocument, sign } from "../../../main/core/signing/index.js";
import { completeSignature, contentsReserve } from "../../../main/core/signing/pdf/complete-signature.js";
import { memorySource } from "../../../main/core/signing/pdf/pdf-source.js";
import { prepareUpdate } from "../../../main/core/signing/pdf/prepare-update.js";
import { chooseScheme } from "../../../main/core/signing/scheme.js";
import type { FixtureSigner } from "../../helpers/fixture-signer.js";
import { pdfsigVerify } from "../../verifiers/cli-verifiers.js";
import { minimalPdf } from "../../fuzz/pdf-handmade.js";
import { openHarness, type Harness } from "./harness.js";
import { makeSamplePdf } from "./pdf-samples.js";

let h: Harness;
let plain: Uint8Array;
beforeAll(async () => {
  h = await openHarness();
  plain = await makeSamplePdf(2);
});
afterAll(async () => {
  await h?.close();
});

async function signPdf(pdf: Uint8Array, signer: FixtureSigner, options: Record<string, unknown> = {}): Promise<Uint8Array> {
  const result = await sign({ format: "pades", document: pdf, options }, signer);
  if (result.kind !== "document") throw new Error("expected a document");
  return result.document;
}

async function signatures(pdf: Uint8Array) {
  const d = await describeDocument({ format: "pades", document: pdf });
  if (d.kind !== "pdf") throw new Error("expected a pdf description");
  return d;
}

/** A real signature whose dictionary writes another /Name than the certificate's (what a forger controls). */
async function signWithForgedName(pdf: Uint8Array, signer: FixtureSigner, forgedName: string): Promise<Uint8Array> {
  const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const prepared = await prepareUpdate({ source: memorySource(pdf), options: {}, signerName: forgedName, signedAt, reserve: contentsReserve(signer, "B-B") });
  const { increment } = await completeSignature(
    { prepared, originalSize: pdf.length, hashAlgorithm: "SHA-256", scheme: chooseScheme(signer), level: "B-B", hashOriginal: (hash) => void hash.update(pdf) },
    signer,
    {},
  );
  return Buffer.concat([pdf, increment]);
}

describe("existing PDF signatures: KySo's own check", () => {
  it("a PDF signed by KySo: intact, signer from the certificate, covers the whole file; /Name and /M are claims", async () => {
    const signed = await signPdf(plain, await h.signer("personRsa"), { reason: "Phê duyệt" });
    const d = await signatures(signed);
    expect(d.existingSignatures).toEqual([
      {
        fieldName: "Signature1",
        integrity: "intact",
        signerName: "Nguyễn Văn An",
        coverage: "whole-file",
        claims: { name: "Nguyễn Văn An", signedAt: expect.stringMatching(/^D:\d{14}\+07'00'$/), reason: "Phê duyệt" },
      },
    ]);
    expect(d.claims).toEqual({ title: "Hồ sơ đề nghị cấp phép" });
    expect(d).not.toHaveProperty("title");
  });

  it("signed twice (RSA then P-256): both intact, the first covers its revision only", async () => {
    const first = await signPdf(plain, await h.signer("personRsa"));
    const second = await signPdf(first, await h.signer("personEc"));
    const d = await signatures(second);
    expect(d.existingSignatures.map((s) => [s.integrity, s.coverage])).toEqual([
      ["intact", "revision"],
      ["intact", "whole-file"],
    ]);
    expect(d.existingSignatures[1]!.signerName).toBeTruthy();
  });

  it("a flipped byte inside the signed range: broken (and pdfsig agrees), no signer name shown", async () => {
    const signed = Buffer.from(await signPdf(plain, await h.signer("personRsa")));
    signed[10] = signed[10]! ^ 0x01;
    const d = await signatures(signed);
    expect(d.existingSignatures).toHaveLength(1);
    expect(d.existingSignatures[0]).toMatchObject({ integrity: "broken", integrityReason: "digest-mismatch" });
    expect(d.existingSignatures[0]).not.toHaveProperty("signerName");
    expect((await pdfsigVerify(await h.file("flipped.pdf", signed))).signatures[0]!.valid).toBe(false);
  });

  it("a forged /Name on a valid signature: the signer shown is the certificate's, the /Name only a claim", async () => {
    const forged = await signWithForgedName(plain, await h.signer("personRsa"), "Bộ Tài chính");
    const [s] = (await signatures(forged)).existingSignatures;
    expect(s).toMatchObject({ integrity: "intact", signerName: "Nguyễn Văn An", claims: { name: "Bộ Tài chính" } });
  });

  it("a signature dictionary with a forged /Name and no real signature: broken, the name only a claim", async () => {
    const pdf = minimalPdf(
      {
        4: "<< /FT /Sig /T (ChuKy) /V 5 0 R >>",
        5: "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 10 20 10] /Contents <3082000A0102030405> /Name (Bo Tai chinh) /M (D:20250101000000+07'00') >>",
      },
      "/AcroForm << /Fields [4 0 R] >>",
    );
    const [s] = (await signatures(pdf)).existingSignatures;
    expect(s).toMatchObject({ fieldName: "ChuKy", integrity: "broken", claims: { name: "Bo Tai chinh", signedAt: "D:20250101000000+07'00'" } });
    expect(s).not.toHaveProperty("signerName");
  });

  it("a signature KySo does not check (another /SubFilter) is unsupported, never shown as valid", async () => {
    const pdf = minimalPdf(
      { 4: "<< /FT /Sig /T (Cu) /V 5 0 R >>", 5: "<< /Type /Sig /SubFilter /adbe.x509.rsa_sha1 /ByteRange [0 10 20 10] /Contents <00> /Name (X) >>" },
      "/AcroForm << /Fields [4 0 R] >>",
    );
    expect((await signatures(pdf)).existingSignatures[0]).toMatchObject({ integrity: "unsupported", integrityReason: "unsupported-subfilter", integrityDetail: expect.stringMatching(/SubFilter/) });
  });
});

/**
 * XAdES B-T and B-LT against real parts on 127.0.0.1 (the long-term PKI: `openssl ocsp`, a CRL, `openssl ts`),
 * verified by xmlsec1 and by the Java verifier (Santuario canonicalises the SignatureValue itself, BC checks the
 * token and the OCSP responses).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isKysoError } from "../../../main/domain/errors/index.js";
import { sign } from "../../../main/core/signing/index.js";
import { gatherLongTermData } from "../../../main/core/signing/long-term/gather.js";
import type { LongTermData } from "../../../main/core/signing/long-term/validation-data.js";
import { xmlsecVerify } from "../../verifiers/cli-verifiers.js";
import { allErrors, ensureJavaVerifier, verifyWithJava } from "../../verifiers/java-verifier.js";
import { startLongTermPki, type LongTermPki } from "./long-term-pki.js";

// Each test runs pdfsig, qpdf and a JVM, and the B-LTA ones two timestamps: on a loaded 2-core machine 30 s is tight.
vi.setConfig({ testTimeout: 120_000 });

let h: LongTermPki;
let longTerm: LongTermData;
const contract = new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n<HopDong><SoHD>13/2026</SoHD><BenA>Công ty Kiểm thử</BenA></HopDong>\n`);
const ID_ATTRS = ["Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties"];

beforeAll(async () => {
  h = await startLongTermPki();
  longTerm = await gatherLongTermData([h.signer.certificate, ...h.signer.chain], h.revocation(), { timestampAuthority: { url: h.tsa.url } });
  await ensureJavaVerifier();
});
afterAll(async () => {
  await h?.close();
});

async function expectXades(name: string, xml: Uint8Array, javaArgs: readonly string[]): Promise<string> {
  const file = await h.file(name, xml);
  const xmlsec = await xmlsecVerify(file, { trustedPem: h.rootPem, untrustedPem: [h.caPem], idAttrs: ID_ATTRS });
  expect(xmlsec.stderr).toMatch(/OK/);
  expect(xmlsec.ok).toBe(true);
  const java = await verifyWithJava("xml", file, ["--expect-references", "2", "--require-xades", ...javaArgs]);
  expect(allErrors(java.report)).toEqual([]);
  expect(java.ok).toBe(true);
  return new TextDecoder().decode(xml);
}

describe("XAdES B-T and B-LT", () => {
  it("B-T: SignatureTimeStamp over the exclusive-C14N SignatureValue", async () => {
    const result = await sign({ format: "xades", document: contract, options: { level: "B-T" } }, h.signer, { timestampAuthority: { url: h.tsa.url } });
    if (result.kind !== "document") throw new Error("expected a document");
    const text = await expectXades("b-t.xml", result.document, ["--expect-signature-timestamp"]);
    expect(text).toContain("xades:UnsignedSignatureProperties");
    expect(text).not.toContain("CertificateValues");
  });

  it("B-LT: CertificateValues and RevocationValues with good OCSP responses for the signer and the TSA", async () => {
    const result = await sign({ format: "xades", document: contract, options: { level: "B-LT" } }, h.signer, { timestampAuthority: { url: h.tsa.url }, longTerm });
    if (result.kind !== "document") throw new Error("expected a document");
    const text = await expectXades("b-lt.xml", result.document, ["--expect-signature-timestamp", "--expect-xades-lt"]);
    expect(text.match(/<xades:EncapsulatedOCSPValue>/g)?.length).toBe(2);
  });

  it("B-T without a TSA is timestamp_failed; B-LT without gathered data is revocation_unavailable", async () => {
    await expect(sign({ format: "xades", document: contract, options: { level: "B-T" } }, h.signer)).rejects.toSatisfy((e: unknown) => isKysoError(e) && e.code === "timestamp_failed");
    await expect(sign({ format: "xades", document: contract, options: { level: "B-LT" } }, h.signer, { timestampAuthority: { url: h.tsa.url } })).rejects.toSatisfy(
      (e: unknown) => isKysoError(e) && e.code === "revocation_unavailable",
    );
  });
});

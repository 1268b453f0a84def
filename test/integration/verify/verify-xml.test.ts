/**
 * verifyXml on a corpus built here: XAdES, tax declarations and e-invoices signed by KySo's own signing code with
 * the SoftHSM fixture keys, and third-party signatures made by xmlsec1 with a software key. Verdicts follow
 * ETSI EN 319 102-1 / EU DSS (docs/verify.md "XML").
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadAnchors, type TrustAnchor } from "../../../main/core/certificates/trust/index.js";
import { certificateIdentifiers } from "../../../main/core/certificates/vn-identifiers.js";
import { sign } from "../../../main/core/signing/index.js";
import type { Signer } from "../../../main/domain/signer.js";
import { verifyXml, type VerificationReport } from "../../../main/core/verify/index.js";
import { runTool, xmlsecVerify } from "../../verifiers/cli-verifiers.js";
import { openHarness, type Harness } from "../signing/harness.js";
import { fixtureCrl, makeSoftwarePki, signatureTemplate, xmlsecSign, type SoftwarePki } from "./verify-corpus.js";

vi.setConfig({ testTimeout: 120_000 });

const DOCS = join(import.meta.dirname, "../../fixtures/documents");
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";

let h: Harness;
let anchors: TrustAnchor[];
let crls: Uint8Array[];
let tax: string;
let invoice: Uint8Array;
let xades: Uint8Array;
let taxSigned: Uint8Array;
let invoiceSigned: Uint8Array;
let tp: SoftwarePki;
let tpAnchors: TrustAnchor[];

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

async function signXml(format: "xades" | "vn-tax" | "vn-einvoice", document: Uint8Array, signer: Signer): Promise<Uint8Array> {
  const result = await sign({ format, document, options: {} }, signer);
  if (result.kind !== "document") throw new Error("expected a document");
  return result.document;
}

const taxFor = (signer: { certificate: Uint8Array }): Uint8Array => {
  const vn = certificateIdentifiers(signer.certificate);
  return utf8(tax.replace("<mst>0101234567</mst>", `<mst>${vn.taxCode ?? vn.personalId}</mst>`));
};

const verify = (xml: Uint8Array, extra: { anchors?: TrustAnchor[]; crls?: Uint8Array[] } = {}): Promise<VerificationReport> =>
  verifyXml(xml, { anchors: extra.anchors ?? anchors, revocationData: { crls: extra.crls ?? crls } });

beforeAll(async () => {
  h = await openHarness();
  const person = await h.signer("personRsa");
  const org = await h.signer("orgRsa3072");
  anchors = [...(await loadAnchors({ files: [person.rootPem] })).anchors];
  const manifest = h.signers.tokens.manifest;
  crls = [await fixtureCrl(h.dir, manifest.pki.publicCaPem, "public"), await fixtureCrl(h.dir, manifest.pki.govCaPem, "gov")];
  tax = await readFile(join(DOCS, "tax-declaration-01gtgt.xml"), "utf8");
  invoice = new Uint8Array(await readFile(join(DOCS, "einvoice-seller.xml")));
  xades = await signXml("xades", new Uint8Array(await readFile(join(DOCS, "generic-contract.xml"))), person);
  taxSigned = await signXml("vn-tax", taxFor(org), org);
  // The sample invoice's seller MST is the organisation certificate's.
  invoiceSigned = await signXml("vn-einvoice", invoice, org);
  tp = await makeSoftwarePki(h.dir);
  tpAnchors = [...(await loadAnchors({ files: [tp.rootPem] })).anchors];
});
afterAll(async () => {
  await h?.close();
});

describe("verifyXml on KySo-signed XML", () => {
  it("XAdES B-B: TOTAL-PASSED, whole document, SigningCertificateV2 bound, SigningTime claimed", async () => {
    const report = await verify(xades);
    expect(report.format).toBe("xml");
    expect(report.signatures).toHaveLength(1);
    const sig = report.signatures[0]!;
    expect(sig.result).toMatchObject({ indication: "TOTAL-PASSED", reason: "valid" });
    expect(report.result).toEqual({ indication: "TOTAL-PASSED", reason: "allSignaturesValid" });
    expect(sig.coverage).toBe("whole-file");
    expect(sig.integrity).toEqual({ hash: "valid", signature: "valid" });
    expect(sig.references!.map((r) => r.scope)).toEqual(["whole-document", "signed-properties"]);
    expect(sig.references![0]!.transforms).toEqual([ENVELOPED, EXC_C14N]);
    expect(sig.signer).toMatchObject({ displayName: "Nguyễn Văn An", personalId: "001234567890" });
    expect(sig.claimedSigningTime).toBeDefined();
    expect(sig.certificateValidAtSigningTime).toBe(true);
    expect(sig.revocation).toMatchObject({ status: "good", source: "supplied", kind: "crl" });
    expect(sig.chain).toMatchObject({ trusted: true });
  });

  it("tax declaration: TOTAL-PASSED, covers HSoKhaiThue (a part, the signature's container aside), SigningTime from the signed object", async () => {
    const sig = (await verify(taxSigned)).signatures[0]!;
    expect(sig.result).toMatchObject({ indication: "TOTAL-PASSED", reason: "valid" });
    expect(sig.coverage).toBe("document-part");
    expect(sig.references!.map((r) => [r.scope, r.element])).toEqual([["element", "HSoKhaiThue"], ["signature-object", "Object"]]);
    expect(sig.unsignedContent).toBeUndefined();
    expect(sig.claimedSigningTime).toBeDefined();
    expect(sig.signer).toMatchObject({ taxCode: "0101234567" });
  });

  it("e-invoice: TOTAL-PASSED, covers DLHDon; the buyer's empty NMua placeholder is not unsigned content", async () => {
    const report = await verify(invoiceSigned);
    const sig = report.signatures[0]!;
    expect(sig.fieldName).toBe("NBan");
    expect(sig.result).toMatchObject({ indication: "TOTAL-PASSED", reason: "valid" });
    expect(sig.references!.map((r) => r.element)).toEqual(["DLHDon", "Object"]);
    expect(sig.warnings).toEqual([]);
  });

  it("a changed amount in the signed invoice data: TOTAL-FAILED/HASH_FAILURE", async () => {
    const tampered = utf8(text(invoiceSigned).replace("<TgTTTBSo>11000000</TgTTTBSo>", "<TgTTTBSo>91000000</TgTTTBSo>"));
    const sig = (await verify(tampered)).signatures[0]!;
    expect(sig.integrity.hash).toBe("invalid");
    expect(sig.references![0]!.digest).toBe("invalid");
    expect(sig.result).toMatchObject({ indication: "TOTAL-FAILED", subIndication: "HASH_FAILURE", reason: "hashMismatch" });
  });

  it("a changed SignedInfo (digests intact): TOTAL-FAILED/SIG_CRYPTO_FAILURE", async () => {
    const tampered = utf8(text(taxSigned).replace("<SignedInfo>", '<SignedInfo Id="changed">'));
    const sig = (await verify(tampered)).signatures[0]!;
    expect(sig.integrity).toEqual({ hash: "valid", signature: "invalid" });
    expect(sig.result).toMatchObject({ indication: "TOTAL-FAILED", subIndication: "SIG_CRYPTO_FAILURE", reason: "signatureInvalid" });
  });

  it("a second element with the signed Id (signature wrapping): TOTAL-FAILED/FORMAT_FAILURE, never a pick", async () => {
    const wrapped = utf8(text(invoiceSigned).replace("<DSCKS>", '<Extra><DLHDon Id="data"><TTChung/></DLHDon></Extra><DSCKS>'));
    const sig = (await verify(wrapped)).signatures[0]!;
    expect(sig.result).toMatchObject({ indication: "TOTAL-FAILED", subIndication: "FORMAT_FAILURE", reason: "ambiguousReference" });
  });

  it("an unsupported transform (XSLT) is INDETERMINATE with its reason, not a crash", async () => {
    const xslt = utf8(text(taxSigned).replace(`<Transform Algorithm="${ENVELOPED}"/>`, '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>'));
    const sig = (await verify(xslt)).signatures[0]!;
    expect(sig.references![0]!.digest).toBe("not-checked");
    expect(sig.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "unsupportedTransform", detail: "http://www.w3.org/TR/1999/REC-xslt-19991116" });
  });

  it("a signature whose references name only its own objects signs nothing of the document: INDETERMINATE", async () => {
    const own = utf8(text(invoiceSigned).replace(/<Reference URI="#data">[\s\S]*?<\/Reference>/, ""));
    const sig = (await verify(own)).signatures[0]!;
    expect(sig.references!.map((r) => r.scope)).toEqual(["signature-object"]);
    expect(sig.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "referenceNotFound" });
  });

  it("no configured anchor for the root: INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND", async () => {
    const report = await verify(xades, { anchors: [...(await loadAnchors({})).anchors] });
    expect(report.signatures[0]!.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "NO_CERTIFICATE_CHAIN_FOUND" });
    expect(report.result.indication).toBe("INDETERMINATE");
  });

  it("expired and revoked signers follow the PDF verdicts (OUT_OF_BOUNDS_NO_POE, REVOKED_NO_POE); no revocation data: TRY_LATER", async () => {
    const contract = new Uint8Array(await readFile(join(DOCS, "generic-contract.xml")));
    const expired = (await verify(await signXml("xades", contract, await h.signer("expired")), { crls: [] })).signatures[0]!;
    expect(expired.integrity).toEqual({ hash: "valid", signature: "valid" });
    expect(expired.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "OUT_OF_BOUNDS_NO_POE", reason: "expiredAtSigningTime" });
    const revoked = (await verify(await signXml("xades", contract, await h.signer("revoked")))).signatures[0]!;
    expect(revoked.revocation).toMatchObject({ status: "revoked", kind: "crl" });
    expect(revoked.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "REVOKED_NO_POE" });
    const missing = (await verify(xades, { crls: [] })).signatures[0]!;
    expect(missing.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "TRY_LATER" });
  });

  it("a document without signatures: INDETERMINATE/SIGNED_DATA_NOT_FOUND; a DTD is refused as document_invalid", async () => {
    expect((await verify(invoice)).result).toEqual({ indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "noSignatures" });
    await expect(verify(utf8('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'))).rejects.toMatchObject({ code: "document_invalid" });
  });
});

describe("verifyXml on third-party signatures (xmlsec1)", () => {
  const doc = (signature: string): string => `<?xml version="1.0" encoding="UTF-8"?>\n<Envelope xmlns:x="urn:x">\n  <Part Id="part" x:kind="hợp đồng">Nội dung đã ký</Part>\n  <Other>Nội dung không ký</Other>\n  ${signature}\n</Envelope>\n`;

  it("enveloped over the whole document: TOTAL-PASSED (no revocation source named: passes with the warning)", async () => {
    const signed = await xmlsecSign(h.dir, "tp-whole", doc(signatureTemplate("", [ENVELOPED, C14N])), tp);
    expect((await xmlsecVerify(await h.file("tp-whole-check.xml", signed), { trustedPem: tp.rootPem })).ok).toBe(true);
    const sig = (await verify(signed, { anchors: tpAnchors })).signatures[0]!;
    expect(sig.coverage).toBe("whole-file");
    expect(sig.result).toMatchObject({ indication: "TOTAL-PASSED", reason: "validWithWarnings" });
    expect(sig.warnings).toEqual(["noRevocationSource"]);
    expect(sig.signer).toMatchObject({ displayName: "Trần Thị Ba" });
  });

  it("over one element only: reported as a part, the content outside it named, still valid (DSS: signature scope)", async () => {
    const signed = await xmlsecSign(h.dir, "tp-part", doc(signatureTemplate("#part", [EXC_C14N], EXC_C14N)), tp, ["Id Part"]);
    const sig = (await verify(signed, { anchors: tpAnchors })).signatures[0]!;
    expect(sig.coverage).toBe("document-part");
    expect(sig.references).toEqual([{ uri: "#part", scope: "element", element: "Part", transforms: [EXC_C14N], digest: "valid" }]);
    expect(sig.unsignedContent).toEqual(["Other"]);
    expect(sig.warnings).toContain("contentNotSigned");
    expect(sig.result).toMatchObject({ indication: "TOTAL-PASSED", reason: "validWithWarnings" });
    // Changing the unsigned part changes nothing; changing the signed part is a HASH_FAILURE.
    expect((await verify(utf8(text(signed).replace("Nội dung không ký", "Khác")), { anchors: tpAnchors })).signatures[0]!.result.indication).toBe("TOTAL-PASSED");
    expect((await verify(utf8(text(signed).replace("Nội dung đã ký", "Khác")), { anchors: tpAnchors })).signatures[0]!.result.subIndication).toBe("HASH_FAILURE");
  });

  it("a third-party signature added inside a KySo-signed XAdES document: it verifies (enveloped removes only its own ds:Signature); the first reports the change", async () => {
    const withTemplate = text(xades).replace(/<\/([A-Za-z]+)>\s*$/, (_m, root: string) => `${signatureTemplate("", [ENVELOPED, C14N])}</${root}>`);
    // xmlsec1 signs the first Signature it finds unless told: the template is found by XPath (the second one).
    const signed = await xmlsecSignSecond(withTemplate);
    const report = await verify(signed, { anchors: [...anchors, ...tpAnchors] });
    expect(report.signatures).toHaveLength(2);
    // The new signature sits inside what the first one signed (URI=""): for the first it is a change.
    expect(report.signatures.map((s) => s.integrity)).toEqual([{ hash: "invalid", signature: "valid" }, { hash: "valid", signature: "valid" }]);
    expect(report.signatures[1]!.result.indication).toBe("TOTAL-PASSED");
  });
});

async function xmlsecSignSecond(template: string): Promise<Uint8Array> {
  const input = await h.file("tp-second.tmpl.xml", template);
  const output = join(h.dir, "tp-second.xml");
  const r = await runTool("xmlsec1", ["--sign", "--privkey-pem", `${tp.keyPem},${tp.certPem}`, "--node-xpath", "(//*[local-name()='Signature'])[2]", "--output", output, input]);
  if (!r.ok) throw new Error(r.stderr);
  return new Uint8Array(await readFile(output));
}

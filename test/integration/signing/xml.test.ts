import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKysoError } from "../../../main/domain/errors/index.js";
import { certificateIdentifiers } from "../../../main/core/certificates/vn-identifiers.js";
import { sign } from "../../../main/core/signing/index.js";
import { tokenSigningKey } from "../../../main/core/signing/xml/crypto-engine.js";
import { parseXml, serializeXml } from "../../../main/core/signing/xml/safe-xml.js";
import { signEnveloped } from "../../../main/core/signing/xml/sign-enveloped.js";
import { registerXmlDependencies } from "../../../main/core/signing/xml/xml-dependencies.js";
import type { FixtureSigner } from "../../helpers/fixture-signer.js";
import { xmlsecVerify } from "../../verifiers/cli-verifiers.js";
import { allErrors, ensureJavaVerifier, verifyWithJava } from "../../verifiers/java-verifier.js";
import { KEY_FIXTURES, openHarness, type Harness } from "./harness.js";

const DOCS = join(import.meta.dirname, "../../fixtures/documents");
const DSIG = "http://www.w3.org/2000/09/xmldsig#";
const TAX_NS = "http://kekhaithue.gdt.gov.vn/TKhaiThue";

let h: Harness;
let tax: Uint8Array;
let invoice: string;
let contract: Uint8Array;

beforeAll(async () => {
  h = await openHarness();
  tax = await readFile(join(DOCS, "tax-declaration-01gtgt.xml"));
  invoice = await readFile(join(DOCS, "einvoice-seller.xml"), "utf8");
  contract = await readFile(join(DOCS, "generic-contract.xml"));
  await ensureJavaVerifier();
});
afterAll(async () => h?.close());

/** The e-invoice sample with the seller MST set to the signing certificate's. */
const invoiceFor = (mst: string): Uint8Array => new TextEncoder().encode(invoice.replaceAll("0101234567", mst));
/** The tax declaration filed by the signer's own taxpayer: its MST, or its CCCD (a person's tax code since 2025). */
const taxFor = (signer: { certificate: Uint8Array }, code?: string): Uint8Array => {
  const vn = certificateIdentifiers(signer.certificate);
  return new TextEncoder().encode(new TextDecoder().decode(tax).replace("<mst>0101234567</mst>", `<mst>${code ?? vn.taxCode ?? vn.personalId}</mst>`));
};

interface Check {
  readonly idAttrs: readonly string[];
  readonly references: number;
  readonly xades?: boolean;
}

async function expectValid(signer: FixtureSigner, name: string, xml: Uint8Array, check: Check): Promise<string> {
  const file = await h.file(name, xml);
  const xmlsec = await xmlsecVerify(file, { trustedPem: signer.rootPem, untrustedPem: [signer.caFile], idAttrs: check.idAttrs });
  expect(xmlsec.stderr).toMatch(/OK/);
  expect(xmlsec.ok).toBe(true);
  const java = await verifyWithJava("xml", file, ["--expect-references", String(check.references), ...(check.xades ? ["--require-xades"] : [])]);
  expect(allErrors(java.report)).toEqual([]);
  expect(java.ok).toBe(true);
  return file;
}

/**
 * The signature as the Vietnamese samples write it and as the portals' readers look it up: `<Signature
 * xmlns="…xmldsig#">` with unprefixed children, found by `getElementsByTagName("Signature")` (qualified name).
 */
function expectDefaultNamespace(xml: Uint8Array): string {
  const text = new TextDecoder().decode(xml);
  expect(text).toContain(`<Signature xmlns="${DSIG}"`);
  expect(text).not.toMatch(/<\/?ds:|xmlns:ds=/);
  for (const child of ["<SignedInfo>", "<CanonicalizationMethod ", "<SignatureMethod ", "<Reference ", "<DigestValue>", "<SignatureValue>", "<KeyInfo>", "<X509Data>", "<X509Certificate>"]) {
    expect(text).toContain(child);
  }
  const doc = parseXml(xml);
  expect(doc.getElementsByTagName("Signature").length).toBe(1);
  expect(doc.getElementsByTagName("Signature").item(0)!.namespaceURI).toBe(DSIG);
  return text;
}

const XADES_CHECK: Check = { idAttrs: ["Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties"], references: 2, xades: true };
const TAX_CHECK: Check = { idAttrs: [`Id ${TAX_NS}:HSoKhaiThue`, `Id ${DSIG}:Object`], references: 2 };
const INVOICE_CHECK: Check = { idAttrs: ["Id DLHDon", `Id ${DSIG}:Object`], references: 2 };

describe.concurrent.each(KEY_FIXTURES)("XML formats with $label", ({ name }) => {
  it("XAdES-B-B enveloped passes xmlsec1 and the Java verifier (DataObjectFormat, URI=\"\")", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "xades", document: contract }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    const text = new TextDecoder().decode(result.document);
    expect(text).toContain('URI=""');
    expect(text).toContain("DataObjectFormat");
    expect(text).toContain("<ds:Signature "); // XAdES keeps xmldsigjs' prefix: nothing asks for another
    await expectValid(signer, `${name}-xades.xml`, result.document, XADES_CHECK);
  });

  it("plain XMLDSig enveloped, unprefixed, passes xmlsec1 and the Java verifier", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "xmldsig", document: contract }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    expectDefaultNamespace(result.document);
    await expectValid(signer, `${name}-xmldsig.xml`, result.document, { idAttrs: [], references: 1 });
  });

  it("plain XMLDSig with options.prefix \"ds\" writes ds:Signature and passes xmlsec1 and the Java verifier", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "xmldsig", document: contract, options: { prefix: "ds" } }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    expect(Buffer.from(result.document).toString("utf8")).toContain("<ds:Signature ");
    await expectValid(signer, `${name}-xmldsig-ds.xml`, result.document, { idAttrs: [], references: 1 });
  });

  it("plain XMLDSig under a root with its own default namespace (the tax file) passes both verifiers", async () => {
    // The unprefixed Signature redeclares the default namespace inside HSoThueDTu xmlns="…TKhaiThue": SignedInfo
    // must be canonicalised with the XMLDSig namespace, not the root's.
    const signer = await h.signer(name);
    const result = await sign({ format: "xmldsig", document: tax }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    expectDefaultNamespace(result.document);
    await expectValid(signer, `${name}-xmldsig-namespaced.xml`, result.document, { idAttrs: [], references: 1 });
  });

  it("plain XMLDSig with the ds: prefix (signEnveloped prefix \"ds\") passes both verifiers", async () => {
    registerXmlDependencies();
    const signer = await h.signer(name);
    const doc = parseXml(contract);
    const key = tokenSigningKey(signer, "SHA-256", signer.keyAlgorithm.kind === "ec" ? "ecdsa" : "rsa-pkcs1");
    await signEnveloped(doc, signer, key, "SHA-256", "ds");
    const xml = serializeXml(doc);
    const text = new TextDecoder().decode(xml);
    expect(text).toMatch(new RegExp(`<ds:Signature Id="sig-[0-9a-f]+" xmlns:ds="${DSIG}"><ds:SignedInfo>`));
    expect(text).not.toMatch(/<(SignedInfo|Reference|DigestValue|SignatureValue|X509Data)[ >]/);
    // Its own file: the tests of this block run concurrently, and the request-level "ds" test above writes
    // `-xmldsig-ds.xml` (sharing the name let one test's write truncate the file under the other's xmlsec1).
    await expectValid(signer, `${name}-xmldsig-ds-enveloped.xml`, xml, { idAttrs: [], references: 1 });
  });

  it("tax declaration: signature inside CKyDTu, C14N WithComments, passes both verifiers", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "vn-tax", document: taxFor(signer) }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    const doc = parseXml(result.document);
    const container = doc.getElementsByTagNameNS(TAX_NS, "CKyDTu").item(0)!;
    expect(container.getElementsByTagNameNS(DSIG, "Signature").length).toBe(1);
    const text = expectDefaultNamespace(result.document);
    expect(text).toContain("REC-xml-c14n-20010315#WithComments");
    expect(text).toContain('URI="#ID_1"');
    expect(text).toMatch(/<Object Id="sigTK-[0-9a-f]+-SigningTime"><SignatureProperties><SignatureProperty Target="#sigTK-[0-9a-f]+"><SigningTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d<\/SigningTime>/);
    await expectValid(signer, `${name}-tax.xml`, result.document, TAX_CHECK);
  });

  it("tampered tax declaration fails both verifiers", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "vn-tax", document: taxFor(signer) }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    const tampered = new TextDecoder().decode(result.document).replace("<ct40>8750000</ct40>", "<ct40>1</ct40>");
    const file = await h.file(`${name}-tax-tampered.xml`, tampered);
    expect((await xmlsecVerify(file, { trustedPem: signer.rootPem, untrustedPem: [signer.caFile], idAttrs: TAX_CHECK.idAttrs })).ok).toBe(false);
    expect((await verifyWithJava("xml", file, [])).ok).toBe(false);
  });
});

/** E-invoice signers: the certificates with an MST (RSA-2048 and P-256 on token B, RSA-3072). */
describe.concurrent.each([
  { name: "personB", mst: "8001234567", label: "RSA-2048", method: "xmldsig-more#rsa-sha256", valueBytes: 256 },
  { name: "orgRsa3072", mst: "0101234567", label: "RSA-3072", method: "xmldsig-more#rsa-sha256", valueBytes: 384 },
  { name: "orgEc", mst: "1801234567", label: "P-256", method: "xmldsig-more#ecdsa-sha256", valueBytes: 64 },
])("e-invoice seller signature with $label", ({ name, mst, method, valueBytes }) => {
  it("sign() writes HDon/DSCKS/NBan/Signature Id=NBan, unprefixed, and it passes both verifiers", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "vn-einvoice", document: invoiceFor(mst) }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    const text = expectDefaultNamespace(result.document);
    const seller = parseXml(result.document).getElementsByTagName("DSCKS").item(0)!.getElementsByTagName("NBan").item(0)!;
    const signature = seller.getElementsByTagName("Signature").item(0)!;
    expect(signature.namespaceURI).toBe(DSIG);
    expect(signature.getAttribute("Id")).toBe("NBan");
    expect(text).toContain(`<Signature xmlns="${DSIG}" Id="NBan">`);
    expect(text).toContain('URI="#data"');
    expect(text).toContain('<Object Id="SigningTime"><SignatureProperties><SignatureProperty Target="#NBan">');
    expect(text).toContain(`<SignatureMethod Algorithm="http://www.w3.org/2001/04/${method}"/>`);
    // RSA: the modulus size; ECDSA: raw r||s (RFC 4050/6931), not DER.
    const value = signature.getElementsByTagName("SignatureValue").item(0)!.textContent!;
    expect(Buffer.from(value, "base64")).toHaveLength(valueBytes);
    await expectValid(signer, `${name}-invoice.xml`, result.document, INVOICE_CHECK);
  });

  it("a tampered total fails both verifiers", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "vn-einvoice", document: invoiceFor(mst) }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    const tampered = new TextDecoder().decode(result.document).replace("<TgTTTBSo>11000000</TgTTTBSo>", "<TgTTTBSo>1100000</TgTTTBSo>");
    expect(tampered).toContain("<TgTTTBSo>1100000</TgTTTBSo>");
    const file = await h.file(`${name}-invoice-tampered.xml`, tampered);
    expect((await xmlsecVerify(file, { trustedPem: signer.rootPem, untrustedPem: [signer.caFile], idAttrs: INVOICE_CHECK.idAttrs })).ok).toBe(false);
    expect((await verifyWithJava("xml", file, [])).ok).toBe(false);
  });
});

describe("XML refusals", () => {
  it("e-invoice: seller MST differs from the certificate's → tax_code_mismatch, nothing signed", async () => {
    const signer = await h.signer("orgRsa3072");
    const signDigest = signer.signDigest;
    let calls = 0;
    const counting = { ...signer, signDigest: (r: Parameters<typeof signDigest>[0]) => (calls++, signDigest(r)) };
    await expect(sign({ format: "vn-einvoice", document: invoiceFor("0309999999") }, counting)).rejects.toSatisfy((e) => isKysoError(e, "tax_code_mismatch"));
    await expect(sign({ format: "vn-einvoice", document: invoiceFor("0101234567") }, await h.signer("personRsa"))).rejects.toSatisfy((e) => isKysoError(e, "tax_code_mismatch"));
    expect(calls).toBe(0);
  });

  it("tax declaration for another taxpayer's MST, or a branch of the certificate's → tax_code_mismatch, nothing signed (same rule as e-invoices)", async () => {
    const signer = await h.signer("orgEc");
    const signDigest = signer.signDigest;
    let calls = 0;
    const counting = { ...signer, signDigest: (r: Parameters<typeof signDigest>[0]) => (calls++, signDigest(r)) };
    const refusal = async (mst: string): Promise<unknown> => sign({ format: "vn-tax", document: taxFor(signer, mst) }, counting).then(() => undefined, (e: unknown) => e);
    const other = await refusal("0101234567");
    expect(isKysoError(other, "tax_code_mismatch")).toBe(true);
    expect((other as { details?: unknown }).details).toEqual({ documentTaxCode: "0101234567", certificateTaxCode: "1801234567" });
    expect(isKysoError(await refusal("1801234567-001"), "tax_code_mismatch")).toBe(true);
    expect(calls).toBe(0);
  });

  it("e-invoice with P-256: another seller's MST, or a branch of the certificate's company → tax_code_mismatch, nothing signed", async () => {
    const signer = await h.signer("orgEc");
    const signDigest = signer.signDigest;
    let calls = 0;
    const counting = { ...signer, signDigest: (r: Parameters<typeof signDigest>[0]) => (calls++, signDigest(r)) };
    const refusal = async (mst: string): Promise<unknown> => sign({ format: "vn-einvoice", document: invoiceFor(mst) }, counting).then(() => undefined, (e: unknown) => e);
    const other = await refusal("0101234567");
    expect(isKysoError(other, "tax_code_mismatch")).toBe(true);
    expect((other as { details?: unknown }).details).toEqual({ documentTaxCode: "0101234567", certificateTaxCode: "1801234567" });
    expect(isKysoError(await refusal("1801234567-001"), "tax_code_mismatch")).toBe(true);
    expect(calls).toBe(0);
  });

  it("XXE: an external entity is refused before parsing", async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><HopDong>&x;</HopDong>`;
    await expect(sign({ format: "xmldsig", document: new TextEncoder().encode(xxe) }, await h.signer("personRsa"))).rejects.toSatisfy((e) => isKysoError(e, "document_invalid"));
  });

  it("billion laughs: entity expansion is refused before parsing (fast, no memory blow-up)", async () => {
    const lol = ['<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'];
    for (let i = 1; i < 10; i++) lol.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? "" : i - 1};`.repeat(10)}">`);
    lol.push("]><lolz>&lol9;</lolz>");
    const started = performance.now();
    await expect(sign({ format: "xades", document: new TextEncoder().encode(lol.join("")) }, await h.signer("personRsa"))).rejects.toSatisfy((e) => isKysoError(e, "document_invalid"));
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("SHA-1 is refused with unsupported_algorithm", async () => {
    await expect(sign({ format: "xmldsig", document: contract, hashAlgorithm: "SHA-1" as never }, await h.signer("personRsa"))).rejects.toSatisfy((e) => isKysoError(e, "unsupported_algorithm"));
  });
});

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKysoError } from "../../../main/core/errors/index.js";
import { sign } from "../../../main/core/signing/index.js";
import { tokenSigningKey } from "../../../main/core/signing/xml/crypto-engine.js";
import { parseXml, serializeXml } from "../../../main/core/signing/xml/safe-xml.js";
import { signVnEinvoice } from "../../../main/core/signing/xml/sign-vn-einvoice.js";
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
    await expectValid(signer, `${name}-xades.xml`, result.document, XADES_CHECK);
  });

  it("plain XMLDSig enveloped passes xmlsec1 and the Java verifier", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "xmldsig", document: contract }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    await expectValid(signer, `${name}-xmldsig.xml`, result.document, { idAttrs: [], references: 1 });
  });

  it("tax declaration: signature inside CKyDTu, C14N WithComments, passes both verifiers", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "vn-tax", document: tax }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    const doc = parseXml(result.document);
    const container = doc.getElementsByTagNameNS(TAX_NS, "CKyDTu").item(0)!;
    expect(container.getElementsByTagNameNS(DSIG, "Signature").length).toBe(1);
    const text = new TextDecoder().decode(result.document);
    expect(text).toContain("REC-xml-c14n-20010315#WithComments");
    expect(text).toContain('URI="#ID_1"');
    expect(text).toMatch(/<SigningTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d<\/SigningTime>/);
    await expectValid(signer, `${name}-tax.xml`, result.document, TAX_CHECK);
  });

  it("tampered tax declaration fails both verifiers", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "vn-tax", document: tax }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    const tampered = new TextDecoder().decode(result.document).replace("<ct40>8750000</ct40>", "<ct40>1</ct40>");
    const file = await h.file(`${name}-tax-tampered.xml`, tampered);
    expect((await xmlsecVerify(file, { trustedPem: signer.rootPem, untrustedPem: [signer.caFile], idAttrs: TAX_CHECK.idAttrs })).ok).toBe(false);
    expect((await verifyWithJava("xml", file, [])).ok).toBe(false);
  });
});

/** E-invoice signers: the certificates with an MST (RSA-2048 on token B, RSA-3072). */
describe.concurrent.each([
  { name: "personB", mst: "8001234567", label: "RSA-2048" },
  { name: "orgRsa3072", mst: "0101234567", label: "RSA-3072" },
])("e-invoice seller signature with $label", ({ name, mst }) => {
  it("signs at HDon/DSCKS/NBan/Signature Id=NBan and passes both verifiers", async () => {
    const signer = await h.signer(name);
    const result = await sign({ format: "vn-einvoice", document: invoiceFor(mst) }, signer);
    if (result.kind !== "document") throw new Error("expected a document");
    const text = new TextDecoder().decode(result.document);
    const seller = parseXml(result.document).getElementsByTagName("DSCKS").item(0)!.getElementsByTagName("NBan").item(0)!;
    expect(seller.getElementsByTagNameNS(DSIG, "Signature").item(0)!.getAttribute("Id")).toBe("NBan");
    expect(text).toContain('URI="#data"');
    expect(text).toContain('<SignatureProperty Target="#NBan">');
    await expectValid(signer, `${name}-invoice.xml`, result.document, INVOICE_CHECK);
  });
});

describe("e-invoice with P-256", () => {
  // No fixture EC certificate carries an MST, so the layout is signed below the MST check (tested on its own).
  it("the NBan layout signed by an ECDSA key passes both verifiers", async () => {
    registerXmlDependencies();
    const signer = await h.signer("personEc");
    const doc = parseXml(invoiceFor("0101234567"));
    await signVnEinvoice(doc, signer, tokenSigningKey(signer, "SHA-256", "ecdsa"), "SHA-256", new Date());
    await expectValid(signer, "personEc-invoice.xml", serializeXml(doc), INVOICE_CHECK);
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

/**
 * B-LT with an intermediate that has revocation data of its own (intermediate-crl-pki.ts: root -> CA with a CRL
 * distribution point on the root's CRL -> signer with an OCSP URL): the embedded data must hold the root's CRL
 * about the intermediate and the OCSP response about the signer. The DSS is read with qpdf's JSON (not KySo's own
 * PDF code); the Java verifier (BC, PDFBox) checks the CRL's signature, currency and that it does not list the
 * intermediate (`--expect-crl-for-intermediates`), pdfsig checks the signature.
 */
import { createHash } from "node:crypto";
import * as pkijs from "pkijs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sign } from "../../../main/core/signing/index.js";
import { gatherLongTermData } from "../../../main/core/signing/long-term/gather.js";
import type { LongTermData } from "../../../main/core/signing/long-term/validation-data.js";
import { pdfsigVerify, runTool, xmlsecVerify } from "../../verifiers/cli-verifiers.js";
import { allErrors, ensureJavaVerifier, verifyWithJava } from "../../verifiers/java-verifier.js";
import { startIntermediateCrlChain, type IntermediateCrlChain } from "./intermediate-crl-pki.js";
import { startLongTermPki, type LongTermPki } from "./long-term-pki.js";
import { makeSamplePdf } from "./pdf-samples.js";

vi.setConfig({ testTimeout: 120_000 });

let h: LongTermPki;
let chain: IntermediateCrlChain;
let longTerm: LongTermData;
const data = new TextEncoder().encode("Công văn số 15/2025/TT-BKHCN");
const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
const serialOf = (der: Uint8Array): string => Buffer.from(pkijs.Certificate.fromBER(der).serialNumber.valueBlock.valueHexView).toString("hex");
const ocspSerials = (responses: readonly Uint8Array[]): string[] =>
  responses.map((der) => {
    const basic = pkijs.BasicOCSPResponse.fromBER(pkijs.OCSPResponse.fromBER(der).responseBytes!.response.valueBlock.valueHexView);
    return Buffer.from(basic.tbsResponseData.responses[0]!.certID.serialNumber.valueBlock.valueHexView).toString("hex");
  });

beforeAll(async () => {
  h = await startLongTermPki();
  chain = await startIntermediateCrlChain(h);
  longTerm = await gatherLongTermData([chain.signer.certificate, ...chain.signer.chain], h.revocation(), { timestampAuthority: { url: h.tsa.url } });
  await ensureJavaVerifier();
});
afterAll(async () => {
  await chain?.responder.stop();
  await h?.close();
});

/** The catalog's /DSS arrays as DER, through `qpdf --json=2` with the streams' data inline. */
async function dssOf(file: string): Promise<Record<"Certs" | "OCSPs" | "CRLs", Uint8Array[]>> {
  const r = await runTool("qpdf", ["--json=2", "--json-key=qpdf", "--json-stream-data=inline", "--decode-level=generalized", file]);
  expect(r.code).toBe(0);
  const objects = (JSON.parse(r.stdout) as { qpdf: [unknown, Record<string, { value?: unknown; stream?: { data?: string } }>] }).qpdf[1];
  const deref = (v: unknown): unknown => (typeof v === "string" && / R$/.test(v) ? (objects[`obj:${v}`]?.value ?? objects[`obj:${v}`]) : v);
  const trailer = objects["trailer"]!.value as Record<string, string>;
  const catalog = deref(trailer["/Root"]) as Record<string, unknown>;
  const dss = deref(catalog["/DSS"]) as Record<string, unknown>;
  const arrayOf = (key: string): Uint8Array[] =>
    ((deref(dss[key]) as string[] | undefined) ?? []).map((ref) => new Uint8Array(Buffer.from((objects[`obj:${ref}`]!.stream!.data ?? ""), "base64")));
  return { Certs: arrayOf("/Certs"), OCSPs: arrayOf("/OCSPs"), CRLs: arrayOf("/CRLs") };
}

describe("B-LT with an intermediate CA checked by its issuer's CRL", () => {
  it("the gathered data holds the root's CRL about the intermediate and the OCSP response about the signer", () => {
    expect(longTerm.validation.crls.map(sha256)).toEqual([sha256(chain.rootCrl)]);
    expect(ocspSerials(longTerm.validation.ocspResponses)).toContain(serialOf(chain.signer.certificate));
    expect(longTerm.validation.certificates.map(sha256)).toContain(sha256(chain.intermediate));
  });

  it("PAdES B-LT: the DSS (read by qpdf) holds the CRL and the OCSP response; the Java verifier and pdfsig accept it", async () => {
    const result = await sign({ format: "pades", document: await makeSamplePdf(1), options: { level: "B-LT" } }, chain.signer, { timestampAuthority: { url: h.tsa.url }, longTerm });
    if (result.kind !== "document") throw new Error("expected a document");
    const file = await h.file("intermediate-b-lt.pdf", result.document);
    const dss = await dssOf(file);
    expect(dss.CRLs.map(sha256)).toEqual([sha256(chain.rootCrl)]);
    const crl = pkijs.CertificateRevocationList.fromBER(dss.CRLs[0]!);
    const root = pkijs.Certificate.fromBER(h.pki.der.root);
    expect(Buffer.from(crl.issuer.toSchema().toBER()).equals(Buffer.from(root.subject.toSchema().toBER()))).toBe(true);
    expect(await crl.verify({ issuerCertificate: root })).toBe(true);
    expect(ocspSerials(dss.OCSPs)).toContain(serialOf(chain.signer.certificate));
    expect(dss.Certs.map(sha256)).toEqual(expect.arrayContaining([sha256(chain.intermediate), sha256(chain.signer.certificate)]));

    const pdfsig = await pdfsigVerify(file);
    expect(pdfsig.signatures.length).toBe(1);
    expect(pdfsig.signatures[0]!.valid, pdfsig.signatures[0]!.lines.join("\n")).toBe(true);
    const java = await verifyWithJava("pdf", file, ["--expect-count", "1", "--require-timestamp", "--expect-dss", "--expect-crl-for-intermediates"]);
    expect(allErrors(java.report)).toEqual([]);
    expect(java.ok).toBe(true);
    expect((java.report["dss"] as Record<string, unknown>)["intermediateCrlsChecked"]).toBe(1);
  });

  it("CAdES B-LT: the CRL in SignedData.crls and the OCSP response in RevocationInfoChoices pass the Java verifier", async () => {
    const result = await sign({ format: "cms", document: data, options: { level: "B-LT" } }, chain.signer, { timestampAuthority: { url: h.tsa.url }, longTerm });
    if (result.kind !== "signature") throw new Error("expected a signature");
    const sig = await h.file("intermediate-b-lt.p7s", result.signature);
    const content = await h.file("intermediate-b-lt.txt", data);
    const java = await verifyWithJava("cms", sig, ["--content", content, "--require-timestamp", "--expect-ocsp-for-signer", "--expect-crl-for-intermediates"]);
    expect(allErrors(java.report)).toEqual([]);
    expect(java.ok).toBe(true);
    expect(java.report["intermediateCrlsChecked"]).toBe(1);
  });

  it("XAdES B-LT: CRLValues about the intermediate and OCSPValues about the signer pass xmlsec1 and the Java verifier", async () => {
    const xml = new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n<CongVan><So>15/2025</So></CongVan>\n`);
    const result = await sign({ format: "xades", document: xml, options: { level: "B-LT" } }, chain.signer, { timestampAuthority: { url: h.tsa.url }, longTerm });
    if (result.kind !== "document") throw new Error("expected a document");
    const file = await h.file("intermediate-b-lt.xml", result.document);
    const xmlsec = await xmlsecVerify(file, { trustedPem: h.rootPem, untrustedPem: [chain.intermediatePem], idAttrs: ["Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties"] });
    expect(xmlsec.ok).toBe(true);
    const java = await verifyWithJava("xml", file, ["--expect-references", "2", "--require-xades", "--expect-signature-timestamp", "--expect-xades-lt", "--expect-crl-for-intermediates"]);
    expect(allErrors(java.report)).toEqual([]);
    expect(java.ok).toBe(true);
    expect(new TextDecoder().decode(result.document).match(/<xades:EncapsulatedCRLValue>/g)?.length).toBe(1);
  });

  it("the Java check is not vacuous: a DSS without the root's CRL is refused", async () => {
    const withoutCrl: LongTermData = { ...longTerm, validation: { ...longTerm.validation, crls: [] } };
    const result = await sign({ format: "pades", document: await makeSamplePdf(1), options: { level: "B-LT" } }, chain.signer, { timestampAuthority: { url: h.tsa.url }, longTerm: withoutCrl });
    if (result.kind !== "document") throw new Error("expected a document");
    const java = await verifyWithJava("pdf", await h.file("intermediate-no-crl.pdf", result.document), ["--expect-count", "1", "--require-timestamp", "--expect-dss", "--expect-crl-for-intermediates"]);
    expect(java.ok).toBe(false);
    expect(allErrors(java.report).join("\n")).toMatch(/no CRL signed by the issuer of .*KySo CRL Checked CA/);
  });
});

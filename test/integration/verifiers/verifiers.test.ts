import { createHash, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opensslCmsVerify, opensslTsVerify, pdfsigVerify, qpdfCheck, runTool, xmlsecVerify } from "../../verifiers/cli-verifiers.js";
import { allErrors, ensureJavaVerifier, verifyWithJava } from "../../verifiers/java-verifier.js";
import { startLocalTsa, TSA_POLICY_OID, type LocalTsa } from "../../verifiers/local-tsa.js";
import {
  OID, addSignatureTimestamp, attrOid, cmsSign, editCms, encodeDer, firstSignerInfo, makeSignedPdf, makeSignerPki,
  openssl, parseDer, signedAttrs, timestampDigest, type SignerPki, type Tlv,
} from "./material.js";
import { signXml, TAX_NS, xadesTemplate, taxTemplate } from "./xml-material.js";

let dir: string;
let pki: SignerPki;
let tsa: LocalTsa;
let data: string;
const p = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-verifiers-"));
  // LF-only text with Vietnamese: what breaks a verifier that canonicalises or mangles UTF-8.
  data = p("data.txt");
  await writeFile(data, "Tờ khai thuế\nline two\n");
  [pki, tsa] = await Promise.all([makeSignerPki(dir), startLocalTsa(dir), ensureJavaVerifier()]);
}, 120_000);

afterAll(async () => {
  await tsa?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sha256Hex = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");
const signatureValue = (signerInfo: Tlv): Buffer => signerInfo.children![5]!.value!;

describe("CMS verifiers", () => {
  it("openssl attached CAdES signature: Java and openssl both accept it", async () => {
    await cmsSign(pki, data, p("attached.p7s"), { attached: true });
    const java = await verifyWithJava("cms", p("attached.p7s"));
    expect(allErrors(java.report)).toEqual([]);
    expect(java.report.detached).toBe(false);
    expect(java.report.signatures[0]).toMatchObject({ signedAttrsDer: true, hasSigningTime: true,
      signingCertificateV2: { certHashMatches: true, issuerSerialMatches: true } });
    const ossl = await opensslCmsVerify({ signature: p("attached.p7s"), content: data, attached: true, caFile: pki.caCert });
    expect(ossl.ok, ossl.stderr).toBe(true);
  });

  it("detached signature: accepted with its content, refused with tampered content", async () => {
    await cmsSign(pki, data, p("detached.p7s"));
    expect((await verifyWithJava("cms", p("detached.p7s"), ["--content", data])).ok).toBe(true);
    expect((await opensslCmsVerify({ signature: p("detached.p7s"), content: data, caFile: pki.caCert })).ok).toBe(true);
    await writeFile(p("tampered.txt"), "Tờ khai thuế\nline 2\n");
    const java = await verifyWithJava("cms", p("detached.p7s"), ["--content", p("tampered.txt")]);
    expect(java.ok).toBe(false);
    expect(allErrors(java.report).join()).toMatch(/message-digest/);
    expect((await opensslCmsVerify({ signature: p("detached.p7s"), content: p("tampered.txt"), caFile: pki.caCert })).ok).toBe(false);
  });

  it("detached signature without --content: refused, never silently verified", async () => {
    const java = await verifyWithJava("cms", p("detached.p7s"));
    expect(java.report.errors.join()).toMatch(/pass the signed content/);
  });

  it("no signingCertificateV2 (openssl without -cades): Java refuses", async () => {
    await cmsSign(pki, data, p("plain.p7s"), { cades: false });
    const java = await verifyWithJava("cms", p("plain.p7s"), ["--content", data]);
    expect(java.ok).toBe(false);
    expect(allErrors(java.report)).toEqual(["#0: missing signed attribute 1.2.840.113549.1.9.16.2.47"]);
  });

  it("--forbid-signing-time: refuses openssl's signingTime (PAdES rule)", async () => {
    const java = await verifyWithJava("cms", p("detached.p7s"), ["--content", data, "--forbid-signing-time"]);
    expect(allErrors(java.report)).toEqual([expect.stringMatching(/signingTime is present but forbidden/)]);
  });

  it("unsorted signed attributes: openssl accepts, Java refuses (the pkijs pitfall)", async () => {
    await editCms(p("detached.p7s"), p("unsorted.p7s"), pki.key, (si) => {
      const attrs = signedAttrs(si);
      [attrs[0], attrs[1]] = [attrs[1]!, attrs[0]!];
    });
    expect((await opensslCmsVerify({ signature: p("unsorted.p7s"), content: data, caFile: pki.caCert })).ok).toBe(true);
    const java = await verifyWithJava("cms", p("unsorted.p7s"), ["--content", data]);
    expect(java.report.signatures[0]).toMatchObject({ signedAttrsSorted: false, signatureVerified: false });
    expect(allErrors(java.report).join()).toMatch(/not in DER SET OF order/);
  });

  it("a re-signed but still sorted CMS passes: the DER edits themselves are sound", async () => {
    await editCms(p("detached.p7s"), p("resigned.p7s"), pki.key, () => undefined);
    expect((await verifyWithJava("cms", p("resigned.p7s"), ["--content", data])).ok).toBe(true);
  });

  it("signingCertificateV2 with a wrong certHash: openssl accepts, Java refuses", async () => {
    await editCms(p("detached.p7s"), p("bad-certhash.p7s"), pki.key, (si) => {
      const attr = signedAttrs(si).find((a) => attrOid(a) === OID.signingCertificateV2)!;
      const essCertId = attr.children![1]!.children![0]!.children![0]!.children![0]!;
      const certHash = essCertId.children!.find((c) => c.tag === 0x04)!;
      certHash.value = Buffer.from(certHash.value!.map((b, i) => (i === 0 ? b ^ 0xff : b)));
    });
    expect((await opensslCmsVerify({ signature: p("bad-certhash.p7s"), content: data, caFile: pki.caCert })).ok).toBe(true);
    const java = await verifyWithJava("cms", p("bad-certhash.p7s"), ["--content", data]);
    expect(allErrors(java.report)).toEqual(["#0: signingCertificateV2 certHash does not match the signer certificate"]);
  });

  it("CAdES B-T: a timestamp over the signature value passes --require-timestamp", async () => {
    await editCms(p("detached.p7s"), p("b-t.p7s"), pki.key, () => undefined);
    const root = parseDer(await readFile(p("b-t.p7s"))).node;
    const si = firstSignerInfo(root);
    const { token } = await timestampDigest(tsa.url, dir, sha256Hex(signatureValue(si)));
    addSignatureTimestamp(si, token);
    await writeFile(p("b-t.p7s"), encodeDer(root));
    const java = await verifyWithJava("cms", p("b-t.p7s"), ["--content", data, "--require-timestamp"]);
    expect(allErrors(java.report)).toEqual([]);
    expect(java.report.signatures[0]).toMatchObject({ hasSignatureTimestamp: true,
      signatureTimestamps: [{ tokenValid: true, imprintMatches: true }] });
    expect((await opensslCmsVerify({ signature: p("b-t.p7s"), content: data, caFile: pki.caCert })).ok).toBe(true);

    // A token over the content instead of the signature value is the classic B-T mistake.
    const wrong = parseDer(await readFile(p("detached.p7s"))).node;
    addSignatureTimestamp(firstSignerInfo(wrong), (await timestampDigest(tsa.url, dir, sha256Hex(await readFile(data)))).token);
    await writeFile(p("b-t-wrong.p7s"), encodeDer(wrong));
    const refused = await verifyWithJava("cms", p("b-t-wrong.p7s"), ["--content", data]);
    expect(allErrors(refused.report)).toEqual(["#0: signature timestamp: messageImprint is not the hash of the timestamped data"]);
  });

  it("--require-timestamp: refuses a signature without one", async () => {
    const java = await verifyWithJava("cms", p("detached.p7s"), ["--content", data, "--require-timestamp"]);
    expect(allErrors(java.report)).toEqual([expect.stringMatching(/no signature timestamp/)]);
  });

  it("usage errors reject instead of reading as an invalid signature", async () => {
    await expect(verifyWithJava("cms", p("detached.p7s"), ["--bogus"])).rejects.toThrow(/exit 2/);
    await expect(verifyWithJava("cms", p("missing.p7s"))).rejects.toThrow(/exit 2/);
  });
});

describe("local TSA", () => {
  const post = (body: Buffer, type = "application/timestamp-query"): Promise<Response> =>
    fetch(tsa.url, { method: "POST", headers: { "Content-Type": type }, body: new Uint8Array(body) });

  it("round trip: openssl ts -query → TSA → openssl ts -verify", async () => {
    await openssl(["ts", "-query", "-data", data, "-sha256", "-cert", "-out", p("rt.tsq")]);
    const res = await post(await readFile(p("rt.tsq")));
    expect(res.headers.get("content-type")).toBe("application/timestamp-reply");
    await writeFile(p("rt.tsr"), Buffer.from(await res.arrayBuffer()));
    const ok = await opensslTsVerify({ data, response: p("rt.tsr"), caFile: tsa.caCertPath });
    expect(ok.ok, ok.stderr).toBe(true);
    const text = await openssl(["ts", "-reply", "-in", p("rt.tsr"), "-text"]);
    expect(text).toContain(`Policy OID: ${TSA_POLICY_OID}`);
    expect((await opensslTsVerify({ data: p("tampered.txt"), response: p("rt.tsr"), caFile: tsa.caCertPath })).ok).toBe(false);
  });

  it("concurrent requests: each gets its own serial number", async () => {
    const digests = Array.from({ length: 6 }, (_, i) => sha256Hex(Buffer.from(`doc ${i}`)));
    const replies = await Promise.all(digests.map((d) => timestampDigest(tsa.url, dir, d)));
    const serials = await Promise.all(replies.map(async ({ token }, i) => {
      await writeFile(p(`c${i}.tst`), token);
      expect((await opensslTsVerify({ digest: digests[i]!, token: p(`c${i}.tst`), caFile: tsa.caCertPath })).ok).toBe(true);
      return /Serial number: (\S+)/.exec(await openssl(["ts", "-reply", "-in", p(`c${i}.tst`), "-token_in", "-text"]))![1];
    }));
    expect(new Set(serials).size).toBe(digests.length);
  });

  it("failure modes: http-error, garbage, rejected, slow; wrong method and content type", async () => {
    const query = await readFile(p("rt.tsq"));
    try {
      tsa.setMode("http-error");
      expect((await post(query)).status).toBe(500);
      tsa.setMode("garbage");
      await writeFile(p("garbage.tsr"), Buffer.from(await (await post(query)).arrayBuffer()));
      expect((await opensslTsVerify({ data, response: p("garbage.tsr"), caFile: tsa.caCertPath })).ok).toBe(false);
      tsa.setMode("rejected");
      const rejected = Buffer.from(await (await post(query)).arrayBuffer());
      expect(rejected.toString("hex")).toBe("30053003020102");
      tsa.setMode("slow", { slowMs: 5_000 });
      await expect(fetch(tsa.url, { method: "POST", headers: { "Content-Type": "application/timestamp-query" },
        body: query, signal: AbortSignal.timeout(300) })).rejects.toThrow();
    } finally {
      tsa.setMode("ok");
    }
    expect((await fetch(tsa.url)).status).toBe(405);
    expect((await post(query, "application/octet-stream")).status).toBe(415);
    expect((await post(query)).status).toBe(200);
  });
});

describe("XML verifiers", () => {
  const taxId = `Id ${TAX_NS}:HSoKhaiThue`;

  it("tax declaration, Reference URI=#NODETOSIGN: xmlsec1 and Java accept; tampered: both refuse", async () => {
    await signXml(pki, taxTemplate("#NODETOSIGN"), p("tax.xml"), [taxId]);
    expect((await runXmlsec(p("tax.xml"), [taxId])).ok).toBe(true);
    const java = await verifyWithJava("xml", p("tax.xml"), ["--expect-references", "1"]);
    expect(allErrors(java.report)).toEqual([]);
    expect(java.report.signatures[0]).toMatchObject({ parent: "CKyDTu", references: [{ uri: "#NODETOSIGN", target: "HSoKhaiThue", ok: true }] });
    await writeFile(p("tax-tampered.xml"), (await readFile(p("tax.xml"), "utf8")).replace("Thuế GTGT", "Thuế TNDN"));
    expect((await runXmlsec(p("tax-tampered.xml"), [taxId])).ok).toBe(false);
    const refused = await verifyWithJava("xml", p("tax-tampered.xml"));
    expect(refused.report.signatures[0]).toMatchObject({ references: [{ ok: false }], signatureValid: false });
  });

  it("enveloped URI=\"\": both accept", async () => {
    await signXml(pki, taxTemplate(""), p("whole.xml"), []);
    expect((await runXmlsec(p("whole.xml"), [])).ok).toBe(true);
    expect((await verifyWithJava("xml", p("whole.xml"))).ok).toBe(true);
  });

  it("Reference without URI: xmlsec1 accepts, Java refuses (as Santuario and EU DSS do)", async () => {
    await signXml(pki, taxTemplate(null), p("no-uri.xml"), []);
    expect((await runXmlsec(p("no-uri.xml"), [])).ok).toBe(true);
    const java = await verifyWithJava("xml", p("no-uri.xml"));
    expect(allErrors(java.report)).toEqual(["#0: Reference #0 has no URI attribute"]);
  });

  it("a DOCTYPE is refused before anything is parsed (XXE, entity expansion)", async () => {
    const xml = (await readFile(p("tax.xml"), "utf8")).replace("?>", '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>');
    await writeFile(p("doctype.xml"), xml);
    const java = await verifyWithJava("xml", p("doctype.xml"));
    expect(java.report.errors.join()).toMatch(/DOCTYPE/);
  });

  it("a duplicate Id (signature wrapping) is refused", async () => {
    const xml = (await readFile(p("tax.xml"), "utf8")).replace("<CKyDTu>", '<Decoy Id="NODETOSIGN"/><CKyDTu>');
    await writeFile(p("wrapped.xml"), xml);
    expect((await verifyWithJava("xml", p("wrapped.xml"))).report.errors).toEqual(['duplicate Id value "NODETOSIGN"']);
  });

  it("XAdES B-B: properties reported; a SigningCertificateV2 digest of another certificate is refused", async () => {
    const xadesId = "Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties";
    const certDer = new X509Certificate(await readFile(pki.cert)).raw;
    await signXml(pki, xadesTemplate(createHash("sha256").update(certDer).digest("base64")), p("xades.xml"), [xadesId]);
    expect((await runXmlsec(p("xades.xml"), [xadesId])).ok).toBe(true);
    const java = await verifyWithJava("xml", p("xades.xml"), ["--require-xades", "--expect-references", "2"]);
    expect(allErrors(java.report)).toEqual([]);
    expect(java.report.signatures[0]).toMatchObject({ xades: { present: true, signedPropertiesReferenced: true,
      signingTime: "2025-01-01T05:00:00Z", signingCertificate: { version: "V2", digestMatches: true } } });
    await signXml(pki, xadesTemplate(createHash("sha256").update("other").digest("base64")), p("xades-bad.xml"), [xadesId]);
    const refused = await verifyWithJava("xml", p("xades-bad.xml"));
    expect(allErrors(refused.report)).toEqual(["#0: XAdES: SigningCertificate digest does not match the KeyInfo certificate"]);
    expect(allErrors((await verifyWithJava("xml", p("tax.xml"), ["--require-xades"])).report)).toEqual(["#0: no xades:QualifyingProperties"]);
  });

  const runXmlsec = (file: string, idAttrs: string[]) => xmlsecVerify(file, { idAttrs, trustedPem: pki.caCert });
});

describe("PDF verifiers", () => {
  /** PAdES keeps the signing time in /M, so the openssl signature loses its signingTime before it is embedded. */
  const padesCms = (keepSigningTime: boolean) => async (range: Buffer): Promise<Buffer> => {
    await writeFile(p("range.bin"), range);
    await cmsSign(pki, p("range.bin"), p("range.p7s"));
    await editCms(p("range.p7s"), p("range-pades.p7s"), pki.key, (si) => {
      if (!keepSigningTime) si.children![3]!.children = signedAttrs(si).filter((a) => attrOid(a) !== OID.signingTime);
    });
    return readFile(p("range-pades.p7s"));
  };

  it("unsigned PDF: 0 signatures, invalid unless --expect-count 0", async () => {
    expect((await runTool("qpdf", ["--empty", p("empty.pdf")])).ok).toBe(true);
    const java = await verifyWithJava("pdf", p("empty.pdf"));
    expect(java.report).toMatchObject({ valid: false, count: 0, errors: ["the document has no signatures"] });
    expect((await verifyWithJava("pdf", p("empty.pdf"), ["--expect-count", "1"])).report.errors).toEqual(["expected 1 signature(s), found 0"]);
    expect((await verifyWithJava("pdf", p("empty.pdf"), ["--expect-count", "0"])).ok).toBe(true);
    expect((await pdfsigVerify(p("empty.pdf"))).signatures).toEqual([]);
  });

  it("hand-made PAdES B-B: Java, pdfsig and qpdf accept it", async () => {
    await writeFile(p("pades.pdf"), await makeSignedPdf(padesCms(false)));
    const java = await verifyWithJava("pdf", p("pades.pdf"), ["--expect-count", "1"]);
    expect(allErrors(java.report)).toEqual([]);
    expect(java.report.signatures[0]).toMatchObject({ subFilter: "ETSI.CAdES.detached", hasM: true, coversWholeFile: true });
    const sig = await pdfsigVerify(p("pades.pdf"));
    expect(sig.signatures).toMatchObject([{ valid: true, signerName: "Nguyễn Văn A", subFilter: "ETSI.CAdES.detached" }]);
    expect((await qpdfCheck(p("pades.pdf"))).ok).toBe(true);
  });

  it("PAdES with signingTime inside the CMS: pdfsig accepts, Java refuses", async () => {
    await writeFile(p("pades-st.pdf"), await makeSignedPdf(padesCms(true)));
    expect((await pdfsigVerify(p("pades-st.pdf"))).signatures.map((s) => s.valid)).toEqual([true]);
    const java = await verifyWithJava("pdf", p("pades-st.pdf"));
    expect(allErrors(java.report)).toEqual([expect.stringMatching(/^#0: CMS signer: signingTime is present but forbidden/)]);
  });

  it("a changed byte inside the signed range: both refuse", async () => {
    const pdf = await readFile(p("pades.pdf"));
    pdf.write("300", pdf.indexOf("[0 0 200 200]") + 7, "latin1");
    await writeFile(p("pades-tampered.pdf"), pdf);
    expect((await pdfsigVerify(p("pades-tampered.pdf"))).signatures.map((s) => s.valid)).toEqual([false]);
    expect((await verifyWithJava("pdf", p("pades-tampered.pdf"))).ok).toBe(false);
  });

  it("bytes appended after the signed revision are reported", async () => {
    await writeFile(p("pades-tail.pdf"), Buffer.concat([await readFile(p("pades.pdf")), Buffer.from("% unsigned\n")]));
    const java = await verifyWithJava("pdf", p("pades-tail.pdf"));
    expect(java.report.errors).toEqual([expect.stringMatching(/not covered by any signature/)]);
  });
});

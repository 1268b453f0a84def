/**
 * Levels B-LT and B-LTA against real parts on 127.0.0.1: the revocation test PKI with `openssl ocsp` and a CRL, the
 * `openssl ts` TSA certified by the same CA, verified by the Java verifier (BC, PDFBox), pdfsig and qpdf.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as pkijs from "pkijs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import { isKysoError } from "../../../main/domain/errors/index.js";
import { sign, signingPort, signPdfFile, workerSigningPort } from "../../../main/core/signing/index.js";
import { gatherLongTermData } from "../../../main/core/signing/long-term/gather.js";
import type { LongTermData } from "../../../main/core/signing/long-term/validation-data.js";
import { pdfsigVerify, qpdfCheck } from "../../verifiers/cli-verifiers.js";
import { allErrors, ensureJavaVerifier, verifyWithJava } from "../../verifiers/java-verifier.js";
import { startLongTermPki, type LongTermPki } from "./long-term-pki.js";
import { makeSamplePdf, toXrefStreamPdf } from "./pdf-samples.js";

// Each test runs pdfsig, qpdf and a JVM, and the B-LTA ones two timestamps: on a loaded 2-core machine 30 s is tight.
vi.setConfig({ testTimeout: 120_000 });

let h: LongTermPki;
let longTerm: LongTermData;
let pdf: Uint8Array;
const data = new TextEncoder().encode("Quyết định số 13/QĐ-UBND");

beforeAll(async () => {
  h = await startLongTermPki();
  longTerm = await gatherLongTermData([h.signer.certificate, ...h.signer.chain], h.revocation(), { timestampAuthority: { url: h.tsa.url } });
  pdf = await makeSamplePdf(2);
  await ensureJavaVerifier();
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  h.router.ocspMode = "relay";
  h.router.crlMode = "pem";
});

const context = () => ({ timestampAuthority: { url: h.tsa.url }, longTerm });
const failsWith = (code: string) => (e: unknown) => isKysoError(e) && e.code === code;
const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

describe("validation data gathered before the approval", () => {
  it("holds both chains and an OCSP response for the signer and for the TSA certificate", () => {
    const certs = longTerm.validation.certificates.map(sha256);
    expect(certs).toContain(sha256(h.signer.certificate));
    expect(certs).toContain(sha256(longTerm.tsaCertificate!));
    expect(certs).toContain(sha256(h.pki.der.ca));
    expect(longTerm.validation.ocspResponses.length).toBe(2);
    const serials = longTerm.validation.ocspResponses.map((der) => {
      const basic = pkijs.BasicOCSPResponse.fromBER(pkijs.OCSPResponse.fromBER(der).responseBytes!.response.valueBlock.valueHexView);
      return Buffer.from(basic.tbsResponseData.responses[0]!.certID.serialNumber.valueBlock.valueHexView).toString("hex");
    });
    const serialOf = (der: Uint8Array): string => Buffer.from(pkijs.Certificate.fromBER(der).serialNumber.valueBlock.valueHexView).toString("hex");
    expect(serials.sort()).toEqual([serialOf(h.signer.certificate), serialOf(longTerm.tsaCertificate!)].sort());
  });
});

describe("CAdES B-LT", () => {
  it("certificates and RevocationInfoChoices (OCSP as id-ri-ocsp-response) pass the Java verifier", async () => {
    const result = await sign({ format: "cms", document: data, options: { level: "B-LT" } }, h.signer, context());
    if (result.kind !== "signature") throw new Error("expected a signature");
    const sig = await h.file("b-lt.p7s", result.signature);
    const content = await h.file("b-lt.txt", data);
    const java = await verifyWithJava("cms", sig, ["--content", content, "--require-timestamp", "--expect-ocsp-for-signer"]);
    expect(allErrors(java.report)).toEqual([]);
    expect(java.ok).toBe(true);
  });

  it("without gathered data B-LT is revocation_unavailable, never a silent B-T", async () => {
    await expect(sign({ format: "cms", document: data, options: { level: "B-LT" } }, h.signer, { timestampAuthority: { url: h.tsa.url } })).rejects.toSatisfy(failsWith("revocation_unavailable"));
  });
});

async function expectPades(file: string, count: number, javaArgs: readonly string[], cadesCount = 1): Promise<void> {
  const pdfsig = await pdfsigVerify(file);
  const cades = pdfsig.signatures.filter((s) => s.subFilter === "ETSI.CAdES.detached");
  expect(cades.length).toBe(cadesCount);
  for (const s of cades) expect(s.valid, s.lines.join("\n")).toBe(true);
  const qpdf = await qpdfCheck(file);
  expect(qpdf.stdout + qpdf.stderr).not.toMatch(/WARNING/);
  expect(qpdf.code).toBe(0);
  const java = await verifyWithJava("pdf", file, ["--expect-count", String(count), "--require-timestamp", ...javaArgs]);
  expect(allErrors(java.report)).toEqual([]);
  expect(java.ok).toBe(true);
}

describe("PAdES B-LT and B-LTA", () => {
  it("B-LT: a DSS update after the signature, its OCSP response about the signer's certificate", async () => {
    const result = await sign({ format: "pades", document: pdf, options: { level: "B-LT" } }, h.signer, context());
    if (result.kind !== "document") throw new Error("expected a document");
    const file = await h.file("b-lt.pdf", result.document);
    await expectPades(file, 1, ["--expect-dss"]);
  });

  it("B-LTA: then a document timestamp over it all; the signature stays valid", async () => {
    const result = await sign({ format: "pades", document: pdf, options: { level: "B-LTA" } }, h.signer, context());
    if (result.kind !== "document") throw new Error("expected a document");
    const file = await h.file("b-lta.pdf", result.document);
    await expectPades(file, 2, ["--expect-dss", "--expect-doc-timestamp"]);
  });

  it("B-LTA on an xref-stream PDF (qpdf --object-streams=generate): each update writes an xref stream", async () => {
    const input = await h.file("plain-for-xref.pdf", pdf);
    const converted = join(h.dir, "xref-stream.pdf");
    await toXrefStreamPdf(input, converted);
    const result = await sign({ format: "pades", document: await readFile(converted), options: { level: "B-LTA" } }, h.signer, context());
    if (result.kind !== "document") throw new Error("expected a document");
    const file = await h.file("b-lta-xref-stream.pdf", result.document);
    await expectPades(file, 2, ["--expect-dss", "--expect-doc-timestamp"]);
  });

  it("an earlier signature stays valid after the B-LTA signature, its DSS and its document timestamp", async () => {
    const first = await sign({ format: "pades", document: pdf, options: { level: "B-T" } }, h.signer, context());
    if (first.kind !== "document") throw new Error("expected a document");
    const second = await sign({ format: "pades", document: first.document, options: { level: "B-LTA" } }, h.signer, context());
    if (second.kind !== "document") throw new Error("expected a document");
    await expectPades(await h.file("two-then-lta.pdf", second.document), 3, ["--expect-dss", "--expect-doc-timestamp"], 2);
  });

  it("signPdfFile (flat memory) writes the same B-LTA", async () => {
    const input = await h.file("in.pdf", pdf);
    const output = join(h.dir, "b-lta-file.pdf");
    const result = await signPdfFile(input, output, h.signer, { options: { level: "B-LTA" } }, context());
    expect(result.size).toBe((await readFile(output)).length);
    await expectPades(output, 2, ["--expect-dss", "--expect-doc-timestamp"]);
  });
});

/** What the bridge sees: prepare (before the approval) then sign, through the port with the revocation service. */
function candidate(id = "lt-signer", certificate = h.signer.certificate, keyAlgorithm = h.signer.keyAlgorithm): CertificateInfo {
  return {
    id,
    certificate: Buffer.from(certificate).toString("base64"),
    chain: h.signer.chain.map((c) => Buffer.from(c).toString("base64")),
    keyAlgorithm,
  } as unknown as CertificateInfo;
}

describe("the dry run before the approval fetches the revocation data", () => {
  it("responder reset and CRL missing: the candidate is refused with revocation_unavailable before any approval", async () => {
    h.router.ocspMode = "reset";
    h.router.crlMode = "missing";
    const port = signingPort({ timestampAuthority: () => ({ url: h.tsa.url }), revocation: () => h.revocation() });
    // The TSA's certificate is checked at the same responder: the whole item fails, typed, before any approval.
    await expect(port.prepare({ format: "pades", document: pdf, hashAlgorithm: "SHA-256", options: { level: "B-LT" } }, [candidate()])).rejects.toSatisfy(failsWith("revocation_unavailable"));
  });

  it("a revoked candidate is refused alone (revocation_unavailable, revoked); the good one stays", async () => {
    const port = signingPort({ timestampAuthority: () => ({ url: h.tsa.url }), revocation: () => h.revocation() });
    const revoked = candidate("revoked", h.pki.der.revoked, { kind: "ec", curve: "P-256" });
    const prepared = await port.prepare({ format: "pades", document: pdf, hashAlgorithm: "SHA-256", options: { level: "B-LT" } }, [candidate(), revoked]);
    expect(prepared.refused).toEqual([{ certificateId: "revoked", error: expect.objectContaining({ code: "revocation_unavailable", details: { problems: ["revoked"] } }) }]);
  });

  it("offline mode with nothing cached: refused as offline", async () => {
    const port = signingPort({ timestampAuthority: () => ({ url: h.tsa.url }), revocation: () => h.revocation({ offline: true }) });
    await expect(port.prepare({ format: "cms", document: data, hashAlgorithm: "SHA-256", options: { level: "B-LT" } }, [candidate()])).rejects.toSatisfy(
      (e: unknown) => isKysoError(e) && e.code === "revocation_unavailable" && JSON.stringify(e.details) === JSON.stringify({ problems: ["offline"] }),
    );
  });

  it("after the approval nothing is fetched: the data checked before it is embedded even when the responder is gone", async () => {
    const service = h.revocation();
    const port = signingPort({ timestampAuthority: () => ({ url: h.tsa.url }), revocation: () => service });
    const item = { format: "pades" as const, document: pdf, hashAlgorithm: "SHA-256" as const, options: { level: "B-LT" } };
    const prepared = await port.prepare(item, [candidate()]);
    expect(prepared.refused).toEqual([]);
    h.router.ocspMode = "reset";
    h.router.crlMode = "missing";
    service.clearCache();
    const ocspBefore = h.router.count("/ocsp");
    const output = await port.sign(item, h.signer, { signingTime: new Date() });
    expect(h.router.count("/ocsp")).toBe(ocspBefore);
    const file = await h.file("port-b-lt.pdf", output.document!);
    await expectPades(file, 1, ["--expect-dss"]);
  });

  it("through the document workers (the core's port): B-LTA prepared and signed in a worker thread", async () => {
    const port = workerSigningPort({ timestampAuthority: () => ({ url: h.tsa.url }), revocation: () => h.revocation(), workers: { maxWorkers: 1 } });
    try {
      const item = { format: "pades" as const, document: pdf, hashAlgorithm: "SHA-256" as const, options: { level: "B-LTA" } };
      expect((await port.prepare(item, [candidate()])).refused).toEqual([]);
      const output = await port.sign(item, h.signer, { signingTime: new Date() });
      await expectPades(await h.file("worker-b-lta.pdf", output.document!), 2, ["--expect-dss", "--expect-doc-timestamp"]);
    } finally {
      await port.close();
    }
  });
});

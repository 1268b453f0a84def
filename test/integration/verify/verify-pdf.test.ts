/**
 * verifyPdf on a corpus built here with KySo's own signing code and the SoftHSM fixture keys (and, for B-LT, the
 * revocation test PKI with a real `openssl ocsp` responder and TSA): verdicts follow ETSI EN 319 102-1 / EU DSS.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PDFArray, PDFDocument, PDFName, PDFNumber, type PDFDict, type PDFRef } from "@cantoo/pdf-lib";
import { loadAnchors, type TrustAnchor } from "../../../main/core/certificates/trust/index.js";
import { sign } from "../../../main/core/signing/index.js";
import { gatherLongTermData } from "../../../main/core/signing/long-term/gather.js";
import { writeIncrement } from "../../../main/core/signing/pdf/increment-writer.js";
import { WorkBudget } from "../../../main/core/signing/pdf/pdf-limits.js";
import { catalogOf, pageAt } from "../../../main/core/signing/pdf/pdf-model.js";
import { readPdfStructure } from "../../../main/core/signing/pdf/pdf-reader.js";
import { memorySource } from "../../../main/core/signing/pdf/pdf-source.js";
import { createDocumentWorkers, type DocumentWorkers } from "../../../main/core/signing/worker/document-workers.js";
import type { Signer } from "../../../main/domain/signer.js";
import { verifyPdf, type VerificationReport } from "../../../main/core/verify/index.js";
import { pdfsigVerify } from "../../verifiers/cli-verifiers.js";
import { openHarness, type Harness } from "../signing/harness.js";
import { startLongTermPki, type LongTermPki } from "../signing/long-term-pki.js";
import { makeSamplePdf, toXrefStreamPdf } from "../signing/pdf-samples.js";
import { fixtureCrl } from "./verify-corpus.js";

vi.setConfig({ testTimeout: 120_000 });

let h: Harness;
let plain: Uint8Array;
let anchors: TrustAnchor[];
let valid: Uint8Array;
let crls: Uint8Array[];

async function signPdf(pdf: Uint8Array, signer: Signer, options: Record<string, unknown> = {}, context: Parameters<typeof sign>[2] = {}): Promise<Uint8Array> {
  const result = await sign({ format: "pades", document: pdf, options: { level: "B-B", ...options } }, signer, context);
  if (result.kind !== "document") throw new Error("expected a document");
  return result.document;
}

/** An incremental update that adds a text annotation (and, with `page`, a new page) to page 1. */
async function appendUpdate(pdf: Uint8Array, what: "annotation" | "page"): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const context = doc.context;
  const structure = readPdfStructure(memorySource(pdf), context, new WorkBudget());
  context.largestObjectNumber = Math.max(context.largestObjectNumber, structure.size - 1);
  const objects: { ref: PDFRef; body: PDFDict }[] = [];
  if (what === "annotation") {
    const page = pageAt(structure, 1);
    const annot = context.register(context.obj({ Type: "Annot", Subtype: "Text", Rect: [50, 50, 80, 80], Contents: "ghi chú" }));
    const newPage = page.dict.clone(context);
    newPage.set(PDFName.of("Annots"), context.obj([annot]));
    objects.push({ ref: page.ref, body: newPage });
  } else {
    const pagesRef = catalogOf(structure).get(PDFName.of("Pages")) as PDFRef;
    const pages = structure.lookupDict(pagesRef)!.clone(context);
    const newPage = context.register(context.obj({ Type: "Page", Parent: pagesRef, MediaBox: [0, 0, 595, 842] }));
    const kids = pages.get(PDFName.of("Kids"));
    const count = pages.get(PDFName.of("Count"));
    if (!(kids instanceof PDFArray) || !(count instanceof PDFNumber)) throw new Error("sample page tree has inline /Kids and /Count");
    pages.set(PDFName.of("Kids"), context.obj([...kids.asArray(), newPage]));
    pages.set(PDFName.of("Count"), context.obj(count.asNumber() + 1));
    objects.push({ ref: pagesRef, body: pages });
  }
  for (const [ref, object] of context.enumerateIndirectObjects()) if (ref.objectNumber >= structure.size) objects.push({ ref, body: object as PDFDict });
  const update = writeIncrement(structure, objects, context.largestObjectNumber).bytes;
  return new Uint8Array(Buffer.concat([pdf, update]));
}

const verify = (pdf: Uint8Array, extra: { anchors?: TrustAnchor[]; crls?: Uint8Array[] } = {}): Promise<VerificationReport> =>
  verifyPdf(pdf, { anchors: extra.anchors ?? anchors, revocationData: { crls: extra.crls ?? crls } });

beforeAll(async () => {
  h = await openHarness();
  plain = await makeSamplePdf(2);
  const signer = await h.signer("personRsa");
  anchors = [...(await loadAnchors({ files: [signer.rootPem] })).anchors];
  valid = await signPdf(plain, signer);
  const manifest = h.signers.tokens.manifest;
  crls = [await fixtureCrl(h.dir, manifest.pki.publicCaPem, "public"), await fixtureCrl(h.dir, manifest.pki.govCaPem, "gov")];
});
afterAll(async () => {
  await h?.close();
});

describe("verifyPdf on KySo-signed PDFs", () => {
  it("a valid B-B signature is TOTAL-PASSED, names the signer and the configured anchor, and pdfsig agrees", async () => {
    const report = await verify(valid);
    expect(report.signatures).toHaveLength(1);
    const sig = report.signatures[0]!;
    expect(sig.result).toMatchObject({ indication: "TOTAL-PASSED" });
    expect(report.result).toEqual({ indication: "TOTAL-PASSED", reason: "allSignaturesValid" });
    expect(sig.integrity).toEqual({ hash: "valid", signature: "valid" });
    expect(sig.coverage).toBe("whole-file");
    expect(sig.revision).toBe(2);
    // The bundled national roots are configured too; the chain names the test root it reaches.
    expect(anchors.some((a) => a.nationalRoot === "vn-national-root")).toBe(true);
    expect(sig.chain).toMatchObject({ trusted: true, anchor: anchors.find((a) => a.source === "file")!.subject });
    expect(sig.chain).not.toHaveProperty("nationalRoot");
    expect(sig.signer).toMatchObject({ displayName: "Nguyễn Văn An", personalId: "001234567890" });
    expect(sig.laterUpdates).toEqual([]);
    expect(sig.revocation).toMatchObject({ status: "good", source: "supplied", kind: "crl" });
    const pdfsig = await pdfsigVerify(await h.file("valid.pdf", valid));
    expect(pdfsig.signatures).toHaveLength(1);
    expect(pdfsig.signatures[0]!.valid).toBe(true);
    expect(pdfsig.signatures[0]!.totalDocumentSigned).toBe(sig.coverage === "whole-file");
  });

  it("one tampered content byte is TOTAL-FAILED/HASH_FAILURE", async () => {
    const tampered = new Uint8Array(valid);
    const at = Buffer.from(tampered).indexOf("stream\n") + 20;
    tampered[at] = tampered[at]! ^ 0xff;
    const report = await verify(tampered);
    expect(report.signatures[0]!.result).toMatchObject({ indication: "TOTAL-FAILED", subIndication: "HASH_FAILURE", reason: "hashMismatch" });
    expect(report.result.indication).toBe("TOTAL-FAILED");
  });

  it("bytes appended without a proper incremental update: the signature does not pass", async () => {
    const appended = new Uint8Array(Buffer.concat([valid, Buffer.from("\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "latin1")]));
    const report = await verify(appended);
    expect(report.signatures[0]!.result).toMatchObject({ indication: "TOTAL-FAILED", subIndication: "FORMAT_FAILURE", reason: "bytesOutsideRevisions" });
    expect(report.signatures[0]!.coverage).toBe("revision");
  });

  it("a second signature in a later update: the first still passes and is 'followed by a signature'", async () => {
    const second = await signPdf(valid, await h.signer("orgRsa3072"));
    const report = await verify(second);
    expect(report.signatures).toHaveLength(2);
    const [first, last] = report.signatures;
    expect(first!.result.indication).toBe("TOTAL-PASSED");
    expect(first!.coverage).toBe("revision");
    expect(first!.laterUpdates.map((u) => u.kinds)).toEqual([["signature"]]);
    expect(first!.warnings).toEqual([]);
    expect(last!.result.indication).toBe("TOTAL-PASSED");
    expect(last!.coverage).toBe("whole-file");
    expect(last!.signer).toMatchObject({ displayName: "Công ty TNHH Thử Nghiệm", organization: "Công ty TNHH Thử Nghiệm", taxCode: "0101234567" });
    expect(last!.warnings).toEqual([]);
  });

  it("with xref streams and object streams (qpdf rewrite): two signatures, the first 'followed by a signature'", async () => {
    const out = join(h.dir, "xref-stream.pdf");
    await toXrefStreamPdf(await h.file("plain-for-xref.pdf", plain), out);
    const base = new Uint8Array(await readFile(out));
    const twice = await signPdf(await signPdf(base, await h.signer("personEc")), await h.signer("orgRsa3072"));
    const report = await verify(twice);
    expect(report.revisions).toBe(3);
    expect(report.signatures.map((s) => s.result.indication)).toEqual(["TOTAL-PASSED", "TOTAL-PASSED"]);
    expect(report.signatures[0]!.laterUpdates.map((u) => u.kinds)).toEqual([["signature"]]);
  });

  it("a later annotation is reported as an annotation; a new page as a modification", async () => {
    const annotated = await verify(await appendUpdate(valid, "annotation"));
    const sig = annotated.signatures[0]!;
    expect(sig.laterUpdates.map((u) => u.kinds)).toEqual([["annotation"]]);
    expect(sig.warnings).toContain("annotationsAfterSigning");
    // EU DSS's default policy: undefined changes and annotations are warnings, the signature itself still passes.
    expect(sig.result).toMatchObject({ indication: "TOTAL-PASSED", reason: "validWithWarnings" });

    const paged = await verify(await appendUpdate(valid, "page"));
    const sig2 = paged.signatures[0]!;
    expect(sig2.laterUpdates[0]!.kinds).toContain("other");
    expect(sig2.laterUpdates[0]!.changed.some((c) => c.kind === "other")).toBe(true);
    expect(sig2.warnings).toEqual(expect.arrayContaining(["modifiedAfterSigning", "pagesChanged"]));
  });

  it("no configured anchor for the root: INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND", async () => {
    const report = await verify(valid, { anchors: [...(await loadAnchors({})).anchors] });
    expect(report.signatures[0]!.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "NO_CERTIFICATE_CHAIN_FOUND", reason: "noChain" });
    expect(report.result.indication).toBe("INDETERMINATE");
  });

  it("an expired signer without a timestamp: INDETERMINATE/OUT_OF_BOUNDS_NO_POE, or _NOT_REVOKED with a CRL", async () => {
    const expired = await signPdf(plain, await h.signer("expired"));
    const bare = (await verify(expired, { crls: [] })).signatures[0]!;
    expect(bare.integrity).toEqual({ hash: "valid", signature: "valid" });
    expect(bare.certificateValidAtSigningTime).toBe(false);
    expect(bare.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "OUT_OF_BOUNDS_NO_POE", reason: "expiredAtSigningTime" });
    // A current CRL that does not list it: EN 319 102-1 OUT_OF_BOUNDS_NOT_REVOKED (still not a pass).
    const withCrl = (await verify(expired)).signatures[0]!;
    expect(withCrl.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "OUT_OF_BOUNDS_NOT_REVOKED" });
  });

  it("without any revocation data for a certificate that names a CRL and OCSP: INDETERMINATE/TRY_LATER", async () => {
    const report = await verify(valid, { crls: [] });
    expect(report.signatures[0]!.revocation).toEqual({ status: "missing" });
    expect(report.signatures[0]!.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "TRY_LATER", reason: "revocationMissing" });
  });

  it("a revoked signer without a timestamp: INDETERMINATE/REVOKED_NO_POE", async () => {
    const report = await verify(await signPdf(plain, await h.signer("revoked")));
    expect(report.signatures[0]!.revocation).toMatchObject({ status: "revoked", kind: "crl" });
    expect(report.signatures[0]!.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "REVOKED_NO_POE", reason: "revokedNoPoe" });
  });

  it("a PDF without signatures is INDETERMINATE/SIGNED_DATA_NOT_FOUND", async () => {
    const report = await verify(plain);
    expect(report.revisions).toBe(1);
    expect(report.result).toEqual({ indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "noSignatures" });
  });
});

describe("verifyPdf with revocation data", () => {
  let pki: LongTermPki;
  let pkiAnchors: TrustAnchor[];
  beforeAll(async () => {
    pki = await startLongTermPki();
    pkiAnchors = [...(await loadAnchors({ files: [pki.rootPem] })).anchors];
  });
  afterAll(async () => {
    await pki?.close();
  });

  it("B-LT: revocation status from the embedded DSS, signature timestamp reported, TOTAL-PASSED", async () => {
    const longTerm = await gatherLongTermData([pki.signer.certificate, ...pki.signer.chain], pki.revocation(), { timestampAuthority: { url: pki.tsa.url } });
    const signed = await signPdf(plain, pki.signer, { level: "B-LT" }, { timestampAuthority: { url: pki.tsa.url }, longTerm });
    const report = await verify(signed, { anchors: pkiAnchors });
    const sig = report.signatures[0]!;
    expect(sig.revocation).toMatchObject({ status: "good", source: "dss", kind: "ocsp" });
    expect(sig.timestamp?.imprintValid).toBe(true);
    expect(sig.laterUpdates.map((u) => u.kinds)).toEqual([["validation-data"]]);
    expect(sig.result).toMatchObject({ indication: "TOTAL-PASSED", reason: "valid" });
  });

  it("in the bounded document worker, with online revocation through the core's RevocationService: TOTAL-PASSED", async () => {
    const signed = await signPdf(plain, pki.signer);
    const workers: DocumentWorkers = createDocumentWorkers({ maxWorkers: 1 });
    try {
      const offline = await workers.verifyDocument(signed, { anchors: pkiAnchors });
      expect(offline.signatures[0]!.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "TRY_LATER" });
      const asked: Uint8Array[] = [];
      const service = pki.revocation();
      const online = await workers.verifyDocument(signed, { anchors: pkiAnchors }, { check: (cert, issuer) => (asked.push(cert), service.check(cert, issuer)) });
      expect(asked).toHaveLength(1);
      expect(online.signatures[0]!.revocation).toMatchObject({ status: "good", source: "online", kind: "ocsp" });
      expect(online.signatures[0]!.result).toMatchObject({ indication: "TOTAL-PASSED" });
      // The same report as in the calling thread (apart from the validation time).
      const direct = await verifyPdf(signed, { anchors: pkiAnchors });
      expect({ ...offline, validationTime: "" }).toEqual({ ...direct, validationTime: "" });
      // Not a PDF: refused as document_invalid, the worker survives.
      await expect(workers.verifyDocument(new TextEncoder().encode("not a pdf"), { anchors: pkiAnchors })).rejects.toMatchObject({ code: "document_invalid" });
      expect(workers.stats().killed).toBe(0);
    } finally {
      await workers.close();
    }
  });

  it("B-B by a certificate that names OCSP and CRL, with no revocation data: INDETERMINATE/TRY_LATER", async () => {
    const signed = await signPdf(plain, pki.signer);
    const report = await verify(signed, { anchors: pkiAnchors });
    expect(report.signatures[0]!.revocation).toEqual({ status: "missing" });
    expect(report.signatures[0]!.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "TRY_LATER", reason: "revocationMissing" });
  });
});

/**
 * verifyCms (detached `.p7s` with its content, attached CMS; KySo-signed and made by `openssl cms`), XAdES B-LT with
 * a signature timestamp and embedded revocation values, and `DocumentWorkers.verifyDocument` choosing the verifier
 * from the content, in the bounded worker, where a hostile XML is cut off by the worker's limits.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadAnchors, type TrustAnchor } from "../../../main/core/certificates/trust/index.js";
import { sign } from "../../../main/core/signing/index.js";
import { gatherLongTermData } from "../../../main/core/signing/long-term/gather.js";
import { createDocumentWorkers } from "../../../main/core/signing/worker/document-workers.js";
import { sniffFormat, verifyCms, verifyXml } from "../../../main/core/verify/index.js";
import { openssl } from "../../../sandbox/demo-tokens/openssl-pki.js";
import { startLongTermPki, type LongTermPki } from "../signing/long-term-pki.js";
import { openHarness, type Harness } from "../signing/harness.js";
import { fixtureCrl, makeSoftwarePki, signatureTemplate, type SoftwarePki } from "./verify-corpus.js";

vi.setConfig({ testTimeout: 120_000 });

const DOCS = join(import.meta.dirname, "../../fixtures/documents");
let h: Harness;
let anchors: TrustAnchor[];
let crls: Uint8Array[];
let tp: SoftwarePki;
let tpAnchors: TrustAnchor[];
const content = new TextEncoder().encode("Công văn số 123/UBND-VP\r\nnội dung nhị phân \u0000\u0001\n");

async function signCms(detached: boolean): Promise<Uint8Array> {
  const result = await sign({ format: "cms", document: content, options: { detached } }, await h.signer("personRsa"));
  return result.kind === "signature" ? result.signature : result.document;
}

beforeAll(async () => {
  h = await openHarness();
  anchors = [...(await loadAnchors({ files: [(await h.signer("personRsa")).rootPem] })).anchors];
  const manifest = h.signers.tokens.manifest;
  crls = [await fixtureCrl(h.dir, manifest.pki.publicCaPem, "public")];
  tp = await makeSoftwarePki(h.dir);
  tpAnchors = [...(await loadAnchors({ files: [tp.rootPem] })).anchors];
});
afterAll(async () => {
  await h?.close();
});

describe("verifyCms", () => {
  it("a KySo detached .p7s with its content: TOTAL-PASSED; other content: TOTAL-FAILED/HASH_FAILURE; none: SIGNED_DATA_NOT_FOUND", async () => {
    const p7s = await signCms(true);
    expect(sniffFormat(p7s)).toBe("cms");
    const report = await verifyCms(p7s, { anchors, revocationData: { crls }, detachedContent: content });
    expect(report.format).toBe("cms");
    expect(report.cms).toMatchObject({ attached: false, contentSize: content.length });
    expect(report.signatures[0]!.result).toMatchObject({ indication: "TOTAL-PASSED", reason: "valid" });
    expect(report.signatures[0]!.signer).toMatchObject({ displayName: "Nguyễn Văn An" });
    const other = await verifyCms(p7s, { anchors, revocationData: { crls }, detachedContent: content.slice(1) });
    expect(other.signatures[0]!.result).toMatchObject({ indication: "TOTAL-FAILED", subIndication: "HASH_FAILURE" });
    const bare = await verifyCms(p7s, { anchors, revocationData: { crls } });
    expect(bare.signatures[0]!.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "SIGNED_DATA_NOT_FOUND", reason: "detachedContentMissing" });
    expect(bare.signatures[0]!.signer).toBeDefined();
  });

  it("a KySo attached CMS: TOTAL-PASSED with its encapsulated content", async () => {
    const report = await verifyCms(await signCms(false), { anchors, revocationData: { crls } });
    expect(report.cms).toMatchObject({ attached: true, contentSize: content.length });
    expect(report.signatures[0]!.result).toMatchObject({ indication: "TOTAL-PASSED" });
  });

  it("openssl cms, detached and attached: TOTAL-PASSED with the third party's root; unknown root: NO_CERTIFICATE_CHAIN_FOUND", async () => {
    const data = await h.file("cms-content.bin", content);
    for (const attached of [false, true]) {
      const out = join(h.dir, `openssl-${attached}.p7s`);
      await openssl(["cms", "-sign", "-binary", "-md", "sha256", "-in", data, "-signer", tp.certPem, "-inkey", tp.keyPem, "-outform", "DER", "-out", out, ...(attached ? ["-nodetach"] : [])]);
      const p7s = new Uint8Array(await readFile(out));
      const options = attached ? { anchors: tpAnchors } : { anchors: tpAnchors, detachedContent: content };
      const report = await verifyCms(p7s, options);
      expect(report.signatures[0]!.result).toMatchObject({ indication: "TOTAL-PASSED", reason: "validWithWarnings" });
      expect(report.signatures[0]!.claimedSigningTime).toBeDefined();
      const unknown = await verifyCms(p7s, { ...options, anchors });
      expect(unknown.signatures[0]!.result).toMatchObject({ indication: "INDETERMINATE", subIndication: "NO_CERTIFICATE_CHAIN_FOUND" });
    }
  });
});

describe("XAdES B-LT: signature timestamp and embedded revocation values", () => {
  let pki: LongTermPki;
  beforeAll(async () => {
    pki = await startLongTermPki();
  });
  afterAll(async () => {
    await pki?.close();
  });

  it("the timestamp's imprint matches the canonical SignatureValue and gives the POE; the OCSP answer comes from RevocationValues", async () => {
    const longTerm = await gatherLongTermData([pki.signer.certificate, ...pki.signer.chain], pki.revocation(), { timestampAuthority: { url: pki.tsa.url } });
    const contract = new Uint8Array(await readFile(join(DOCS, "generic-contract.xml")));
    const result = await sign({ format: "xades", document: contract, options: { level: "B-LT" } }, pki.signer, { timestampAuthority: { url: pki.tsa.url }, longTerm });
    if (result.kind !== "document") throw new Error("expected a document");
    const pkiAnchors = [...(await loadAnchors({ files: [pki.rootPem] })).anchors];
    const sig = (await verifyXml(result.document, { anchors: pkiAnchors })).signatures[0]!;
    expect(sig.timestamp?.imprintValid).toBe(true);
    expect(sig.revocation).toMatchObject({ status: "good", source: "xades", kind: "ocsp" });
    expect(sig.result).toMatchObject({ indication: "TOTAL-PASSED", reason: "valid" });
    // A changed SignatureValue: the signature fails and the timestamp no longer belongs to it.
    const xml = new TextDecoder().decode(result.document);
    const tampered = xml.replace(/(<(?:ds:)?SignatureValue[^>]*>)(.)/, (_m, open: string, c: string) => `${open}${c === "A" ? "B" : "A"}`);
    const bad = (await verifyXml(new TextEncoder().encode(tampered), { anchors: pkiAnchors })).signatures[0]!;
    expect(bad.timestamp?.imprintValid).toBe(false);
    expect(bad.warnings).toContain("timestampImprintMismatch");
    expect(bad.result).toMatchObject({ indication: "TOTAL-FAILED", subIndication: "SIG_CRYPTO_FAILURE" });
  });
});

describe("DocumentWorkers.verifyDocument dispatches by content, in the worker", () => {
  it("XML (with a BOM), CMS with detachedContent, and refuses other bytes; a hostile XML is cut off by the worker's budget", async () => {
    const workers = createDocumentWorkers({ maxWorkers: 1 });
    try {
      const xml = await sign({ format: "xades", document: new Uint8Array(await readFile(join(DOCS, "generic-contract.xml"))), options: {} }, await h.signer("personRsa"));
      if (xml.kind !== "document") throw new Error("expected a document");
      const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...xml.document]);
      expect(sniffFormat(withBom)).toBe("xml");
      const xmlReport = await workers.verifyDocument(withBom, { anchors, revocationData: { crls } });
      expect(xmlReport).toMatchObject({ format: "xml", result: { indication: "TOTAL-PASSED" } });
      const cmsReport = await workers.verifyDocument(await signCms(true), { anchors, revocationData: { crls }, detachedContent: content });
      expect(cmsReport).toMatchObject({ format: "cms", result: { indication: "TOTAL-PASSED" } });
      await expect(workers.verifyDocument(new Uint8Array([1, 2, 3]), { anchors })).rejects.toMatchObject({ code: "document_invalid" });
      expect(workers.stats().killed).toBe(0);

      // Legal XML (within every parser limit) that is costly to verify: 32 signatures (MAX_VERIFIED_SIGNATURES) of 64
      // references (MAX_XML_REFERENCES) to the whole document, each canonicalised in full. The default budget for
      // its size stops it in the worker.
      const body = `<Item>${"dữ liệu ".repeat(40)}</Item>`.repeat(4000);
      const references = Array.from({ length: 64 }, () => signatureTemplate("", ["http://www.w3.org/2000/09/xmldsig#enveloped-signature"]).match(/<Reference[\s\S]*<\/Reference>/)![0]).join("");
      const signature = signatureTemplate("", []).replace(/<Reference[\s\S]*<\/Reference>/, references);
      const hostile = new TextEncoder().encode(`<Root>${body}${signature.repeat(32)}</Root>`);
      let ticks = 0;
      const timer = setInterval(() => ticks++, 20);
      await expect(workers.verifyDocument(hostile, { anchors })).rejects.toMatchObject({ code: "document_too_complex" });
      clearInterval(timer);
      // The core's event loop kept running while the worker worked (a count, not a time).
      expect(ticks).toBeGreaterThan(10);
      expect(workers.stats().killed).toBe(1);
    } finally {
      await workers.close();
    }
  });
});

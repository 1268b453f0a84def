import { createHash, createVerify, X509Certificate } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { PDFDocument } from "@cantoo/pdf-lib";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { opensslCmsVerify, pdfsigVerify, xmlsecVerify } from "../../verifiers/cli-verifiers.js";
import { allErrors, verifyWithJava } from "../../verifiers/java-verifier.js";
import { PORTAL, routePortal, startE2eCore, type E2eCore } from "./bridge-e2e.js";

let kyso: E2eCore;
let work: string;
test.beforeAll(async () => {
  kyso = await startE2eCore();
  work = await mkdtemp(join(tmpdir(), "kyso-e2e-out-"));
});
test.afterAll(async () => {
  await kyso?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function samplePdf(text: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]).drawText(text, { x: 50, y: 780, size: 14 });
  return Buffer.from(await pdf.save());
}

type SignAnswer = { signature?: string; document?: string; certificate: string; signedAt: string };

test.beforeEach(async ({ page, context }) => {
  // A routed https origin counts as a public site: Chromium's Local Network Access applies, so grant it.
  await context.grantPermissions(["local-network-access"], { origin: PORTAL });
  await routePortal(page);
  await page.goto(`${PORTAL}/?ports=${encodeURIComponent(JSON.stringify({ ws: [kyso.core.bridge.ports.ws], wss: [] }))}`);
  await page.evaluate(async () => {
    const w = window as unknown as { kysoSdk: { connect(o: unknown): Promise<unknown> }; kyso: unknown; ports: unknown };
    w.kyso = await w.kysoSdk.connect({ schemes: ["ws"], ports: JSON.parse(new URLSearchParams(location.search).get("ports")!) });
  });
});

function signInPage(page: Page, params: Record<string, unknown>): Promise<SignAnswer> {
  return page.evaluate((p) => (window as unknown as { kyso: { sign(p: unknown): Promise<SignAnswer> } }).kyso.sign(p), params);
}

test("allowlisted portal: hello reports trust policy; tokens and certificates listed", async ({ page }) => {
  const hello = await page.evaluate(() => (window as unknown as { kyso: { hello(): Promise<unknown> } }).kyso.hello());
  expect(hello).toMatchObject({ product: "KySo", protocol: 1, origin: { origin: PORTAL, trust: "policy" } });
  const tokens = await page.evaluate(() => (window as unknown as { kyso: { listTokens(): Promise<unknown[]> } }).kyso.listTokens());
  expect(tokens).toHaveLength(2);
});

test("hash (raw): signed after approval, verifies with the certificate", async ({ page, context }) => {
  const hash = createHash("sha256").update("tờ khai").digest("base64");
  const answer = signInPage(page, { format: "raw", hash, hashAlgorithm: "SHA-256" });
  const approval = (await kyso.approveInUi(context)) as SignApprovalView;
  expect(approval.origin.origin).toBe(PORTAL);
  const result = await answer;
  const certificate = new X509Certificate(Buffer.from(result.certificate, "base64"));
  expect(createVerify("sha256").update("tờ khai").verify(certificate.publicKey, Buffer.from(result.signature!, "base64"))).toBe(true);
});

test("CMS (detached) of a document: openssl cms -verify and the Java (BouncyCastle) verifier", async ({ page, context }) => {
  const content = Buffer.from("Nội dung cần ký\n");
  const answer = signInPage(page, { format: "cms", document: content.toString("base64") });
  await kyso.approveInUi(context);
  const result = await answer;
  const signature = join(work, "doc.p7s");
  const contentFile = join(work, "doc.txt");
  await writeFile(signature, Buffer.from(result.signature!, "base64"));
  await writeFile(contentFile, content);
  const verified = await opensslCmsVerify({ signature, content: contentFile, caFile: kyso.caFile });
  expect(verified.ok, verified.stderr).toBe(true);
  // BouncyCastle is stricter than OpenSSL (attribute order, signingCertificateV2).
  const java = await verifyWithJava("cms", signature, ["--content", contentFile]);
  expect(java.ok, allErrors(java.report).join("\n")).toBe(true);
});

test("PDF (PAdES): the signed PDF passes pdfsig and the Java (PDFBox) verifier", async ({ page, context }) => {
  const pdf = await samplePdf("Quyet dinh so 1");
  const answer = signInPage(page, { format: "pades", document: pdf.toString("base64"), display: { fileName: "quyet-dinh.pdf" } });
  const approval = (await kyso.approveInUi(context)) as SignApprovalView;
  expect(approval.items[0]?.display).toEqual({ fileName: "quyet-dinh.pdf" });
  const result = await answer;
  const file = join(work, "signed.pdf");
  await writeFile(file, Buffer.from(result.document!, "base64"));
  const report = await pdfsigVerify(file);
  expect(report.signatures).toHaveLength(1);
  expect(report.signatures[0]?.valid, report.stdout).toBe(true);
  const java = await verifyWithJava("pdf", file, ["--expect-count", "1"]);
  expect(java.ok, allErrors(java.report).join("\n")).toBe(true);
});

test("XML (XAdES enveloped): the signed XML passes xmlsec1 and the Java (Santuario) verifier", async ({ page, context }) => {
  const xml = '<?xml version="1.0" encoding="UTF-8"?><HoSo><NoiDung>Xin chào</NoiDung></HoSo>';
  const answer = signInPage(page, { format: "xades", document: Buffer.from(xml).toString("base64") });
  await kyso.approveInUi(context);
  const result = await answer;
  const file = join(work, "signed.xml");
  await writeFile(file, Buffer.from(result.document!, "base64"));
  const pki = kyso.tokens.tokens.manifest.pki;
  const verified = await xmlsecVerify(file, { trustedPem: pki.rootPem, untrustedPem: [pki.publicCaPem, pki.govCaPem], idAttrs: ["Id SignedProperties"] });
  expect(verified.ok, verified.stderr + verified.stdout).toBe(true);
  const java = await verifyWithJava("xml", file, ["--require-xades"]);
  expect(java.ok, allErrors(java.report).join("\n")).toBe(true);
});

test("batch of 20 PDFs: one approval listing 20 items, 20 progress notifications, 20 valid PDFs", async ({ page, context }) => {
  test.setTimeout(120_000);
  const pdfs = await Promise.all(Array.from({ length: 20 }, (_, i) => samplePdf(`Van ban ${i + 1}`)));
  const answer = page.evaluate(
    (items) => {
      const w = window as unknown as {
        kyso: { signBatch(p: unknown, o: unknown): Promise<{ results: { ok: boolean; document?: string }[] }> };
        progress: unknown[];
      };
      w.progress = [];
      return w.kyso.signBatch({ items }, { onProgress: (p: unknown) => w.progress.push(p) });
    },
    pdfs.map((pdf, i) => ({ format: "pades", document: pdf.toString("base64"), display: { fileName: `vb-${i + 1}.pdf` } })),
  );
  const approval = (await kyso.approveInUi(context)) as SignApprovalView;
  expect(approval.batch).toBe(true);
  expect(approval.items).toHaveLength(20);
  const { results } = await answer;
  expect(results).toHaveLength(20);
  const progress = (await page.evaluate(() => (window as unknown as { progress: { done: number }[] }).progress)) as { done: number }[];
  expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  for (const [i, result] of results.entries()) {
    expect(result.ok).toBe(true);
    const file = join(work, `batch-${i}.pdf`);
    await writeFile(file, Buffer.from(result.document!, "base64"));
    expect((await pdfsigVerify(file)).signatures[0]?.valid, `item ${i}`).toBe(true);
  }
});

/**
 * The verify page end to end: a PDF signed by KySo through the bridge (the fixture person certificate) is opened on
 * "Kiểm tra chữ ký" and judged by the real core's document worker. With the fixture root configured as a trust
 * anchor (policy trustAnchors) and the fixture CA's CRL served where the certificate says, it is "Hợp lệ"; a
 * tampered copy is "Không hợp lệ"; on a core without that anchor the same file is "Chưa xác định được". Both
 * reports download and say the same verdict (ETSI XML indication, PDF words).
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import { promisify } from "node:util";
import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { loadManifest, USER_PIN } from "../../fixtures/index.js";
import { POLICY_ORIGIN } from "../helpers/ui-core.js";
import { serveCrls } from "../helpers/crl-server.js";
import { samplePdf } from "../helpers/sample-documents.js";
import { screenshot, startUiSession, type UiSession } from "../helpers/ui-session.js";

const run = promisify(execFile);

let anchored: UiSession;
let unanchored: UiSession | undefined;
let crlServer: Server;
let signed: Buffer;
let tampered: Buffer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  crlServer = await serveCrls();
  const manifest = await loadManifest();
  anchored = await startUiSession({ language: "vi", trustAnchors: [await readFile(manifest.pki.rootPem, "utf8")] });
  const candidate = (await anchored.core.handlers["certificates.list"]()).find((c) => c.valid && c.vn.personalId === "001234567890");
  const pending = await anchored.core.requestSign(POLICY_ORIGIN, [{ pdf: await samplePdf(1), fileName: "quyet-dinh.pdf" }]);
  await anchored.core.handlers["approvals.approve"]({ approvalId: pending.id, certificateId: candidate!.id, pin: USER_PIN });
  await pending.done;
  signed = Buffer.from(pending.documents[0]!);
  tampered = Buffer.from(signed);
  const at = tampered.indexOf("stream\n") + 20;
  tampered[at] = tampered[at]! ^ 0xff;
});

test.afterAll(async () => {
  await anchored?.close();
  await unanchored?.close();
  await new Promise<void>((done) => (crlServer ? crlServer.close(() => done()) : done()));
});

async function open(page: Page, session: UiSession, name: string, bytes: Buffer): Promise<void> {
  await session.open(page, "verify");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Kiểm tra chữ ký");
  await page.getByLabel("Chọn tệp đã ký").setInputFiles({ name, mimeType: "application/pdf", buffer: bytes });
  await expect(page.getByTestId("verify-result")).toBeVisible({ timeout: 60_000 });
}

test("a KySo-signed PDF is Hợp lệ with the fixture root as anchor, and both reports export", async ({ page }) => {
  await open(page, anchored, "quyet-dinh.signed.pdf", signed);
  const verdict = page.getByTestId("document-verdict");
  await expect(verdict).toHaveAttribute("data-indication", "TOTAL-PASSED");
  await expect(verdict.locator(".verdict-word")).toHaveText("Hợp lệ");
  const signature = page.getByTestId("verify-signature");
  await expect(signature).toHaveCount(1);
  await expect(signature).toContainText("Nguyễn Văn An");
  await expect(signature).toContainText("001234567890");
  await expect(signature).toContainText("Chưa bị thu hồi (CRL, tra cứu trực tuyến)");
  await expect(signature).toContainText("Không có: chữ ký này bao trùm tệp cuối cùng");
  // The result takes the focus (keyboard and screen-reader users land on it).
  await expect(page.getByRole("heading", { name: "Kết luận cho tài liệu" })).toBeFocused();
  await screenshot(page, "verify-valid-vi");
  // pages.spec scans the empty page; the result (verdicts, details, buttons) gets its own scan.
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  const pdfDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Xuất báo cáo (PDF)" }).click();
  const pdfFile = await pdfDownload;
  expect(pdfFile.suggestedFilename()).toBe("quyet-dinh.signed.verification.pdf");
  const { stdout } = await run("pdftotext", ["-enc", "UTF-8", (await pdfFile.path())!, "-"]);
  expect(stdout.normalize("NFC")).toContain("Hợp lệ: Mọi chữ ký trong tài liệu đều hợp lệ.");
  expect(stdout).toContain("Nguyễn Văn An");

  const xmlDownload = page.waitForEvent("download");
  await page.getByRole("button", { name: "Xuất báo cáo (XML)" }).click();
  const xmlFile = await xmlDownload;
  expect(xmlFile.suggestedFilename()).toBe("quyet-dinh.signed.verification.xml");
  const xml = await readFile((await xmlFile.path())!, "utf8");
  expect(xml).toContain('xmlns:vr="http://uri.etsi.org/19102/v1.2.1#"');
  expect(xml).toContain("<vr:MainIndication>urn:etsi:019102:mainindication:total-passed</vr:MainIndication>");
});

test("a tampered copy is Không hợp lệ (HASH_FAILURE), in English too", async ({ page }) => {
  await open(page, anchored, "quyet-dinh.tampered.pdf", tampered);
  const verdict = page.getByTestId("document-verdict");
  await expect(verdict).toHaveAttribute("data-indication", "TOTAL-FAILED");
  await expect(verdict.locator(".verdict-word")).toHaveText("Không hợp lệ");
  await expect(page.getByTestId("verify-signature")).toContainText("Đã bị thay đổi");
  await expect(page.getByTestId("signature-verdict")).toContainText("HASH_FAILURE");
  await screenshot(page, "verify-tampered-vi");
  await anchored.core.handlers["settings.set"]({ language: "en" });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Verify signatures");
  await expect(page.getByTestId("document-verdict").locator(".verdict-word")).toHaveText("Not valid");
  await anchored.core.handlers["settings.set"]({ language: "vi" });
});

test("without the fixture anchor the same file is Chưa xác định được (no chain to a trusted root)", async ({ page }) => {
  test.setTimeout(180_000);
  unanchored = await startUiSession({ language: "vi" });
  await open(page, unanchored, "quyet-dinh.signed.pdf", signed);
  const verdict = page.getByTestId("document-verdict");
  await expect(verdict).toHaveAttribute("data-indication", "INDETERMINATE");
  await expect(verdict.locator(".verdict-word")).toHaveText("Chưa xác định được");
  await expect(page.getByTestId("signature-verdict")).toContainText("NO_CERTIFICATE_CHAIN_FOUND");
  await expect(page.getByTestId("verify-signature")).toContainText("Không dẫn tới chứng thư gốc tin cậy nào");
  await screenshot(page, "verify-indeterminate-vi");
});

test("the page is keyboard operable: Tab reaches the file picker from the navigation", async ({ page }) => {
  await anchored.open(page, "verify");
  await page.getByRole("link", { name: "Kiểm tra chữ ký" }).focus();
  await expect(page.getByRole("link", { name: "Kiểm tra chữ ký" })).toHaveAttribute("aria-current", "page");
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    if (await page.getByLabel("Chọn tệp đã ký").evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error("Tab never reached the file picker");
});

/**
 * The approval window in Chromium, through the browser transport, against the real token service on SoftHSM (behind
 * the fault-injecting module, which unplugs tokens and slows C_Sign on demand) and the real approval queue.
 */
import { X509Certificate, verify } from "node:crypto";
import { expect, test } from "@playwright/test";
import { USER_PIN } from "../../fixtures/index.js";
import { sampleEinvoiceXml, samplePdf, sampleTaxXml } from "../helpers/sample-documents.js";
import { POLICY_ORIGIN } from "../helpers/ui-core.js";
import { screenshot, startUiSession, type UiSession } from "../helpers/ui-session.js";

let session: UiSession;
test.afterEach(async () => {
  await session?.close();
});

const DOC = "Tờ khai thuế giá trị gia tăng quý 3/2026 — Công ty TNHH Thử Nghiệm";

test("approval: a wrong PIN keeps it open with one message (\"Bạn đã nhập sai mã PIN\"), the right PIN signs, the signature verifies", async ({ page }) => {
  session = await startUiSession({ language: "vi" });
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ text: DOC, fileName: "to-khai-GTGT.txt" }], { title: "Nộp tờ khai thuế" });
  await session.open(page, "approval");
  await expect(page.getByTestId("approval-origin")).toContainText("dichvucong.example.gov.vn");
  await expect(page.getByText("Được tổ chức của bạn phê duyệt")).toBeVisible();
  // The focus starts on the PIN (Enter signs only once a PIN is typed; Esc rejects), never on Sign.
  await expect(page.getByLabel("Mã PIN của token")).toBeFocused();
  await screenshot(page, "approval-vi");

  const certificateId = await page.locator("input[name=certificate]:checked").inputValue();
  const pin = page.getByLabel("Mã PIN của token");
  await pin.fill("0000");
  await pin.press("Enter");
  await expect(page.getByTestId("pin-message")).toHaveText(/^Bạn đã nhập sai mã PIN\./);
  await expect(pin).toHaveValue("");
  await expect(pin).toBeFocused();
  await screenshot(page, "approval-wrong-pin-vi");

  await pin.fill(USER_PIN);
  await pin.press("Enter");
  await expect(page.getByTestId("approval-done")).toContainText("Đã ký thành công");
  await request.done;

  const certificate = (await session.core.handlers["certificates.list"]()).find((c) => c.id === certificateId);
  expect(certificate).toBeDefined();
  const publicKey = new X509Certificate(Buffer.from(certificate!.certificate, "base64")).publicKey;
  expect(verify("sha256", Buffer.from(DOC, "utf8"), publicKey, request.signatures[0]!)).toBe(true);
});

test("approval: Escape rejects, the portal gets user_rejected and nothing is signed", async ({ page }) => {
  session = await startUiSession({ language: "en" });
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ text: DOC }]);
  await session.open(page, "approval");
  await expect(page.getByTestId("approval-origin")).toBeVisible();
  // Issue 13: the algorithm check is its own line of the certificate's checks, with its result.
  await expect(page.getByTestId("algorithm-status").first()).toHaveText(/^Algorithm: (RSA \d+|EC P-\d+), SHA-256.*: allowed \(Circular 15\/2025\)$/);
  await expect(page.getByTestId("key-usage-status").first()).toHaveText(/^Key usage: (non-repudiation|digital signature)(, digital signature)?: fit for signing$/);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("approval-cancelled")).toHaveText("You rejected this request. Nothing was signed.");
  await expect(request.done).rejects.toMatchObject({ code: "user_rejected" });
  expect(request.signatures).toEqual([]);
});

test("approval: left alone it times out and says so", async ({ page }) => {
  session = await startUiSession({ language: "en", approvalTimeoutSeconds: 10 });
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ hashHex: "ab".repeat(32) }]);
  const settled = request.done.catch((error: unknown) => error);
  await session.open(page, "approval");
  await expect(page.getByText(/only a fingerprint \(hash\)/)).toBeVisible();
  await expect(page.getByTestId("hash-hex")).toContainText("abab abab");
  await screenshot(page, "approval-hash-en");
  await expect(page.getByTestId("approval-cancelled")).toHaveText("The request timed out. Nothing was signed.", { timeout: 20_000 });
  expect(await settled).toMatchObject({ code: "timeout" });
});

test("approval: a batch lists every item, then shows progress and a result per item", async ({ page }) => {
  session = await startUiSession({ language: "vi" });
  const items = [1, 2, 3].map((n) => ({ text: `Hóa đơn điện tử số ${n}`, fileName: `hoa-don-${n}.txt` }));
  const request = await session.core.requestSign(POLICY_ORIGIN, items, { title: "Ký 3 hóa đơn" });
  await session.open(page, "approval");
  await expect(page.getByText("Số tài liệu cần ký: 3")).toBeVisible();
  await expect(page.locator("[data-testid^=batch-row-]")).toHaveCount(3);
  await screenshot(page, "approval-batch-vi");
  // Each C_Sign takes 700 ms, so the progress is seen between items.
  await session.core.setFaults("delay C_Sign 700\n");
  const pin = page.getByLabel("Mã PIN của token");
  await pin.fill(USER_PIN);
  await page.getByRole("button", { name: "Ký tất cả 3 tài liệu" }).click();
  await expect(page.getByTestId("batch-progress")).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Tiến độ ký" })).toBeVisible();
  await screenshot(page, "approval-batch-progress-vi");
  await expect(page.getByTestId("approval-done")).toContainText("Đã ký thành công 3 tài liệu", { timeout: 15_000 });
  await expect(page.getByTestId("item-results").locator("li")).toHaveCount(3);
  await screenshot(page, "approval-batch-done-vi");
  await request.done;
  expect(request.signatures.filter(Boolean)).toHaveLength(3);
});

test("approval: pulling the token out while it is open disables its certificates; plugging it back re-enables them", async ({ page }) => {
  session = await startUiSession({ language: "en" });
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ text: DOC }]);
  const settled = request.done.catch((error: unknown) => error);
  await session.open(page, "approval");
  const sign = page.getByRole("button", { name: "Sign", exact: true });
  await expect(sign).toBeEnabled();
  await session.core.setFaults("token absent\n");
  await expect(page.getByTestId("no-certificate")).toHaveText("No certificate can be used: plug in your USB token.");
  await expect(sign).toBeDisabled();
  await expect(page.getByText("The USB token was removed: plug it in again.").first()).toBeVisible();
  await screenshot(page, "approval-token-removed-en");
  await session.core.setFaults("token present\n");
  await expect(sign).toBeEnabled();
  await page.getByRole("button", { name: "Reject" }).click();
  expect(await settled).toMatchObject({ code: "user_rejected" });
});

test("approval: a PDF is previewed with pdf.js and a tax declaration summarised, apart from the website's words", async ({ page }) => {
  session = await startUiSession({ language: "vi" });
  const request = await session.core.requestSign(
    POLICY_ORIGIN,
    [
      { pdf: await samplePdf(2), fileName: "don-de-nghi.pdf" },
      { taxXml: sampleTaxXml(), fileName: "to-khai-01-GTGT.xml" },
    ],
    { title: "Hồ sơ cấp phép", description: "Vui lòng ký đơn và tờ khai" },
  );
  const settled = request.done.catch((error: unknown) => error);
  await session.open(page, "approval");
  // In a batch each document is a table row; its reading and preview open on demand.
  await expect(page.getByTestId("batch-row-0")).toContainText("2 tr.");
  await expect(page.locator("canvas.pdf-page")).toHaveCount(0);
  await page.getByRole("button", { name: "Xem tài liệu 1", exact: true }).click();
  const pdf = page.getByTestId("document-0");
  await expect(pdf).toContainText("Tài liệu PDF: 2 trang");
  await expect(pdf).toContainText("Đơn đề nghị cấp giấy phép kinh doanh");
  await expect(pdf.locator("canvas.pdf-page")).toHaveCount(2);
  await page.getByRole("button", { name: "Xem tài liệu 2" }).click();
  const xml = page.getByTestId("document-1");
  await expect(xml).toContainText("tờ khai thuế");
  await expect(xml.getByRole("row", { name: /Mã số thuế/ })).toContainText("0101234567");
  // The core sends raw values; the UI words them: dd/MM/yyyy, "Quý".
  await expect(xml.getByRole("row", { name: /Ngày lập/ })).toContainText("20/10/2026");
  await expect(xml.getByRole("row", { name: /Kỳ tính thuế/ })).toContainText("Quý 3/2026");
  await xml.getByText("Xem XML gốc").click();
  await expect(xml.locator("pre")).toContainText("<maTKhai>842</maTKhai>");
  // The website's words sit in their own labelled box, never inside KySo's reading.
  await expect(page.getByRole("region", { name: /Trang web mô tả/ }).first()).toContainText("Hồ sơ cấp phép");
  await expect(pdf.getByRole("region", { name: "KySo đọc được từ tài liệu" })).not.toContainText("don-de-nghi.pdf");
  await screenshot(page, "approval-pdf-xml-vi");
  await page.keyboard.press("Escape");
  expect(await settled).toMatchObject({ code: "user_rejected" });
});

test("approval in English: XML summaries labelled in English, amounts and dates formatted by Intl (issue 12)", async ({ page }) => {
  session = await startUiSession({ language: "en" });
  const request = await session.core.requestSign(POLICY_ORIGIN, [
    { taxXml: sampleTaxXml(), fileName: "to-khai-01-GTGT.xml" },
    { einvoiceXml: sampleEinvoiceXml(), fileName: "hoa-don-123.xml" },
  ]);
  const settled = request.done.catch((error: unknown) => error);
  await session.open(page, "approval");
  // A batch lists its documents in the table; each one's reading opens from its row.
  await page.getByRole("button", { name: "View document 1", exact: true }).click();
  const tax = page.getByTestId("document-0");
  await expect(tax.getByRole("row", { name: /^Tax code/ })).toContainText("0101234567");
  await expect(tax.getByRole("row", { name: /^Tax period/ })).toContainText("Quarter 3/2026");
  await expect(tax.getByRole("row", { name: /^Declared on/ })).toContainText("20 Oct 2026");
  const taxLabels = await page.locator("table.summary th").allTextContents();
  await page.getByRole("button", { name: "View document 2", exact: true }).click();
  const invoice = page.getByTestId("document-1");
  await expect(invoice.getByRole("row", { name: /^Total payable/ })).toContainText(/VND\s11,000,000/);
  await expect(invoice.getByRole("row", { name: /^Issued on/ })).toContainText("2 Dec 2026");
  await expect(invoice.getByRole("row", { name: /^Seller's tax code/ })).toContainText("0101234567");
  // No Vietnamese label reaches the English UI (the values are the documents' own words and stay as written).
  const labels = [...taxLabels, ...(await page.locator("table.summary th").allTextContents())];
  expect(labels.length).toBeGreaterThan(8);
  for (const label of labels) expect(label).not.toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i);
  await screenshot(page, "approval-xml-summaries-en");
  await page.keyboard.press("Escape");
  expect(await settled).toMatchObject({ code: "user_rejected" });
});

test("approval: final PIN try is warned about before typing; a PIN-pad reader takes the PIN itself", async ({ page }) => {
  session = await startUiSession({ language: "vi" });
  await session.core.setFaults("pin-flags final-try\n");
  const first = await session.core.requestSign(POLICY_ORIGIN, [{ text: DOC }]);
  await session.open(page, "approval");
  await expect(page.getByTestId("pin-message")).toHaveText(/^Chỉ còn 1 lần thử/);
  await screenshot(page, "approval-final-try-vi");
  await page.keyboard.press("Escape");
  await first.done.catch(() => undefined);

  await session.core.setFaults("protected-auth-path\n");
  const second = await session.core.requestSign(POLICY_ORIGIN, [{ text: DOC }]);
  await expect(page.getByText("Hãy nhập mã PIN trên bàn phím của đầu đọc khi được yêu cầu.")).toBeVisible();
  await expect(page.locator("input[type=password]")).toHaveCount(0);
  await screenshot(page, "approval-pin-pad-vi");
  await page.getByRole("button", { name: "Ký", exact: true }).click();
  await expect(page.getByTestId("approval-done")).toBeVisible();
  await second.done;
  expect(second.signatures[0]).toBeDefined();
});

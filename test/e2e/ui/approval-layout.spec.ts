/**
 * The approval a civil servant signs 40 documents a day with (issue 12), in Chromium against the real core on
 * SoftHSM: the request and the decision stay in view at 720x820 and 1280x800, focus starts on the PIN, everything
 * that goes into the signature is shown as KySo's reading with the stamp drawn where it will be, one PIN message
 * per state, the success names the certificate and the window is told to hide, and axe finds nothing serious.
 */
import { AxeBuilder } from "@axe-core/playwright";
import { PDFDocument, PDFName, PDFNumber } from "@cantoo/pdf-lib";
import { expect as baseExpect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { USER_PIN } from "../../fixtures/index.js";
import { samplePdf } from "../helpers/sample-documents.js";
import { POLICY_ORIGIN } from "../helpers/ui-core.js";
import { screenshot, startUiSession, type UiSession } from "../helpers/ui-session.js";

// Each test starts a core on SoftHSM and draws PDFs: generous limits, so a loaded CI machine does not fail them.
test.describe.configure({ timeout: 240_000 });
const expect = baseExpect.configure({ timeout: 30_000 });

let session: UiSession;
test.afterEach(async () => {
  await session?.close();
});

const VIEWPORTS = [
  { name: "approval-window", width: 720, height: 820 },
  { name: "main-window", width: 1280, height: 800 },
] as const;
const TSA = "http://tsa.example.test/tsr";
const REASON = "Tôi đồng ý nộp thay cho Giám đốc";
const LOCATION = "Sở Kế hoạch và Đầu tư Hà Nội";
const CONTACT = "van.an@example.gov.vn";
/** x, y, width, height in PDF points on an A4 page (595.28 x 841.89). */
const RECT = [330, 60, 220, 70] as const;
const A4 = { width: 595.28, height: 841.89 };

async function attach(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await screenshot(page, name);
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: false }), contentType: "image/png" });
}

async function expectInViewport(page: Page, locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, `${String(locator)} rendered`).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(viewport.height);
  expect(box!.x + box!.width).toBeLessThanOrEqual(viewport.width);
}

/** No serious or critical axe violation on the page as it stands. */
async function expectAccessible(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  await testInfo.attach(`axe-${name}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: "application/json" });
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`)).toEqual([]);
}

/**
 * Starts a session once its token host has listed the SoftHSM tokens: on a loaded machine the first enumeration can
 * miss its deadline, and a request sent before the tokens are known would be answered `token_not_present`.
 */
async function start(options: Parameters<typeof startUiSession>[0]): Promise<UiSession> {
  const started = await startUiSession(options);
  session = started;
  await expect
    .poll(
      async () => {
        await started.core.setFaults("");
        return (await started.core.handlers["tokens.list"]()).length;
      },
      { timeout: 120_000, intervals: [500, 1_000, 2_000] },
    )
    .toBeGreaterThan(0);
  return started;
}

async function openSignView(): Promise<SignApprovalView> {
  const views = await session.core.handlers["approvals.list"]();
  const view = views.find((v) => v.kind === "sign");
  if (!view || view.kind !== "sign") throw new Error("no sign approval");
  return view;
}

for (const viewport of VIEWPORTS) {
  for (const language of ["vi", "en"] as const) {
    test(`approval ${viewport.width}x${viewport.height} ${language}: header and decision in view, PIN focused, the signature's contents and the stamp where it will be`, async ({ page }, testInfo) => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      session = await start({ language, tsaUrl: TSA });
      const request = await session.core.requestSign(POLICY_ORIGIN, [
        {
          pdf: await samplePdf(3),
          fileName: "to-trinh-cap-phep.pdf",
          options: { level: "B-T", reason: REASON, location: LOCATION, contactInfo: CONTACT, visible: { page: "last", rect: [...RECT] } },
        },
      ]);
      const settled = request.done.catch((error: unknown) => error);
      await session.open(page, "approval");
      const sign = page.getByRole("button", { name: language === "vi" ? "Ký" : "Sign", exact: true });
      const reject = page.getByRole("button", { name: language === "vi" ? "Từ chối" : "Reject" });
      await expect(page.getByTestId("approval-origin")).toContainText("dichvucong.example.gov.vn");
      await expect(page.getByTestId("pin-input")).toBeFocused();

      // Who asks, what is signed, and the decision: all inside the viewport without scrolling.
      for (const locator of [page.getByTestId("approval-origin"), page.getByTestId("signed-summary"), page.getByTestId("pin-input"), reject, sign]) {
        await expectInViewport(page, locator);
      }
      await expect(page.getByTestId("signed-summary")).toContainText("PAdES B-T");
      await expect(page.getByTestId("signed-summary")).toContainText("to-trinh-cap-phep.pdf");
      await expect(page.getByTestId("approval-expires")).toContainText(language === "vi" ? "Yêu cầu hết hạn sau" : "The request expires in");

      // What goes into the signature: KySo's reading of the validated request, apart from the website's words.
      const details = page.getByTestId("signature-details");
      await expect(details.getByTestId("sig-format")).toContainText("PAdES B-T");
      await expect(details.getByTestId("sig-reason")).toHaveText(REASON);
      await expect(details.getByTestId("sig-location")).toHaveText(LOCATION);
      await expect(details.getByTestId("sig-contact")).toHaveText(CONTACT);
      await expect(details.getByTestId("sig-tsa")).toContainText("tsa.example.test");
      const view = await openSignView();
      const chosen = await page.locator("input[name=certificate]:checked").inputValue();
      const expectedName = view.candidates.find((c) => c.id === chosen)?.signatureName;
      expect(expectedName).toBeTruthy();
      await expect(details.getByTestId("sig-signer")).toHaveText(expectedName!);
      await expect(details).not.toContainText("to-trinh-cap-phep.pdf");
      expect(view.items[0]?.signature).toMatchObject({ format: "pades", level: "B-T", reason: REASON, timestampAuthority: TSA, stamp: { page: 3 } });

      // The stamp box on page 3, where the /Rect puts it: its offset from the drawn page is the rect scaled.
      const canvas = page.locator('canvas.pdf-page[data-page="3"]');
      const overlay = page.getByTestId("stamp-overlay");
      await expect(overlay).toHaveCount(1);
      await overlay.scrollIntoViewIfNeeded();
      const pageBox = (await canvas.boundingBox())!;
      const stampBox = (await overlay.boundingBox())!;
      const scale = pageBox.width / A4.width;
      expect(Math.abs(pageBox.height / A4.height - scale)).toBeLessThan(0.01);
      expect(Math.abs(stampBox.x - pageBox.x - RECT[0] * scale)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(pageBox.y + pageBox.height - (stampBox.y + stampBox.height) - RECT[1] * scale)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(stampBox.width - RECT[2] * scale)).toBeLessThanOrEqual(1.5);
      expect(Math.abs(stampBox.height - RECT[3] * scale)).toBeLessThanOrEqual(1.5);
      await attach(page, testInfo, `approval-layout-${viewport.name}-${language}`);

      if (viewport.width === 720 && language === "vi") await expectAccessible(page, testInfo, "single-visible-stamp");
      await page.getByTestId("pin-input").press("Escape");
      expect(await settled).toMatchObject({ code: "user_rejected" });
    });
  }
}

/** A4 turned a quarter (/Rotate 90) and cropped: the overlay follows the page's rotation and CropBox. */
async function rotatedCroppedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await samplePdf(1));
  const page = doc.getPage(0);
  page.node.set(PDFName.of("Rotate"), PDFNumber.of(90));
  page.setCropBox(20, 40, 560, 780); // x, y, width, height: [20 40 580 820]
  return doc.save({ useObjectStreams: false });
}

test("approval: on a rotated, cropped page the stamp box is mapped through /Rotate and the CropBox", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  session = await start({ language: "en" });
  const rect = [100, 200, 150, 60] as const;
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ pdf: await rotatedCroppedPdf(), options: { visible: { page: 1, rect: [...rect] } } }]);
  const settled = request.done.catch((error: unknown) => error);
  await session.open(page, "approval");
  const overlay = page.getByTestId("stamp-overlay");
  await expect(overlay).toHaveCount(1);
  await overlay.scrollIntoViewIfNeeded();
  const pageBox = (await page.locator('canvas.pdf-page[data-page="1"]').boundingBox())!;
  const stampBox = (await overlay.boundingBox())!;
  // CropBox [20 40 580 820], turned 90° clockwise: the drawn page is 780 wide (crop height) and 560 tall (crop
  // width); user-space y runs left to right from the crop's bottom, x top to bottom from the crop's left.
  const crop = { x: 20, y: 40, width: 560, height: 780 };
  const scale = pageBox.width / crop.height;
  expect(Math.abs(pageBox.height / crop.width - scale)).toBeLessThan(0.01);
  expect(Math.abs(stampBox.x - pageBox.x - (rect[1] - crop.y) * scale)).toBeLessThanOrEqual(1.5);
  expect(Math.abs(stampBox.y - pageBox.y - (rect[0] - crop.x) * scale)).toBeLessThanOrEqual(1.5);
  expect(Math.abs(stampBox.width - rect[3] * scale)).toBeLessThanOrEqual(1.5);
  expect(Math.abs(stampBox.height - rect[2] * scale)).toBeLessThanOrEqual(1.5);
  await attach(page, testInfo, "approval-stamp-rotated-en");
  await page.keyboard.press("Escape");
  expect(await settled).toMatchObject({ code: "user_rejected" });
});

for (const language of ["vi", "en"] as const) {
  test(`approval ${language}: one message per PIN state, exact tries left on the final try, the choice editable; Enter signs, the success names the certificate and the window is told to hide`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 720, height: 820 });
    session = await start({ language });
    const hides: string[] = [];
    session.core.onEvent("approvalAutoHide", (event) => hides.push(event.approvalId));
    const request = await session.core.requestSign(POLICY_ORIGIN, [{ pdf: await samplePdf(1), fileName: "quyet-dinh.pdf", options: { visible: { position: "bottom-right" } } }]);
    await session.open(page, "approval");
    const pin = page.getByTestId("pin-input");
    await expect(pin).toBeFocused();

    await pin.fill("0000");
    await pin.press("Enter");
    const message = page.getByTestId("pin-message");
    // SoftHSM, like most tokens, sets CKF_USER_PIN_COUNT_LOW after a wrong PIN: the same one message either way.
    await expect(message).toHaveAttribute("data-state", /^wrong(CountLow)?$/);
    await expect(message).toHaveText(language === "vi" ? /^Bạn đã nhập sai mã PIN\./ : /^You entered a wrong PIN\./);
    await expect(page.getByTestId("approval-decision").getByRole("alert")).toHaveCount(1);
    await expect(pin).toBeFocused();
    // The certificate choice stays editable after a wrong PIN.
    const radios = page.locator("input[name=certificate]:not([disabled])");
    expect(await radios.count()).toBeGreaterThan(1);
    await expect(radios.first()).toBeEnabled();
    await expectInViewport(page, message);
    await attach(page, testInfo, `approval-wrong-pin-${language}`);
    await expectAccessible(page, testInfo, `wrong-pin-${language}`);

    // The token now reports CKF_USER_PIN_FINAL_TRY: the wrong PIN says exactly one try is left, in one message.
    await session.core.setFaults("pin-flags final-try\n");
    await pin.fill("0000");
    await pin.press("Enter");
    await expect(message).toHaveAttribute("data-state", "wrongFinalTry");
    await expect(message).toContainText(language === "vi" ? "Chỉ còn 1 lần thử" : "1 try left");
    await expect(page.getByTestId("approval-decision").getByRole("alert")).toHaveCount(1);
    await attach(page, testInfo, `approval-final-try-${language}`);

    await session.core.setFaults("");
    const view = await openSignView();
    const chosen = await page.locator("input[name=certificate]:checked").inputValue();
    const name = view.candidates.find((c) => c.id === chosen)?.signatureName ?? "";
    await pin.fill(USER_PIN);
    await pin.press("Enter");
    const success = page.getByTestId("approval-success");
    await expect(success).toContainText(language === "vi" ? "Đã ký thành công 1 tài liệu" : "Signed successfully: 1 document");
    await expect(success).toContainText(name);
    await request.done;
    await attach(page, testInfo, `approval-success-${language}`);
    // The core tells the shell to hide the window (default 3 s); the timer itself is unit-tested with fake timers.
    await expect.poll(() => hides, { timeout: 10_000 }).toEqual([request.id]);
  });
}

test("approval vi: a locked token says so once and names whom to call; nothing can be signed", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 720, height: 820 });
  session = await start({ language: "vi" });
  await session.core.setFaults("pin-flags locked\n");
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ text: "Báo cáo tháng 11" }]);
  const settled = request.done.catch((error: unknown) => error);
  await session.open(page, "approval");
  const message = page.getByTestId("pin-message");
  await expect(message).toHaveAttribute("data-state", "locked");
  await expect(message).toContainText("đã bị khóa");
  const view = await openSignView();
  const chosen = await page.locator("input[name=certificate]:checked").inputValue();
  const support = view.candidates.find((c) => c.id === chosen)?.support;
  expect(support?.name).toBeTruthy();
  await expect(page.getByTestId("pin-support")).toContainText(support!.name);
  await expect(page.getByRole("button", { name: "Ký", exact: true })).toBeDisabled();
  await expect(page.getByTestId("approval-decision").getByRole("alert")).toHaveCount(1);
  await attach(page, testInfo, "approval-locked-vi");
  await page.keyboard.press("Escape");
  expect(await settled).toMatchObject({ code: "user_rejected" });
});

test("approval en at 200 % zoom (360x410 CSS px): one scrolling column, no sideways scroll, every control reached by Tab", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 360, height: 410 });
  session = await start({ language: "en" });
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ pdf: await samplePdf(1), fileName: "don.pdf", options: { reason: "Phê duyệt", visible: {} } }]);
  const settled = request.done.catch((error: unknown) => error);
  await session.open(page, "approval");
  await expect(page.getByTestId("pin-input")).toBeFocused();
  const overflow = await page.evaluate(() => ({ sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth }));
  expect(overflow.sideways).toBeLessThanOrEqual(1);
  // Tab through the whole page once: every control is reached, each with a visible focus ring.
  const reached = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    const focused: string = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el) return "";
      const outline = window.getComputedStyle(el).outlineStyle;
      return `${el.tagName.toLowerCase()}|${el.getAttribute("name") ?? el.textContent?.trim().slice(0, 20) ?? ""}|${outline}`;
    });
    reached.add(focused);
  }
  const list = [...reached];
  expect(list.some((f) => f.startsWith("button|Reject"))).toBe(true);
  expect(list.some((f) => f.startsWith("button|Sign"))).toBe(true);
  expect(list.some((f) => f.startsWith("input|certificate"))).toBe(true);
  expect(list.some((f) => f.startsWith("input|pin"))).toBe(true);
  // Keyboard focus always shows (the :focus-visible outline).
  for (const entry of list.filter((f) => f.startsWith("button|") || f.startsWith("input|"))) expect(entry.endsWith("|none"), entry).toBe(false);
  await page.getByRole("button", { name: "Sign", exact: true }).scrollIntoViewIfNeeded();
  await attach(page, testInfo, "approval-zoom-200-en");
  await page.keyboard.press("Escape");
  expect(await settled).toMatchObject({ code: "user_rejected" });
});

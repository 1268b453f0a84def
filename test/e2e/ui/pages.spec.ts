/**
 * Every page renders in both languages, with a screenshot of each in test/artifacts/screenshots/ (look at them),
 * axe-core finds no serious or critical accessibility violation on any of them, and the language switch in Settings
 * changes the whole UI at once.
 */
import { AxeBuilder } from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { USER_PIN } from "../../fixtures/index.js";
import { PAIRED_ORIGIN, POLICY_ORIGIN } from "../helpers/ui-core.js";
import { screenshot, startUiSession, type UiSession } from "../helpers/ui-session.js";

let session: UiSession;
test.beforeAll(async () => {
  session = await startUiSession({ language: "vi" });
  // Some history through the bridge, as portals make it: one signature, a paired site, then a rejection.
  // The fixture's RSA person certificate, issued by the fixture CA on the same token (a chain to keep).
  const candidate = (await session.core.handlers["certificates.list"]()).find((c) => c.valid && c.vn.personalId === "001234567890");
  const signed = await session.core.requestSign(POLICY_ORIGIN, [{ text: "Báo cáo quyết toán" }]);
  await session.core.handlers["approvals.approve"]({ approvalId: signed.id, certificateId: candidate!.id, pin: USER_PIN });
  await signed.done;
  const pair = await session.core.requestPair(PAIRED_ORIGIN);
  await session.core.handlers["approvals.approve"]({ approvalId: pair.id });
  await pair.done;
  const rejected = await session.core.requestSign(PAIRED_ORIGIN, [{ text: "Hợp đồng" }]);
  await session.core.handlers["approvals.reject"]({ approvalId: rejected.id });
  await rejected.done.catch(() => undefined);
});
test.afterAll(async () => session?.close());

const PAGES = [
  { route: "home", heading: { vi: "KySo đang chạy", en: "KySo is running" } },
  { route: "certificates", heading: { vi: "Chứng thư số", en: "Certificates" } },
  { route: "activity", heading: { vi: "Nhật ký ký số", en: "Signing history" } },
  { route: "verify", heading: { vi: "Kiểm tra chữ ký", en: "Verify signatures" } },
  { route: "sign-files", heading: { vi: "Ký tệp", en: "Sign files" } },
  { route: "sites", heading: { vi: "Trang web tin cậy", en: "Trusted sites" } },
  { route: "settings", heading: { vi: "Cài đặt", en: "Settings" } },
  { route: "diagnostics", heading: { vi: "Chẩn đoán", en: "Diagnostics" } },
] as const;

for (const language of ["vi", "en"] as const) {
  test(`every page renders in ${language}, with no serious accessibility violation`, async ({ page }, testInfo) => {
    test.slow(); // eight axe scans
    await session.core.handlers["settings.set"]({ language });
    const errors: string[] = [];
    const serious: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    for (const { route, heading } of PAGES) {
      await session.open(page, route);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading[language]);
      await expect(page.locator("html")).toHaveAttribute("lang", language);
      await expect(page.getByRole("status")).toHaveCount(0); // nothing still loading
      await screenshot(page, `${route}-${language}`);
      const { violations } = await new AxeBuilder({ page }).analyze();
      await testInfo.attach(`axe-${route}-${language}.json`, { body: JSON.stringify(violations, null, 2), contentType: "application/json" });
      for (const v of violations) {
        if (v.impact === "serious" || v.impact === "critical") serious.push(`${route}: ${v.id} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
      }
    }
    expect(errors).toEqual([]);
    expect(serious).toEqual([]);
  });
}

test("certificates: grouped by token, Vietnamese names decoded, details open", async ({ page }) => {
  await session.core.handlers["settings.set"]({ language: "vi" });
  await session.open(page, "certificates");
  await expect(page.getByTestId("token-group")).toHaveCount(2);
  await expect(page.getByText("Nguyễn Văn An").first()).toBeVisible();
  await expect(page.getByText("Mã số thuế: 0101234567").first()).toBeVisible();
  await page.getByText("Chi tiết").first().click();
  await expect(page.getByText("Mục đích sử dụng khóa").first()).toBeVisible();
  await screenshot(page, "certificates-details-vi");
});

test("activity: signatures newest first in words, other events behind the filter, CSV export", async ({ page }) => {
  await session.core.handlers["settings.set"]({ language: "en" });
  await session.open(page, "activity");
  const rows = page.getByTestId("activity-table").locator("tbody tr");
  await expect(rows.first()).toContainText(PAIRED_ORIGIN); // the rejection came last
  await expect(rows.first()).toContainText("You declined");
  await expect(rows).toHaveCount(2); // the two signing requests; the pairing is not a signature
  await page.getByLabel("Show").selectOption("all");
  await expect(page.getByTestId("activity-table")).toContainText("Allow a website");
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export to CSV" }).click();
  expect((await download).suggestedFilename()).toMatch(/^kyso-nhat-ky-\d{4}-\d{2}-\d{2}\.csv$/);
});

test("trusted sites: the policy list is read-only, a paired site can be removed", async ({ page }) => {
  await session.core.handlers["settings.set"]({ language: "en" });
  await session.open(page, "sites");
  await expect(page.getByTestId("sites-policy")).toContainText(POLICY_ORIGIN);
  await expect(page.getByTestId("sites-policy").getByRole("button")).toHaveCount(0);
  await page.getByRole("button", { name: `Remove ${PAIRED_ORIGIN}` }).click();
  await expect(page.getByTestId("sites-user")).toContainText("You have not allowed any site yet.");
});

test("language switch: choosing English in Settings changes every label at once, and back", async ({ page }) => {
  await session.core.handlers["settings.set"]({ language: "vi" });
  await session.open(page, "settings");
  await expect(page.getByRole("navigation")).toContainText("Chứng thư số");
  await page.getByLabel("Ngôn ngữ").selectOption("en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Settings");
  await expect(page.getByRole("navigation")).toContainText("Certificates");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByLabel("Language").selectOption("vi");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cài đặt");
});

test("keyboard only: Tab reaches the menu and Enter opens a page", async ({ page }) => {
  await session.core.handlers["settings.set"]({ language: "en" });
  await session.open(page, "home");
  for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Certificates" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Certificates");
});

/**
 * The right certificate and waiting for the token, in Chromium against the real core (SoftHSM fixtures behind the
 * fault module): a tax declaration pre-selects its taxpayer's certificate and folds the others under "not usable"
 * with the reason; with only another taxpayer's certificates Sign stays disabled; with no token the approval waits.
 */
import { expect, test } from "@playwright/test";
import { USER_PIN } from "../../fixtures/index.js";
import { sampleTaxXml } from "../helpers/sample-documents.js";
import { POLICY_ORIGIN } from "../helpers/ui-core.js";
import { screenshot, startUiSession, type UiSession } from "../helpers/ui-session.js";

let session: UiSession;
// Each test starts its own core and token hosts; on a loaded 2-core machine that alone can take most of a minute.
test.beforeEach(() => test.slow());
test.afterEach(async () => {
  await session?.close();
});

const taxFor = (mst: string): string => sampleTaxXml().replace("<mst>0101234567</mst>", `<mst>${mst}</mst>`);

test("certificate: a tax declaration pre-selects its taxpayer's certificate; the others are folded under 'Không dùng được' with the MST reason", async ({ page }) => {
  await page.setViewportSize({ width: 720, height: 820 });
  session = await startUiSession({ language: "vi" });
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ taxXml: taxFor("1801234567"), fileName: "to-khai.xml" }]);
  const settled = request.done.catch((error: unknown) => error);
  await session.open(page, "approval");
  const orgEc = (await session.core.handlers["certificates.list"]()).find((c) => c.vn.taxCode === "1801234567")!;
  await expect(page.locator("input[name=certificate]:checked")).toHaveValue(orgEc.id);
  await expect(page.locator("input[name=certificate]")).toHaveCount(1);
  const folded = page.getByTestId("unusable-certificates");
  await expect(folded.locator("summary")).toHaveText(/^Không dùng được \(\d+\)$/);
  await expect(folded.getByTestId("unusable-certificate").first()).toBeHidden();
  await folded.locator("summary").click();
  const other = folded.getByTestId("unusable-certificate").filter({ hasText: "0101234567" });
  await expect(other.getByTestId("unusable-reason")).toHaveText("tài liệu của mã số thuế 1801234567, chứng thư số này của mã số thuế 0101234567");
  await expect(folded.getByTestId("unusable-reason").filter({ hasText: "đã hết hạn" })).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Ký", exact: true })).toBeEnabled();
  await screenshot(page, "certificate-mst-folded-vi");
  await page.keyboard.press("Escape");
  expect(await settled).toMatchObject({ code: "user_rejected" });
});

test("certificate: only another taxpayer's certificates: Sign disabled with the reason, nothing ends until the user rejects", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  session = await startUiSession({ language: "en" });
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ taxXml: taxFor("0309999999") }]);
  let answered = false;
  const settled = request.done.catch((error: unknown) => error).finally(() => (answered = true));
  await session.open(page, "approval");
  await expect(page.getByTestId("no-certificate")).toContainText("tax code 0309999999");
  await expect(page.getByRole("button", { name: "Sign", exact: true })).toBeDisabled();
  await expect(page.locator("input[name=certificate]")).toHaveCount(0);
  const folded = page.getByTestId("unusable-certificates");
  await folded.locator("summary").click();
  await expect(folded.getByTestId("unusable-reason").filter({ hasText: "the document is for tax code 0309999999, this certificate is for 1801234567" })).toHaveCount(1);
  await screenshot(page, "certificate-mst-blocked-en");
  expect(answered).toBe(false);
  await page.getByRole("button", { name: "Reject" }).click();
  expect(await settled).toMatchObject({ code: "tax_code_mismatch" });
});

test("token: with no token the approval waits ('Cắm USB token'); plugged in, the certificates fill in and the request signs", async ({ page }) => {
  await page.setViewportSize({ width: 720, height: 820 });
  session = await startUiSession({ language: "vi" });
  await session.core.setFaults("token absent\n");
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ text: "Đơn xin nghỉ phép", fileName: "don.txt" }]);
  await session.open(page, "approval");
  const wait = page.getByTestId("token-wait");
  await expect(wait).toContainText("Cắm USB token");
  await expect(page.getByRole("button", { name: "Ký", exact: true })).toBeDisabled();
  await expect(page.locator("input[name=certificate]")).toHaveCount(0);
  await screenshot(page, "token-wait-vi");

  await session.core.setFaults("");
  await expect(wait).toHaveCount(0);
  await expect(page.locator("input[name=certificate]:checked")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Ký", exact: true })).toBeEnabled();
  await screenshot(page, "token-plugged-vi");
  const pin = page.getByLabel("Mã PIN của token");
  await pin.fill(USER_PIN);
  await pin.press("Enter");
  await expect(page.getByTestId("approval-done")).toBeVisible();
  await request.done;
  expect(request.signatures[0]).toBeDefined();
});

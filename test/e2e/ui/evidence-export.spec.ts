/**
 * The history's "Export evidence" button: a signature's row offers it, a rejection's row does not, and the
 * downloaded file is the JSON bundle of that signature's certificate check (docs/evidence.md).
 */
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { USER_PIN } from "../../fixtures/index.js";
import { POLICY_ORIGIN } from "../helpers/ui-core.js";
import { screenshot, startUiSession, type UiSession } from "../helpers/ui-session.js";

let session: UiSession;
test.beforeAll(async () => {
  session = await startUiSession({ language: "en" });
  // The fixture's RSA person certificate, issued by the fixture CA on the same token (a chain to keep).
  const candidate = (await session.core.handlers["certificates.list"]()).find((c) => c.valid && c.vn.personalId === "001234567890");
  const signed = await session.core.requestSign(POLICY_ORIGIN, [{ text: "Biên bản nghiệm thu" }]);
  await session.core.handlers["approvals.approve"]({ approvalId: signed.id, certificateId: candidate!.id, pin: USER_PIN });
  await signed.done;
  const rejected = await session.core.requestSign(POLICY_ORIGIN, [{ text: "Hợp đồng" }]);
  await session.core.handlers["approvals.reject"]({ approvalId: rejected.id });
  await rejected.done.catch(() => undefined);
});
test.afterAll(async () => session?.close());

test("activity: a signature row exports its evidence as one JSON bundle", async ({ page }) => {
  await session.open(page, "activity");
  const rows = page.getByTestId("activity-table").locator("tbody tr");
  // The history words each row's result ("Signed", "You declined"); only a signature has evidence to export.
  const signedRow = rows.filter({ hasText: "Signed" });
  await expect(signedRow).toHaveCount(1);
  await expect(rows.filter({ hasText: "You declined" }).getByTestId("export-evidence")).toHaveCount(0);
  await screenshot(page, "activity-evidence-en");
  const download = page.waitForEvent("download");
  await signedRow.getByRole("button", { name: "Export evidence" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^kyso-evidence-\d{8}T\d{6}Z-[0-9a-f-]{12}\.json$/);
  const bundle = JSON.parse(await readFile((await file.path())!, "utf8")) as { format: string; checks: unknown[]; objects: { type: string }[] };
  expect(bundle.format).toBe("kyso-evidence-bundle");
  expect(bundle.checks).toHaveLength(1);
  // The fixture certificates name no OCSP/CRL URL: the chain and the "could not check" result are kept.
  expect(bundle.objects.filter((o) => o.type === "certificate").length).toBeGreaterThanOrEqual(2);
});

/**
 * Issue 17: the leader's handwritten signature "placed by the user on the preview". A file signed with the leader
 * preset (the certificate's stored image) opens the approval with the image under the authority line on page 2;
 * the user clicks on page 1 of the preview, the core checks the point (a click too near the edge is refused with
 * the reason, the place stays), the approval says "placed by you", the arrow key moves it, and the signed file has
 * the signature widget exactly where the approval showed it (pdfsig accepts it). The audit line says who placed it.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { PDFDocument, PDFName, PDFNumber } from "@cantoo/pdf-lib";
import { expect, test, type Page } from "@playwright/test";
import type { ApprovalView, SignatureView } from "../../../main/core/app-api/approval-view.js";
import { USER_PIN } from "../../fixtures/index.js";
import { officialPdf } from "../../helpers/official-pdf.js";
import { sealPng } from "../../integration/signing/png.js";
import { pdfsigVerify } from "../../verifiers/cli-verifiers.js";
import { POLICY_ORIGIN } from "../helpers/ui-core.js";
import { samplePdf } from "../helpers/sample-documents.js";
import { screenshot, startUiSession, type UiSession } from "../helpers/ui-session.js";

let session: UiSession;
let dir: string;
test.beforeAll(async () => {
  test.setTimeout(240_000);
  session = await startUiSession({ language: "vi" });
  dir = await mkdtemp(join(tmpdir(), "kyso-place-stamp-"));
  // On a loaded machine the first enumeration can time out (this core does not poll): enumerate again until listed.
  await expect
    .poll(
      async () => {
        await session.core.setFaults("");
        return (await session.core.handlers["tokens.list"]()).length;
      },
      { timeout: 150_000 },
    )
    .toBeGreaterThan(0);
});
test.afterAll(async () => {
  await session?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The open sign approval's first item's signature, as the core holds it. */
async function heldSignature(): Promise<SignatureView | undefined> {
  const open = (await session.core.handlers["approvals.list"]()).find((a): a is Extract<ApprovalView, { kind: "sign" }> => a.kind === "sign" && ["choosing-certificate", "entering-pin"].includes(a.state.kind));
  return open?.items[0]?.signature;
}

/** Clicks the drawn page `n` at fractions of its width and height (from the top left, as on screen). */
async function clickPage(approval: Page, n: number, fx: number, fy: number): Promise<void> {
  const canvas = approval.locator(`canvas.pdf-page[data-page="${n}"]`);
  const box = (await canvas.boundingBox())!;
  await canvas.click({ position: { x: box.width * fx, y: box.height * fy } });
}

test("leader preset: the user clicks on page 1 of the preview, the approval says it was placed by the user, the signed file has it there", async ({ page, browser }) => {
  test.setTimeout(420_000);
  const signature = Buffer.from(sealPng(96)).toString("base64");
  for (const certificate of await session.core.handlers["certificates.list"]()) {
    await session.core.handlers["stampImages.set"]({ fingerprint: certificate.fingerprintSha256, kind: "signature", base64: signature });
  }
  const path = join(dir, "Quyết định 14.pdf");
  await writeFile(path, await officialPdf());
  await session.open(page, "sign-files");
  session.dialogs.queueFiles([path]);
  await page.getByRole("button", { name: "Chọn tệp…" }).click();
  await page.getByRole("radio", { name: /^Chữ ký của người có thẩm quyền/ }).check();
  await page.getByRole("button", { name: "Ký 1 tệp" }).click();

  await expect.poll(async () => (await heldSignature())?.preset?.placedBy, { timeout: 150_000 }).toBe("text-layer");
  const approval = await browser.newPage();
  await session.open(approval, "approval");
  await expect(approval.getByTestId("stamp-overlay")).toHaveAttribute("data-page", "2", { timeout: 60_000 });
  await expect(approval.getByTestId("stamp-place-hint")).toContainText("phím mũi tên");

  // Too near the corner: the whole image would not be on the page. Refused with the reason; the place stays.
  await clickPage(approval, 1, 0.005, 0.005);
  await expect(approval.getByTestId("stamp-place-error")).toContainText("nằm trọn trong một trang");
  expect((await heldSignature())?.preset?.placedBy).toBe("text-layer");

  // The click: page 1, 30 % across, 40 % down (A4: x 178.6, y 505.1 in PDF points).
  await clickPage(approval, 1, 0.3, 0.4);
  await expect(approval.getByTestId("sig-preset-where")).toHaveText("Ở trang 1, do bạn đặt");
  await expect(approval.getByTestId("stamp-overlay")).toHaveAttribute("data-page", "1");
  await expect(approval.getByTestId("stamp-place-error")).toHaveCount(0);
  const clicked = (await heldSignature())!.stamp!;
  expect(clicked.page).toBe(1);
  expect((clicked.rect[0] + clicked.rect[2]) / 2).toBeCloseTo(0.3 * 595.28, -1);
  expect((clicked.rect[1] + clicked.rect[3]) / 2).toBeCloseTo(0.6 * 841.89, -1);

  // The keyboard: the rectangle takes the focus, Shift+ArrowRight moves it 25 pt right, and keeps the focus.
  await approval.getByRole("button", { name: /^Hình trên trang 1/ }).focus();
  await approval.keyboard.press("Shift+ArrowRight");
  await expect.poll(async () => ((await heldSignature())!.stamp!.rect[0] - clicked.rect[0])).toBeCloseTo(25, 0);
  await expect(approval.getByRole("button", { name: /^Hình trên trang 1/ })).toBeFocused();
  const moved = (await heldSignature())!.stamp!;
  // Page Down takes it to the same place on page 2 (any page: the stamp's page is always drawn), Page Up back.
  await approval.keyboard.press("PageDown");
  await expect(approval.getByRole("button", { name: /^Hình trên trang 2/ })).toBeFocused();
  expect((await heldSignature())!.stamp!).toEqual({ ...moved, page: 2 });
  await approval.keyboard.press("PageUp");
  await expect(approval.getByRole("button", { name: /^Hình trên trang 1/ })).toBeFocused();
  const placed = (await heldSignature())!.stamp!;
  expect(placed).toEqual(moved);
  await screenshot(approval, "place-stamp-user-vi");

  await approval.getByLabel("Mã PIN của token").fill(USER_PIN);
  await approval.getByRole("button", { name: "Ký", exact: true }).click();
  await expect(approval.getByTestId("approval-done")).toContainText("Đã ký thành công 1 tài liệu", { timeout: 60_000 });
  await approval.close();

  await expect(page.getByTestId("sign-files-counts")).toHaveText("1 tệp đã ký, 0 tệp chưa ký được, 0 tệp bỏ qua", { timeout: 60_000 });
  const signedPath = join(dir, "Quyết định 14.signed.pdf");
  expect((await pdfsigVerify(signedPath)).signatures.map((s) => s.valid)).toEqual([true]);
  // The widget is on page 1 at the rectangle the approval showed.
  const doc = await PDFDocument.load(await readFile(signedPath), { updateMetadata: false });
  const widget = doc.getForm().getFields().at(-1)!.acroField.getWidgets()[0]!;
  const r = widget.getRectangle();
  [r.x, r.y, r.x + r.width, r.y + r.height].forEach((v, i) => expect(v).toBeCloseTo(placed.rect[i]!, 2));
  expect(widget.P()).toEqual(doc.getPage(0).ref);
  const audit = await session.core.handlers["audit.list"]({ kind: "signing" });
  expect(audit.find((row) => row.result === "ok" && row.documentName === "Quyết định 14.pdf")?.stampPlacedBy).toBe("user");
});

/** A4 turned a quarter (/Rotate 90) and cropped to [20 40 580 820], as approval-layout.spec.ts draws it. */
async function rotatedCroppedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await samplePdf(1));
  const page = doc.getPage(0);
  page.node.set(PDFName.of("Rotate"), PDFNumber.of(90));
  page.setCropBox(20, 40, 560, 780);
  return doc.save({ useObjectStreams: false });
}

test("seal on a rotated, cropped page: the click and the arrow keys are mapped back through /Rotate and the CropBox", async ({ page }) => {
  test.setTimeout(240_000);
  const seal = Buffer.from(sealPng(96)).toString("base64");
  const request = await session.core.requestSign(POLICY_ORIGIN, [{ pdf: await rotatedCroppedPdf(), options: { preset: { name: "seal", image: seal, sealDiameterMm: 36, at: { page: 1, x: 300, y: 430 } } } }]);
  const settled = request.done.catch((error: unknown) => error);
  await session.open(page, "approval");
  await expect(page.getByTestId("stamp-overlay")).toHaveCount(1, { timeout: 60_000 });
  // Turned 90° clockwise: screen x runs along user-space y from the crop's bottom (40), screen y along x from its left (20).
  await clickPage(page, 1, 0.25, 0.5);
  await expect(page.getByTestId("sig-preset-where")).toHaveText("Ở trang 1, do bạn đặt");
  const clicked = (await heldSignature())!.stamp!;
  expect((clicked.rect[0] + clicked.rect[2]) / 2).toBeCloseTo(20 + 0.5 * 560, -1);
  expect((clicked.rect[1] + clicked.rect[3]) / 2).toBeCloseTo(40 + 0.25 * 780, -1);
  // "Right" on screen is +y in user space on this page.
  await page.getByRole("button", { name: /^Hình trên trang 1/ }).press("ArrowRight");
  await expect.poll(async () => (await heldSignature())!.stamp!.rect[1] - clicked.rect[1]).toBeCloseTo(5, 0);
  expect((await heldSignature())!.stamp!.rect[0]).toBeCloseTo(clicked.rect[0], 0);
  // The movable rectangle and its hint pass axe (a button with a name, described by the hint).
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  await page.keyboard.press("Escape");
  expect(await settled).toMatchObject({ code: "user_rejected" });
});

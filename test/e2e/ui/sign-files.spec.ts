/**
 * Issue 17, official documents on the desktop: "Ký tệp" signs PDFs on this computer. Files chosen through the
 * browser transport's stand-in dialog (the Electron shell's open dialog there), the appendix preset, the normal
 * approval in the real approval UI; then the signed files next to the originals (pdfsig accepts one), and a second
 * round where the page asks before touching an existing signed copy: keep both writes `(2)`, skip writes nothing.
 * Then files the desktop hands to KySo ("Sign with KySo": the core's `openFiles`), and the leader preset with the
 * signature image stored for the certificate, placed under the authority line the approval names.
 */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { USER_PIN } from "../../fixtures/index.js";
import { officialPdf } from "../../helpers/official-pdf.js";
import { sealPng } from "../../integration/signing/png.js";
import { pdfsigVerify } from "../../verifiers/cli-verifiers.js";
import { samplePdf } from "../helpers/sample-documents.js";
import { screenshot, startUiSession, type UiSession } from "../helpers/ui-session.js";

test.describe.configure({ mode: "serial" });

let session: UiSession;
let dir: string;
let paths: string[];
test.beforeAll(async () => {
  test.setTimeout(240_000);
  session = await startUiSession({ language: "vi" });
  dir = await mkdtemp(join(tmpdir(), "kyso-sign-files-"));
  const pdf = await samplePdf(1);
  paths = ["Phụ lục 1.pdf", "Phụ lục 2.pdf", "Phụ lục 3.pdf"].map((name) => join(dir, name));
  for (const path of paths) await writeFile(path, pdf);
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

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Chooses the three files through the stand-in dialog, with the appendix preset. */
async function chooseThree(page: Page): Promise<void> {
  session.dialogs.queueFiles(paths);
  await page.getByRole("button", { name: "Chọn tệp…" }).click();
  await expect(page.getByTestId("sign-files-chosen").getByRole("listitem")).toHaveCount(3);
  await page.getByRole("radio", { name: /Phụ lục hoặc văn bản kèm theo/ }).check();
  await page.getByLabel("Số và ký hiệu văn bản").fill("15/QĐ-UBND");
}

/** The approval the page's Sign opened, approved in the approval window (its own page, as its own window). */
async function approveInApprovalWindow(browser: Browser): Promise<void> {
  await expect.poll(async () => (await session.core.handlers["approvals.list"]()).filter((a) => a.kind === "sign" && ["queued", "choosing-certificate", "entering-pin"].includes(a.state.kind)).length, { timeout: 150_000 }).toBe(1);
  const approval = await browser.newPage();
  await session.open(approval, "approval");
  await expect(approval.getByTestId("approval-origin")).toContainText("local-files");
  await approval.getByLabel("Mã PIN của token").fill(USER_PIN);
  await approval.getByRole("button", { name: "Ký tất cả 3 tài liệu" }).click();
  await expect(approval.getByTestId("approval-done")).toContainText("Đã ký thành công 3 tài liệu", { timeout: 60_000 });
  await approval.close();
}

test("three files chosen, preset appendix, approved in the approval window: 3 signed next to the originals, pdfsig accepts one", async ({ page, browser }) => {
  test.setTimeout(420_000);
  await session.open(page, "sign-files");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ký tệp");
  await expect(page.getByRole("link", { name: "Ký tệp" })).toHaveAttribute("aria-current", "page");
  await chooseThree(page);
  await screenshot(page, "sign-files-chosen-vi");
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Ký 3 tệp" }).click();
  await expect(page.getByRole("status")).toContainText("cửa sổ phê duyệt");
  await approveInApprovalWindow(browser);

  await expect(page.getByTestId("sign-files-counts")).toHaveText("3 tệp đã ký, 0 tệp chưa ký được, 0 tệp bỏ qua", { timeout: 60_000 });
  await expect(page.getByTestId("sign-files-result").and(page.locator("[data-ok=true]"))).toHaveCount(3);
  await expect(page.getByTestId("sign-files-result").first()).toContainText("Đã ký: lưu thành Phụ lục 1.signed.pdf");
  await screenshot(page, "sign-files-summary-vi");
  expect(await seriousViolations(page)).toEqual([]);
  expect((await readdir(dir)).sort()).toEqual(["Phụ lục 1.pdf", "Phụ lục 1.signed.pdf", "Phụ lục 2.pdf", "Phụ lục 2.signed.pdf", "Phụ lục 3.pdf", "Phụ lục 3.signed.pdf"]);
  const report = await pdfsigVerify(join(dir, "Phụ lục 2.signed.pdf"));
  expect(report.signatures.map((s) => s.valid)).toEqual([true]);
});

test("the same files again: the page asks first; keep both writes (2), skip writes nothing and opens no approval", async ({ page, browser }) => {
  test.setTimeout(420_000);
  await session.open(page, "sign-files");
  await chooseThree(page);
  await page.getByRole("button", { name: "Ký 3 tệp" }).click();
  const question = page.getByTestId("sign-files-exists");
  await expect(question).toContainText("Có 3 tệp đã có bản đã ký");
  await expect(question.getByRole("listitem")).toHaveText(["Phụ lục 1.signed.pdf", "Phụ lục 2.signed.pdf", "Phụ lục 3.signed.pdf"]);
  expect((await session.core.handlers["approvals.list"]()).filter((a) => a.kind === "sign")).toEqual([]);
  await screenshot(page, "sign-files-exists-vi");
  expect(await seriousViolations(page)).toEqual([]);
  await question.getByRole("button", { name: "Giữ cả hai (lưu thành Phụ lục 1.signed (2).pdf)" }).click();
  await approveInApprovalWindow(browser);
  await expect(page.getByTestId("sign-files-counts")).toHaveText("3 tệp đã ký, 0 tệp chưa ký được, 0 tệp bỏ qua", { timeout: 60_000 });
  await expect(page.getByTestId("sign-files-result").first()).toContainText("Phụ lục 1.signed (2).pdf");
  const afterKeepBoth = (await readdir(dir)).sort();
  expect(afterKeepBoth.filter((n) => n.includes("(2)"))).toEqual(["Phụ lục 1.signed (2).pdf", "Phụ lục 2.signed (2).pdf", "Phụ lục 3.signed (2).pdf"]);
  expect((await pdfsigVerify(join(dir, "Phụ lục 3.signed (2).pdf"))).signatures.map((s) => s.valid)).toEqual([true]);

  // Skip: every file has a signed copy, so nothing is signed, no approval opens, no file is written.
  await page.getByRole("button", { name: "Ký 3 tệp" }).click();
  await page.getByTestId("sign-files-exists").getByRole("button", { name: "Bỏ qua các tệp này" }).click();
  await expect(page.getByTestId("sign-files-counts")).toHaveText("0 tệp đã ký, 0 tệp chưa ký được, 3 tệp bỏ qua");
  await expect(page.getByTestId("sign-files-result").first()).toContainText("Bỏ qua: đã có bản đã ký");
  expect((await session.core.handlers["approvals.list"]()).filter((a) => a.kind === "sign" && a.state.kind === "choosing-certificate")).toEqual([]);
  expect((await readdir(dir)).sort()).toEqual(afterKeepBoth);
});

test("a drop anywhere opens Sign files; without paths (the browser transport) it says to use the Choose button", async ({ page }) => {
  await session.core.handlers["settings.set"]({ language: "en" });
  await session.open(page, "home");
  const transfer = await page.evaluateHandle(() => {
    // Browser globals through `window` (page-globals.d.ts: the test program is typed against Node only).
    const data = new window.DataTransfer();
    data.items.add(new window.File(["%PDF-1.7"], "dropped.pdf", { type: "application/pdf" }));
    return data as unknown;
  });
  await page.dispatchEvent("main", "dragover", { dataTransfer: transfer });
  await page.dispatchEvent("main", "drop", { dataTransfer: transfer });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign files");
  await expect(page.getByTestId("sign-files-notice")).toHaveText("KySo cannot tell where the dropped files are in this window. Use the Choose button instead.");
  await session.core.handlers["settings.set"]({ language: "vi" });
});

test("files the desktop opened: taken when the page opens, and while on another page the window goes to Sign files", async ({ page }) => {
  const opened = await mkdtemp(join(tmpdir(), "kyso-opened-"));
  try {
    const pdf = await samplePdf(1);
    const [first, second, third] = ["Tờ trình.pdf", "Công văn 1.pdf", "Công văn 2.pdf"].map((name) => join(opened, name));
    for (const path of [first!, second!, third!]) await writeFile(path, pdf);
    // Before any page listens (KySo started by "Sign with KySo"): the core keeps the file until the page takes it.
    expect(session.core.core.openFiles([first!], "sign")?.paths).toEqual([first]);
    await session.open(page, "sign-files");
    await expect(page.getByTestId("sign-files-chosen").getByRole("listitem")).toHaveText(["Tờ trình.pdf"]);
    expect(await session.core.handlers["files.takeOpened"]()).toBeNull();

    // The window is open on another page: the event brings it to Sign files, which takes both files.
    await page.getByRole("link", { name: "Trang chính" }).click();
    await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Ký tệp");
    session.core.core.openFiles([second!, third!], "open");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ký tệp");
    await expect(page.getByTestId("sign-files-chosen").getByRole("listitem")).toHaveText(["Công văn 1.pdf", "Công văn 2.pdf"]);

    // Already on the page: the list follows the next file.
    session.core.core.openFiles([first!], "sign");
    await expect(page.getByTestId("sign-files-chosen").getByRole("listitem")).toHaveText(["Tờ trình.pdf"]);
    expect(await session.core.handlers["files.takeOpened"]()).toBeNull();
  } finally {
    await rm(opened, { recursive: true, force: true });
  }
});

test("leader preset with the certificate's stored signature image: the approval names the line it goes under, pdfsig accepts the file", async ({ page, browser }) => {
  test.setTimeout(420_000);
  const signature = Buffer.from(sealPng(96)).toString("base64");
  for (const certificate of await session.core.handlers["certificates.list"]()) {
    await session.core.handlers["stampImages.set"]({ fingerprint: certificate.fingerprintSha256, kind: "signature", base64: signature });
  }
  const leaderDir = await mkdtemp(join(tmpdir(), "kyso-leader-"));
  try {
    const path = join(leaderDir, "Quyết định 12.pdf");
    await writeFile(path, await officialPdf());
    await session.open(page, "sign-files");
    session.dialogs.queueFiles([path]);
    await page.getByRole("button", { name: "Chọn tệp…" }).click();
    await expect(page.getByTestId("sign-files-chosen").getByRole("listitem")).toHaveText(["Quyết định 12.pdf"]);
    await page.getByRole("radio", { name: /^Chữ ký của người có thẩm quyền/ }).check();
    // No upload: the stored image is enough, so Sign is offered at once.
    await page.getByRole("button", { name: "Ký 1 tệp" }).click();

    await expect.poll(async () => (await session.core.handlers["approvals.list"]()).filter((a) => a.kind === "sign" && ["queued", "choosing-certificate", "entering-pin"].includes(a.state.kind)).length, { timeout: 150_000 }).toBe(1);
    const approval = await browser.newPage();
    await session.open(approval, "approval");
    await expect(approval.getByTestId("sig-preset-where")).toHaveText("Ở trang 2, tìm thấy dưới dòng “KT. GIÁM ĐỐC” (phía trên dòng họ tên)");
    await screenshot(approval, "sign-files-leader-approval-vi");
    await approval.getByLabel("Mã PIN của token").fill(USER_PIN);
    await approval.getByRole("button", { name: "Ký", exact: true }).click();
    await expect(approval.getByTestId("approval-done")).toContainText("Đã ký thành công 1 tài liệu", { timeout: 60_000 });
    await approval.close();

    await expect(page.getByTestId("sign-files-counts")).toHaveText("1 tệp đã ký, 0 tệp chưa ký được, 0 tệp bỏ qua", { timeout: 60_000 });
    const report = await pdfsigVerify(join(leaderDir, "Quyết định 12.signed.pdf"));
    expect(report.signatures.map((s) => s.valid)).toEqual([true]);
  } finally {
    await rm(leaderDir, { recursive: true, force: true });
  }
});

test("leader preset with no image stored nor chosen: refused, and the page says where to keep one", async ({ page }) => {
  test.setTimeout(300_000);
  for (const certificate of await session.core.handlers["certificates.list"]()) {
    await session.core.handlers["stampImages.remove"]({ fingerprint: certificate.fingerprintSha256, kind: "signature" });
  }
  const leaderDir = await mkdtemp(join(tmpdir(), "kyso-no-image-"));
  try {
    const path = join(leaderDir, "Quyết định 13.pdf");
    await writeFile(path, await officialPdf());
    await session.open(page, "sign-files");
    session.dialogs.queueFiles([path]);
    await page.getByRole("button", { name: "Chọn tệp…" }).click();
    await page.getByRole("radio", { name: /^Chữ ký của người có thẩm quyền/ }).check();
    await page.getByRole("button", { name: "Ký 1 tệp" }).click();
    await expect(page.getByText(/Hãy lưu hình ảnh chữ ký tay cho chứng thư này ở trang Chứng thư số/)).toBeVisible({ timeout: 150_000 });
    await screenshot(page, "sign-files-leader-no-image-vi");
    expect((await session.core.handlers["approvals.list"]()).filter((a) => a.kind === "sign" && a.state.kind !== "done")).toEqual([]);
    expect((await readdir(leaderDir)).sort()).toEqual(["Quyết định 13.pdf"]);
  } finally {
    await rm(leaderDir, { recursive: true, force: true });
  }
});

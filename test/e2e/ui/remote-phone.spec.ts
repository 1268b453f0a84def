/**
 * A remote signing account's phone in the real approval UI (issue 16): `npm run sandbox -- --remote` (the local
 * remote-signing server, a demo token key, the real core and bridge, the approval UI in Chromium through the
 * browser transport). A portal asks for a signature with the VNPT SmartCA account; the user clicks Sign; the UI
 * shows "confirm on your phone" with the description KySo sent and the provider's countdown; the server's phone
 * hook decides: approve -> signed; reject, expire, quota, and the server stopped -> the error name the SDK gives.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import type { PhoneOutcome } from "../../../sandbox/remote-server/remote-signing-server.js";
import { startSandbox, type Sandbox } from "../../../sandbox/start-sandbox.js";
import { copyFixtureTokens, type TokenCopy } from "../../fixtures/index.js";
import { connectPortal, type PortalClient } from "../helpers/portal-client.js";

let tokens: TokenCopy;
let dir: string;
let sandbox: Sandbox;
let portal: PortalClient;
let approvalUrl: string;
let accountId: string;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  tokens = await copyFixtureTokens();
  dir = await mkdtemp(join(tmpdir(), "kyso-remote-phone-"));
  await mkdir(join(dir, "demo-tokens"), { recursive: true });
  await writeFile(join(dir, "demo-tokens", "manifest.json"), JSON.stringify(tokens.manifest));
  sandbox = await startSandbox({ dataDir: dir, remote: true, bridgePorts: { ws: [0], wss: [] } });
  approvalUrl = /Approval UI:\s+(\S+)/.exec(sandbox.banner.join("\n"))![1]!;
  portal = await connectPortal(sandbox.core.bridge.ports.ws!, sandbox.portalOrigin);
  const listed = await portal.call("certificates.list", { filter: { tokenId: "remote:vnpt" } });
  accountId = listed[0]!.id;
});

test.afterAll(async () => {
  portal?.close();
  await sandbox?.close();
  await tokens?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

/**
 * The portal's request, the approval opened in Chromium, Sign clicked (no PIN: the phone confirms). The portal's
 * answer comes back inside an object: an async function returning the promise itself would hand back its value
 * (promises flatten), so awaiting this helper would wait for the whole signing and miss the phone step.
 */
async function signAndClick(page: Page, title: string): Promise<{ readonly outcome: Promise<string> }> {
  const outcome = portal
    .call("sign", { certificateId: accountId, format: "raw", document: Buffer.from(title).toString("base64"), display: { title } })
    .then(() => "ok", (error: { code?: string }) => error.code ?? String(error));
  await page.goto(approvalUrl);
  await expect(page.getByTestId("approval-origin")).toBeVisible();
  await page.locator("button[type=submit].primary").first().click();
  return { outcome };
}

test("waiting: the phone step shows the description, the portal and the countdown; approved on the phone -> signed", async ({ page }) => {
  test.setTimeout(90_000);
  const server = sandbox.remote!.server;
  server.phone = "approve";
  // The phone keeps answering "waiting" until the test lets it approve: the page is checked while the wait is on.
  server.waitingPolls = Number.MAX_SAFE_INTEGER;
  const { outcome } = await signAndClick(page, "Quyết định 123/QĐ");
  const phone = page.getByTestId("phone-wait");
  await expect(phone).toHaveAttribute("data-state", "waiting");
  await expect(page.getByTestId("phone-sent")).toContainText("Quyết định 123/QĐ");
  await expect(page.getByTestId("phone-sent")).toContainText(sandbox.portalOrigin);
  await expect(page.getByTestId("phone-countdown")).toContainText(/\d+:\d\d/);
  await expect(page.getByTestId("phone-cancel")).toBeEnabled();
  server.waitingPolls = 0; // the user approves on the phone: the next status poll answers with the signature
  expect(await outcome).toBe("ok");
  await expect(page.getByTestId("approval-done")).toBeVisible();
});

for (const [hook, code] of [["reject", "user_rejected"], ["expire", "timeout"], ["quota", "remote_quota_exceeded"]] as const) {
  test(`phone ${hook} -> the portal gets ${code}, the approval shows the failure`, async ({ page }) => {
    test.setTimeout(90_000);
    const server = sandbox.remote!.server;
    server.phone = hook satisfies PhoneOutcome;
    server.waitingPolls = 0;
    const { outcome } = await signAndClick(page, `Phone ${hook}`);
    expect(await outcome).toBe(code);
    await expect(page.getByTestId(code === "user_rejected" ? /approval-(failed|cancelled)/ : "approval-failed")).toBeVisible();
  });
}

test("network failure (the server stopped) -> remote_unavailable", async ({ page }) => {
  test.setTimeout(90_000);
  await sandbox.remote!.server.close();
  const { outcome } = await signAndClick(page, "Không có mạng");
  expect(await outcome).toBe("remote_unavailable");
  await expect(page.getByTestId("approval-failed")).toBeVisible();
});

/**
 * E2E plumbing: a real core (real listeners, token hosts on a private copy of the SoftHSM fixtures), the demo
 * portal page served under an https origin by Playwright routing (a secure context with a real https Origin,
 * no DNS), and the approval decided by clicking in the real approval UI (the renderer served by the test
 * transport), or — for the pairing and access tests — through the same `approvals.*` handlers the UI calls.
 */
import { writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type BrowserContext, type Page } from "@playwright/test";
import { startBrowserTransport, type BrowserTransport } from "../../../sandbox/browser-transport/start-browser-transport.js";
import type { ApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { KysoCore } from "../../../main/core/kyso-core.js";
import { portalAssets } from "../../../sandbox/portal/serve-portal.js";
import type { TokenHarness } from "../../helpers/token-service-harness.js";
import { PORTAL, startBridgeHarness } from "../../integration/bridge/bridge-harness.js";

export { PORTAL };

export interface E2eCore {
  readonly core: KysoCore;
  readonly tokens: TokenHarness;
  readonly dataDir: string;
  /** PEM bundle of the fixture PKI (root + issuing CAs) for verifiers. */
  readonly caFile: string;
  /** Waits for the next approval shown in the core (without deciding it). */
  nextApproval(): Promise<ApprovalView>;
  approveNext(options?: { pin?: string; certificateId?: string }): Promise<ApprovalView>;
  /**
   * Waits for the next approval, then decides it by clicking in the real approval UI; returns it. `inspect` runs on
   * the approval page before anything is clicked (what the user sees).
   */
  approveInUi(context: BrowserContext, options?: { pin?: string; inspect?: (ui: Page, approval: ApprovalView) => Promise<void> }): Promise<ApprovalView>;
  /** Waits for the next approval (a file approval, `needs-file`) and chooses `file` in the real UI's file input. */
  provideFileInUi(context: BrowserContext, file: { name: string; mimeType: string; buffer: Buffer }): Promise<ApprovalView>;
  close(): Promise<void>;
}

export async function startE2eCore(policy: Record<string, unknown> = {}): Promise<E2eCore> {
  // The same core the bridge integration tests run against; the e2e layer adds the verifiers' CA file and the UI.
  const harness = await startBridgeHarness(policy);
  const { core, tokens, dataDir } = harness;
  const pki = tokens.tokens.manifest.pki;
  const caFile = join(dataDir, "fixture-cas.pem");
  await writeFile(caFile, [pki.rootPem, pki.publicCaPem, pki.govCaPem].map((p) => readFileSync(p, "utf8")).join("\n"));
  const nextApproval = (): Promise<ApprovalView> => harness.nextApproval();
  let transport: BrowserTransport | undefined;
  return {
    core,
    tokens,
    dataDir,
    caFile,
    nextApproval,
    async approveInUi(context, options = {}) {
      const approval = await nextApproval();
      transport ??= await startBrowserTransport({ core });
      const ui = await context.newPage();
      try {
        await ui.goto(`${transport.url}#/approval`);
        await expect(ui.getByTestId("approval-origin")).toBeVisible();
        await options.inspect?.(ui, approval);
        if (approval.kind === "pair") {
          await ui.getByRole("button", { name: "Allow" }).click();
        } else {
          const certificate = preferredCertificate(approval);
          await ui.locator(`input[name=certificate][value="${certificate}"]`).check();
          const pin = ui.getByLabel("Token PIN");
          await pin.fill(options.pin ?? tokens.tokens.manifest.userPin);
          await pin.press("Enter");
        }
        await expect(ui.getByTestId("approval-done")).toBeVisible({ timeout: 90_000 });
      } finally {
        await ui.close();
      }
      return approval;
    },
    async provideFileInUi(context, file) {
      const approval = await nextApproval();
      expect(approval.kind).toBe("file");
      transport ??= await startBrowserTransport({ core });
      const ui = await context.newPage();
      try {
        await ui.goto(`${transport.url}#/approval`);
        await expect(ui.getByTestId("file-approval")).toBeVisible();
        await ui.getByTestId("approval-file").setInputFiles(file);
        // The file approval ends once the core has the bytes; the sign approval follows (approveInUi).
        await expect
          .poll(async () => (await core.handlers["approvals.list"]()).find((a) => a.id === approval.id)?.state.kind ?? "gone", { timeout: 60_000 })
          .not.toBe("needs-file");
      } finally {
        await ui.close();
      }
      return approval;
    },
    async approveNext(options = {}) {
      const approval = await nextApproval();
      const certificateId = options.certificateId ?? (approval.kind === "sign" ? preferredCertificate(approval) : undefined);
      await core.handlers["approvals.approve"]({
        approvalId: approval.id,
        ...(certificateId ? { certificateId } : {}),
        ...(approval.kind === "sign" ? { pin: options.pin ?? tokens.tokens.manifest.userPin } : {}),
      });
      return approval;
    },
    async close() {
      await transport?.close();
      await harness.close();
    },
  };
}

/** The fixture's RSA-2048 person certificate when it is a candidate, else the first valid one. */
function preferredCertificate(approval: ApprovalView): string | undefined {
  if (approval.kind !== "sign") return undefined;
  const valid = approval.candidates.filter((c) => c.valid);
  return (valid.find((c) => c.vn.personalId === "001234567890") ?? valid[0])?.id;
}

/** Serves the demo portal and the SDK at `origin` inside this page's browser context. */
export async function routePortal(page: Page, origin: string = PORTAL): Promise<void> {
  const assets = portalAssets();
  await page.context().route(`${origin}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    const asset = assets.get(path === "/index.html" ? "/" : path);
    if (!asset) return route.fulfill({ status: 404 });
    return route.fulfill({ status: 200, contentType: asset.type, body: asset.body });
  });
}

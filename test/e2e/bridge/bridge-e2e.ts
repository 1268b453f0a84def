/**
 * E2E plumbing: a real core (real listeners, token hosts on a private copy of the SoftHSM fixtures), the demo
 * portal page served under an https origin by Playwright routing (a secure context with a real https Origin,
 * no DNS), and the approval decided through the core's own handlers — the same `approvals.approve` the approval
 * UI calls. (The renderer's approval page is still a stub in this tree; when it lands, `approveNext` should click.)
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import type { ApprovalView } from "../../../main/core/app-api/approval-view.js";
import { createCore, type KysoCore } from "../../../main/core/kyso-core.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import { portalAssets } from "../../../sandbox/portal/serve-portal.js";
import { openTokenHarness, type TokenHarness } from "../../helpers/token-service-harness.js";

export const PORTAL = "https://portal.example.gov.vn";

export interface E2eCore {
  readonly core: KysoCore;
  readonly tokens: TokenHarness;
  readonly dataDir: string;
  /** PEM bundle of the fixture PKI (root + issuing CAs) for verifiers. */
  readonly caFile: string;
  approveNext(options?: { pin?: string; certificateId?: string }): Promise<ApprovalView>;
  close(): Promise<void>;
}

export async function startE2eCore(policy: Record<string, unknown> = {}): Promise<E2eCore> {
  const dataDir = await mkdtemp(join(tmpdir(), "kyso-e2e-"));
  const tokens = await openTokenHarness();
  const core = createCore({
    dataDir,
    policy: policySchema.parse({ allowedOrigins: [PORTAL], ...policy }),
    tokenService: tokens.service,
    bridgePorts: { ws: [0], wss: [0] },
    language: "en",
  });
  await core.start();
  const pki = tokens.tokens.manifest.pki;
  const caFile = join(dataDir, "fixture-cas.pem");
  await writeFile(caFile, [pki.rootPem, pki.publicCaPem, pki.govCaPem].map((p) => readFileSync(p, "utf8")).join("\n"));
  const seen = new Set<string>();
  return {
    core,
    tokens,
    dataDir,
    caFile,
    async approveNext(options = {}) {
      const approval = await new Promise<ApprovalView>((resolve) => {
        const check = (views: readonly ApprovalView[]): void => {
          const shown = views.find((v) => !seen.has(v.id) && v.state.kind === "choosing-certificate");
          if (!shown) return;
          seen.add(shown.id);
          off();
          resolve(shown);
        };
        const off = core.onEvent("approvalsChanged", check);
        void core.handlers["approvals.list"]().then(check);
      });
      const certificateId = options.certificateId ?? (approval.kind === "sign" ? approval.candidates.find((c) => c.valid)?.id : undefined);
      await core.handlers["approvals.approve"]({
        approvalId: approval.id,
        ...(certificateId ? { certificateId } : {}),
        ...(approval.kind === "sign" ? { pin: options.pin ?? tokens.tokens.manifest.userPin } : {}),
      });
      return approval;
    },
    async close() {
      await core.close();
      await tokens.close();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
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

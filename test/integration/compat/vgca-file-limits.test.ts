/**
 * Issue 15: a VGCA file approval (an empty `FileName`: the user picks the file in KySo) counts against the same
 * pending limit as the bridge's `sign` (`limits.maxPendingSignsPerOrigin`, per origin): a listed page cannot stack
 * more "choose a file" prompts than it could stack signing prompts. Over the limit the page gets the vendor's busy
 * reply (Status 4) and no approval opens. No portal server is needed: with an empty `FileName` nothing is requested
 * before the user chooses, and every approval here is cancelled.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalView } from "../../../main/core/app-api/approval-view.js";
import { startBridgeHarness, type BridgeHarness } from "../bridge/bridge-harness.js";
import { vgcaCall } from "./compat-clients.js";

const PAGE = "http://127.0.0.1:18080";
const OTHER_PAGE = "http://127.0.0.1:18081";
const LIMIT = 2;

let bridge: BridgeHarness;
let vgcaPort: number;
let ca: string;

beforeAll(async () => {
  bridge = await startBridgeHarness({
    revocationCheck: "off",
    limits: { maxPendingSignsPerOrigin: LIMIT },
    compatibility: { vgca: { origins: [PAGE, OTHER_PAGE] } },
  });
  vgcaPort = bridge.core.bridge.compatPorts.vgca!;
  ca = bridge.core.bridge.caCertificatePem!;
}, 60_000);
afterAll(async () => bridge?.close());
afterEach(async () => cancelAll());

/** Resolves once the app lists at least `count` approvals (shown or queued). */
function approvalsListed(count: number): Promise<readonly ApprovalView[]> {
  return new Promise((resolve) => {
    const check = (views: readonly ApprovalView[]): void => {
      if (views.length < count) return;
      off();
      resolve(views);
    };
    const off = bridge.core.onEvent("approvalsChanged", check);
    void bridge.core.handlers["approvals.list"]().then(check);
  });
}

/** The page's reply, or a failure as soon as the call opens one more approval instead of answering. */
async function replyWithoutApproval(reply: Promise<Record<string, unknown>>, listed: number): Promise<Record<string, unknown>> {
  const opened = approvalsListed(listed + 1).then(() => Promise.reject(new Error("a further approval opened")));
  opened.catch(() => undefined);
  return Promise.race([reply, opened]);
}

const picker = (page: string, fields: Record<string, unknown> = {}): string => JSON.stringify({ FileName: "", FileUploadHandler: `${page}/upload`, ...fields });

async function cancelAll(): Promise<void> {
  for (const view of await bridge.core.handlers["approvals.list"]()) await bridge.core.handlers["approvals.reject"]({ approvalId: view.id });
}

describe("VGCA file approvals count against the pending limit", () => {
  it("an origin with maxPendingSignsPerOrigin file approvals open gets Status 4 for one more (SignPDF, SignIssued, SignFiles); another origin still may ask", async () => {
    const open = [vgcaCall(vgcaPort, "SignPDF", picker(PAGE), { origin: PAGE, ca }), vgcaCall(vgcaPort, "SignPDF", picker(PAGE), { origin: PAGE, ca })];
    const listed = await approvalsListed(LIMIT);
    expect(listed.every((view) => view.kind === "file")).toBe(true);

    const issued = picker(PAGE, { DocNumber: "1/QĐ", IssuedDate: "01/12/2026" });
    for (const [endpoint, message] of [["SignPDF", picker(PAGE)], ["SignIssued", issued], ["SignFiles", picker(PAGE)]] as const) {
      const reply = await replyWithoutApproval(vgcaCall(vgcaPort, endpoint, message, { origin: PAGE, ca }), LIMIT);
      expect(reply.Status, endpoint).toBe(4);
    }
    expect(await bridge.core.handlers["approvals.list"]()).toHaveLength(LIMIT);

    // The limit is per origin: another listed page is not blocked by this one.
    const other = vgcaCall(vgcaPort, "SignFiles", picker(OTHER_PAGE), { origin: OTHER_PAGE, ca });
    await approvalsListed(LIMIT + 1);
    await cancelAll();
    for (const reply of await Promise.all([...open, other])) expect(reply.Status).toBe(1);
  });

  it("the slots are given back when the file approvals end: the same origin may ask again", async () => {
    const first = [vgcaCall(vgcaPort, "SignPDF", picker(PAGE), { origin: PAGE, ca }), vgcaCall(vgcaPort, "SignPDF", picker(PAGE), { origin: PAGE, ca })];
    await approvalsListed(LIMIT);
    await cancelAll();
    for (const reply of await Promise.all(first)) expect(reply.Status).toBe(1);
    const again = vgcaCall(vgcaPort, "SignPDF", picker(PAGE), { origin: PAGE, ca });
    await approvalsListed(1);
    await cancelAll();
    expect((await again).Status).toBe(1);
  });

  it("while the user has paused the bridge a file flow is busy (Status 4) and opens no approval", async () => {
    await bridge.core.handlers["settings.set"]({ bridgePaused: true });
    try {
      const reply = await replyWithoutApproval(vgcaCall(vgcaPort, "SignPDF", picker(PAGE), { origin: PAGE, ca }), 0);
      expect(reply.Status).toBe(4);
    } finally {
      await bridge.core.handlers["settings.set"]({ bridgePaused: false });
    }
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });
});

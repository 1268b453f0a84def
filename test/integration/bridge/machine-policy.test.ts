/**
 * The machine policy's request limits and its failure mode, through the real core and bridge: a format the policy
 * does not allow and a document over its size are refused before any approval; an invalid machine policy keeps the
 * bridge off and says why in diagnostics.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalView } from "../../../main/core/app-api/approval-view.js";
import { createCore } from "../../../main/core/kyso-core.js";
import { connect, errorName, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

let bridge: BridgeHarness;
let client: Client;
const shown: ApprovalView[] = [];
const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString("base64");

beforeAll(async () => {
  bridge = await startBridgeHarness({ allowedFormats: ["raw", "pades"], maxDocumentBytes: 4096 });
  bridge.core.onEvent("approvalsChanged", (views) => shown.push(...views));
  client = await connect(bridge.wsPort);
});
afterAll(async () => {
  client?.close();
  await bridge?.close();
});

describe("policy limits on requests, before any approval", () => {
  it("a format outside allowedFormats → format_not_allowed, no approval", async () => {
    const before = shown.length;
    expect(errorName(await client.call("sign", { format: "cms", document: b64("x") }))).toBe("format_not_allowed");
    expect(errorName(await client.call("signBatch", { items: [{ format: "raw", document: b64("a") }, { format: "xades", document: b64("<a/>") }] }))).toBe(
      "format_not_allowed",
    );
    expect(shown.slice(before)).toEqual([]);
  });

  it("a document over maxDocumentBytes → document_too_large, no approval; one at the limit goes on to the approval", async () => {
    const before = shown.length;
    expect(errorName(await client.call("sign", { format: "raw", document: b64(Buffer.alloc(4097)) }))).toBe("document_too_large");
    expect(shown.slice(before)).toEqual([]);
    const approval = bridge.nextApproval();
    const pending = client.call("sign", { format: "raw", document: b64(Buffer.alloc(4096)) });
    const opened = await approval;
    await bridge.core.handlers["approvals.reject"]({ approvalId: opened.id });
    expect(errorName(await pending)).toBe("user_rejected");
    // Reading and dry-running the document in a worker before the approval: slow on a loaded 2-core machine.
  }, 120_000);
});

describe("an invalid machine policy", () => {
  it("keeps the bridge off and locked down, and diagnostics names the place and the problems", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kyso-policy-"));
    const core = createCore({
      dataDir,
      machinePolicy: { status: "invalid", source: { kind: "file", location: "/etc/kyso/policy.json" }, problems: ["allowUserPairing: expected boolean"] },
      // No module at all: this core's token service starts no host, so closing it touches nothing of the harness.
      catalogue: false,
      bridgePorts: { ws: [0], wss: [0] },
      language: "en",
    });
    try {
      await core.start();
      const diagnostics = await core.handlers["diagnostics.get"]();
      expect(diagnostics.bridge.listening).toEqual([]);
      expect(diagnostics.policy).toMatchObject({ source: "file", file: "/etc/kyso/policy.json", problems: ["allowUserPairing: expected boolean"] });
      expect(await core.handlers["pairings.list"]()).toEqual([]);
    } finally {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApprovalQueue } from "../../../main/core/approval/approval-queue.js";
import { createAuditLog } from "../../../main/core/audit/audit-log.js";
import { createBridge, type Bridge } from "../../../main/core/bridge/bridge.js";
import { issueLocalCertificate, writeLocalCertificate } from "../../../main/core/bridge/local-tls/local-certificate.js";
import { signingPort } from "../../../main/core/signing/index.js";
import { createPairingStore } from "../../../main/core/pairing/pairing-store.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import type { TokenService } from "../../../main/core/tokens/token-service.js";
import { connect, PORTAL } from "./bridge-harness.js";

const noTokens: TokenService = {
  listTokens: async () => [],
  listCertificates: async () => [],
  openSigner: async () => {
    throw new Error("no tokens");
  },
  diagnostics: () => [],
  onEvent: () => () => undefined,
  close: async () => undefined,
};

let dir: string;
let bridge: Bridge;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-tls-"));
  const policy = policySchema.parse({ allowedOrigins: [PORTAL] });
  bridge = createBridge({
    services: {
      policy,
      pairings: createPairingStore(dir),
      tokens: noTokens,
      approvals: createApprovalQueue({ timeoutMs: 10_000 }),
      signing: signingPort(),
      audit: createAuditLog(dir),
      now: () => new Date(),
      language: () => "en",
    },
    ports: { wss: [0], ws: [] },
    tlsDir: join(dir, "tls"),
  });
  await bridge.start();
});
afterAll(async () => {
  await bridge?.close();
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

describe("local TLS while running", () => {
  it("not due → no renewal; due → new CA served to new connections, the old CA no longer verifies", async () => {
    const port = bridge.ports.wss!;
    const oldCa = bridge.caCertificatePem!;
    expect(await bridge.renewLocalCertificate(new Date())).toBe(false);
    const before = await connect(port, { scheme: "wss", ca: oldCa });
    before.close();
    // Time passes: the stored certificate is now 340 days old (57 days left), inside the renewal window.
    await writeLocalCertificate(join(dir, "tls"), await issueLocalCertificate(new Date(Date.now() - 340 * 86_400_000)));
    expect(await bridge.renewLocalCertificate(new Date())).toBe(true);
    const newCa = bridge.caCertificatePem!;
    expect(newCa).not.toBe(oldCa);
    const after = await connect(port, { scheme: "wss", ca: newCa });
    expect("result" in (await after.call("hello"))).toBe(true);
    after.close();
    await expect(connect(port, { scheme: "wss", ca: oldCa })).rejects.toThrow(/certificate|verify|self-signed/i);
  });

  it("only the wss listener was started (ws: [] turns it off)", () => {
    expect(bridge.ports.ws).toBeUndefined();
    expect(bridge.status().listening).toEqual([{ scheme: "wss", port: bridge.ports.wss }]);
  });
});

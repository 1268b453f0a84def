import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBridge, type Bridge } from "../../../main/core/bridge/bridge.js";
import { issueLocalCertificate, writeLocalCertificate } from "../../../main/core/bridge/local-tls/local-certificate.js";
import { connect, tokenlessBridgeServices } from "./bridge-harness.js";

let dir: string;
let bridge: Bridge;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-tls-"));
  bridge = createBridge({
    services: tokenlessBridgeServices(dir),
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

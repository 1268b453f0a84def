import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
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

describe("local TLS after a torn renewal of an earlier version", () => {
  it("old three-file layout with the key of one renewal and the certificate of another → the wss listener starts and serves a pair that verifies", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kyso-tls-torn-"));
    const [a, b] = await Promise.all([issueLocalCertificate(), issueLocalCertificate()]);
    const tlsDir = join(dataDir, "tls");
    await mkdir(tlsDir, { recursive: true });
    // The old renewal renamed leaf.key first: a crash before leaf.pem left b's key next to a's certificate.
    await writeFile(join(tlsDir, "leaf.key"), b.keyPem);
    await writeFile(join(tlsDir, "leaf.pem"), a.certPem);
    await writeFile(join(tlsDir, "ca.pem"), a.caPem);
    const torn = createBridge({ services: tokenlessBridgeServices(dataDir), ports: { wss: [0], ws: [] }, tlsDir });
    try {
      await torn.start();
      const ca = torn.caCertificatePem!;
      const client = await connect(torn.ports.wss!, { scheme: "wss", ca });
      expect("result" in (await client.call("hello"))).toBe(true);
      client.close();
    } finally {
      await torn.close();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
    }
  });
});

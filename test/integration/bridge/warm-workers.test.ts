/**
 * Issue 10: a document worker's first start (module loading: pdf-lib, fontkit, xadesjs...) takes seconds on a slow
 * desk, and the workers end when idle so an idle app stays small. A portal announces itself before it signs (the
 * SDK's hello, the certificate list at page load), so a trusted portal's hello or listing starts one worker ahead
 * of the document; an unknown page's does not (capacity belongs to trusted origins).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { createBridge, type Bridge } from "../../../main/core/bridge/bridge.js";
import { signingPort } from "../../../main/core/signing/signing-port.js";
import { connect, PORTAL, tokenlessBridgeServices } from "./bridge-harness.js";

let dir: string | undefined;
let bridge: Bridge | undefined;
afterEach(async () => {
  await bridge?.close();
  if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  bridge = dir = undefined;
});

async function start(): Promise<{ port: number; warmed: () => number }> {
  dir = await mkdtemp(join(tmpdir(), "kyso-warm-"));
  let warmed = 0;
  const signing = { ...signingPort(), warm: () => void warmed++ };
  bridge = createBridge({ services: tokenlessBridgeServices(dir, { signing }), ports: { wss: [], ws: [0] }, tlsDir: join(dir, "tls") });
  await bridge.start();
  return { port: bridge.ports.ws!, warmed: () => warmed };
}

it("a trusted portal's hello and certificate listing warm the document workers; an unknown page's do not", async () => {
  const { port, warmed } = await start();
  const stranger = await connect(port, { origin: "https://stranger.example" });
  await stranger.call("hello");
  await stranger.call("certificates.list");
  expect(warmed()).toBe(0);
  const portal = await connect(port, { origin: PORTAL });
  await portal.call("hello");
  expect(warmed()).toBe(1);
  await portal.call("certificates.list");
  expect(warmed()).toBe(2);
  stranger.close();
  portal.close();
});

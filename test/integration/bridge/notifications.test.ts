import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBridge, type Bridge } from "../../../main/core/bridge/bridge.js";
import type { TokenInfo } from "../../../main/domain/token.js";
import { connect, tokenlessBridgeServices } from "./bridge-harness.js";

const token: TokenInfo = {
  id: "m-1:serial",
  label: "VNPT-CA",
  manufacturer: "Feitian",
  model: "ePass2003",
  serial: "serial",
  moduleId: "m-1",
  pinStatus: "ok",
  protectedAuthenticationPath: false,
  loginRequired: true,
};

let dir: string;
let bridge: Bridge;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-notify-"));
  bridge = createBridge({
    services: tokenlessBridgeServices(dir),
    ports: { wss: [], ws: [0] },
    tlsDir: join(dir, "tls"),
  });
  await bridge.start();
});
afterAll(async () => {
  await bridge?.close();
  await rm(dir, { recursive: true, force: true, maxRetries: 5 });
});

describe("tokensChanged", () => {
  it("reaches allowlisted connections with token summaries (no module id); unknown origins hear nothing", async () => {
    const allowed = await connect(bridge.ports.ws!);
    const stranger = await connect(bridge.ports.ws!, { origin: "https://stranger.example" });
    bridge.broadcastTokens([token]);
    await expect.poll(() => allowed.notifications.length).toBe(1);
    expect(allowed.notifications[0]).toEqual({
      jsonrpc: "2.0",
      method: "tokensChanged",
      params: { tokens: [{ id: "m-1:serial", label: "VNPT-CA", manufacturer: "Feitian", model: "ePass2003", serial: "serial", pinStatus: "ok", protectedAuthenticationPath: false }] },
    });
    // A round trip on the stranger's socket: anything sent before it would have arrived by now.
    expect("result" in (await stranger.call("hello"))).toBe(true);
    expect(stranger.notifications).toEqual([]);
    allowed.close();
    stranger.close();
  });

  it("paused by the user: everything but hello answers busy", async () => {
    const client = await connect(bridge.ports.ws!);
    bridge.setPaused(true);
    const answer = await client.call("tokens.list");
    expect("error" in answer && answer.error.data.name).toBe("busy");
    expect("result" in (await client.call("hello"))).toBe(true);
    bridge.setPaused(false);
    expect("result" in (await client.call("tokens.list"))).toBe(true);
    client.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, errorName, PORTAL, startBridgeHarness, type BridgeHarness } from "./bridge-harness.js";

let bridge: BridgeHarness;
beforeAll(async () => {
  bridge = await startBridgeHarness();
});
afterAll(() => bridge?.close());

const refused = (promise: Promise<unknown>, status: number) => expect(promise).rejects.toThrow(`Unexpected server response: ${status}`);

describe("bridge handshake: who may open a socket", () => {
  it("Host 127.0.0.1, localhost and [::1] with the listener's port → accepted", async () => {
    for (const host of [`127.0.0.1:${bridge.wsPort}`, `localhost:${bridge.wsPort}`, `[::1]:${bridge.wsPort}`]) {
      const client = await connect(bridge.wsPort, { host });
      expect((await client.call("hello")).jsonrpc).toBe("2.0");
      client.close();
    }
  });

  it("Host of a rebinding name → 403", () => refused(connect(bridge.wsPort, { host: `evil.example:${bridge.wsPort}` }), 403));
  it("Host with another port → 403", () => refused(connect(bridge.wsPort, { host: `127.0.0.1:${bridge.wsPort + 1}` }), 403));
  it("Host without a port → 403", () => refused(connect(bridge.wsPort, { host: "127.0.0.1" }), 403));
  it("missing Origin → 403", () => refused(connect(bridge.wsPort, { origin: null }), 403));
  // A page's own origin that KySo refuses is told so with close code 4001 instead (refused-origin.test.ts).
  it("http:// origin without developer origins → open, then close 4001", async () =>
    expect(await (await connect(bridge.wsPort, { origin: "http://localhost:3000" })).closed).toEqual({ code: 4001 }));
  it("userinfo in Origin (https://portal.example.gov.vn@evil.example) → 403", () =>
    refused(connect(bridge.wsPort, { origin: "https://portal.example.gov.vn@evil.example" }), 403));
  it("Origin with a path or trailing slash → 403", async () => {
    await refused(connect(bridge.wsPort, { origin: `${PORTAL}/` }), 403);
    await refused(connect(bridge.wsPort, { origin: `${PORTAL}/x` }), 403);
  });
  it("Origin 'null' (sandboxed iframe, file://) → open, then close 4001", async () =>
    expect(await (await connect(bridge.wsPort, { origin: "null" })).closed).toEqual({ code: 4001 }));

  it("look-alike origins connect but learn nothing: origin_not_allowed for every token method", async () => {
    for (const origin of ["https://portal.example.gov.vn.evil", "https://portal.example.evil", `${PORTAL}:8443`, "https://evil-portal.example.gov.vn"]) {
      const client = await connect(bridge.wsPort, { origin });
      const hello = await client.call("hello");
      expect("result" in hello && hello.result).toMatchObject({ origin: { origin, trust: "none" } });
      for (const method of ["tokens.list", "certificates.list", "sign", "signBatch", "verify"]) {
        // Even with invalid params: the origin gate runs before the schema.
        expect(errorName(await client.call(method, { nonsense: true })), `${origin} ${method}`).toBe("origin_not_allowed");
      }
      client.close();
    }
  });

  it("the allowlisted origin sees tokens", async () => {
    const client = await connect(bridge.wsPort);
    const tokens = await client.call("tokens.list");
    expect("result" in tokens && (tokens.result as unknown[]).length).toBe(2);
    client.close();
  });

  it("plain HTTP request (no upgrade) → 426, no body", async () => {
    const response = await fetch(`http://127.0.0.1:${bridge.wsPort}/`);
    expect(response.status).toBe(426);
    expect(await response.text()).toBe("");
  });

  it("wss with the local CA → connects; without trusting it → TLS error", async () => {
    const ca = bridge.core.bridge.caCertificatePem!;
    const client = await connect(bridge.wssPort, { scheme: "wss", ca });
    const hello = await client.call("hello");
    expect("result" in hello).toBe(true);
    client.close();
    await expect(connect(bridge.wssPort, { scheme: "wss" })).rejects.toThrow(/self-signed|unable to verify|certificate/i);
  });
});

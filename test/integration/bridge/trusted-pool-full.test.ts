/**
 * When the trusted origins' pool is full (`maxConnections` in total), a further trusted portal is told so at once
 * with HTTP 503 and a `Retry-After`, on the WebSocket upgrade and on the reach path alike: never accepted and then
 * dropped, never left hanging (docs/threat-model.md, "Resource limits"). Its slot comes back when one closes.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { REACH_PATH } from "../../../main/core/bridge/reach.js";
import { connect, PORTAL, startBridgeHarness, type BridgeHarness } from "./bridge-harness.js";

const SECOND = "https://second.example.gov.vn";
let bridge: BridgeHarness | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
}

/** A browser-shaped request (upgrade or reach GET) whose HTTP answer is read whatever its status. */
function ask(port: number, origin: string, kind: "upgrade" | "reach"): Promise<Answer> {
  const headers: Record<string, string> = { Host: `127.0.0.1:${port}`, Origin: origin };
  if (kind === "upgrade") {
    Object.assign(headers, { Upgrade: "websocket", Connection: "Upgrade", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13" });
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: kind === "upgrade" ? "/" : REACH_PATH, headers, agent: false });
    req.on("response", (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
    });
    req.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("trusted pool full", () => {
  it("another trusted portal gets 503 with Retry-After (upgrade and reach path); after one closes it connects", async () => {
    bridge = await startBridgeHarness({ allowedOrigins: [PORTAL, SECOND], limits: { maxConnections: 2, maxConnectionsPerOrigin: 2 } });
    const a = await connect(bridge.wsPort);
    const b = await connect(bridge.wsPort);
    for (const kind of ["upgrade", "reach"] as const) {
      const answer = await ask(bridge.wsPort, SECOND, kind);
      expect(answer.status, kind).toBe(503);
      expect(Number(answer.headers["retry-after"]), kind).toBeGreaterThan(0);
      expect(answer.headers.connection, kind).toBe("close");
    }
    expect(bridge.core.bridge.connectionSlots).toBe(2);
    a.close();
    await a.closed;
    await expect.poll(() => bridge!.core.bridge.connectionSlots).toBe(1);
    const c = await connect(bridge.wsPort, { origin: SECOND });
    expect("result" in (await c.call("hello"))).toBe(true);
    for (const client of [b, c]) client.close();
  });

  it("a single origin over its own limit gets the same 503 with Retry-After", async () => {
    bridge = await startBridgeHarness({ limits: { maxConnectionsPerOrigin: 1 } });
    const a = await connect(bridge.wsPort);
    const answer = await ask(bridge.wsPort, PORTAL, "upgrade");
    expect([answer.status, Number(answer.headers["retry-after"]) > 0]).toEqual([503, true]);
    a.close();
  });
});

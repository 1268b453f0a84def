/**
 * The bridge's one plain-HTTP path (`/kyso/v1/reach`, reach.ts), over raw HTTP requests that set whatever Host and
 * Origin a test wants: answered with exact-origin CORS (and the Private/Local Network Access preflight headers)
 * for allowlisted and paired origins only; a bare 403 with no CORS header for everyone else; counted in the
 * connection limits; every other HTTP request still 426.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { afterEach, describe, expect, it } from "vitest";
import { REACH_BODY, REACH_PATH } from "../../../main/core/bridge/reach.js";
import { connect, PORTAL, startBridgeHarness, type BridgeHarness } from "./bridge-harness.js";

const NEWCOMER = "https://newcomer.example.vn";
let bridge: BridgeHarness | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface RawOptions {
  readonly method?: string;
  readonly path?: string;
  readonly host?: string;
  /** null: no Origin header. */
  readonly origin?: string | null;
  readonly headers?: Record<string, string>;
  readonly tls?: { readonly ca: string };
}

/** One raw HTTP(S) request to the bridge; the connection is not reused. */
function raw(port: number, options: RawOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { Host: options.host ?? `127.0.0.1:${port}`, ...options.headers };
  const origin = options.origin === undefined ? PORTAL : options.origin;
  if (origin !== null) headers.Origin = origin;
  const request = options.tls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method: options.method ?? "GET", path: options.path ?? REACH_PATH, headers, agent: false, ...(options.tls ? { ca: options.tls.ca } : {}) },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const CORS_HEADERS = ["access-control-allow-origin", "access-control-allow-methods", "access-control-allow-private-network", "access-control-allow-local-network", "access-control-allow-credentials"];
function expectBare(response: RawResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.body).toBe("");
  for (const name of CORS_HEADERS) expect(response.headers[name], name).toBeUndefined();
}

describe("reach path: who gets an answer", () => {
  it("allowlisted origin: GET → 200 {product: KySo}, exact-origin CORS, Vary: Origin, no cookie, no credentials; on ws and wss", async () => {
    bridge = await startBridgeHarness();
    for (const [port, tls] of [[bridge.wsPort, undefined], [bridge.wssPort, { ca: bridge.core.bridge.caCertificatePem! }]] as const) {
      const response = await raw(port, tls ? { tls } : {});
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ product: "KySo" });
      expect(response.body).toBe(REACH_BODY);
      expect(response.headers["access-control-allow-origin"]).toBe(PORTAL);
      expect(response.headers.vary).toBe("Origin");
      expect(response.headers["cache-control"]).toBe("no-store");
      expect(response.headers["set-cookie"]).toBeUndefined();
      expect(response.headers["access-control-allow-credentials"]).toBeUndefined();
    }
    expect(bridge.core.bridge.reachAnswered).toBe(2);
  });

  it("paired origin: 403 before pairing, 200 after, 403 again after revoke", async () => {
    bridge = await startBridgeHarness();
    expectBare(await raw(bridge.wsPort, { origin: NEWCOMER }), 403);
    const client = await connect(bridge.wsPort, { origin: NEWCOMER });
    const pairing = client.call("pair");
    await bridge.core.handlers["approvals.approve"]({ approvalId: (await bridge.nextApproval("pair")).id });
    expect(await pairing).toMatchObject({ result: { granted: true } });
    const paired = await raw(bridge.wsPort, { origin: NEWCOMER });
    expect([paired.status, paired.headers["access-control-allow-origin"]]).toEqual([200, NEWCOMER]);
    await bridge.core.handlers["pairings.revoke"]({ origin: NEWCOMER });
    expectBare(await raw(bridge.wsPort, { origin: NEWCOMER }), 403);
    client.close();
  });

  it("unknown, look-alike, missing, null, http:// and malformed origins → bare 403 (GET and preflight), nothing counted", async () => {
    bridge = await startBridgeHarness();
    const origins = [NEWCOMER, "https://portal.example.gov.vn.evil", `${PORTAL}:8443`, null, "null", "http://localhost:3000", `${PORTAL}/`, "https://portal.example.gov.vn@evil.example"];
    for (const origin of origins) {
      for (const method of ["GET", "OPTIONS"]) {
        const response = await raw(bridge.wsPort, { origin, method, headers: { "Access-Control-Request-Method": "GET", "Access-Control-Request-Private-Network": "true" } });
        expectBare(response, 403);
      }
    }
    expect(bridge.core.bridge.reachAnswered).toBe(0);
    expect(bridge.core.bridge.connectionSlots).toBe(0);
  });

  it("bad Host (rebinding name, other port, no port) → bare 403 even for the allowlisted origin", async () => {
    bridge = await startBridgeHarness();
    for (const host of [`evil.example:${bridge.wsPort}`, `127.0.0.1:${bridge.wsPort + 1}`, "127.0.0.1"]) {
      expectBare(await raw(bridge.wsPort, { host }), 403);
    }
    for (const host of [`localhost:${bridge.wsPort}`, `[::1]:${bridge.wsPort}`]) expect((await raw(bridge.wsPort, { host })).status).toBe(200);
  });

  it("other paths and methods stay 426 with no body and no CORS header", async () => {
    bridge = await startBridgeHarness();
    for (const [method, path] of [["GET", "/"], ["GET", "/kyso/v1/reach/x"], ["GET", "/kyso/v1/REACH"], ["POST", REACH_PATH], ["PUT", REACH_PATH], ["HEAD", REACH_PATH], ["GET", "/favicon.ico"]] as const) {
      expectBare(await raw(bridge.wsPort, { method, path }), 426);
    }
    // The query string does not matter (a cache-buster is harmless).
    expect((await raw(bridge.wsPort, { path: `${REACH_PATH}?t=1` })).status).toBe(200);
  });
});

describe("reach path: the preflight", () => {
  it("Access-Control-Request-Private-Network: true → Access-Control-Allow-Private-Network: true (and the local-network spelling)", async () => {
    bridge = await startBridgeHarness();
    const response = await raw(bridge.wsPort, {
      method: "OPTIONS",
      headers: { "Access-Control-Request-Method": "GET", "Access-Control-Request-Private-Network": "true", "Access-Control-Request-Local-Network": "true" },
    });
    expect(response.status).toBe(204);
    expect(response.body).toBe("");
    expect(response.headers).toMatchObject({
      "access-control-allow-origin": PORTAL,
      "access-control-allow-methods": "GET",
      "access-control-allow-private-network": "true",
      "access-control-allow-local-network": "true",
    });
    expect(response.headers.vary).toContain("Origin");
    expect(response.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  it("without the request headers → no Allow-Private/Local-Network header; a preflight for POST → bare 403", async () => {
    bridge = await startBridgeHarness();
    const plain = await raw(bridge.wsPort, { method: "OPTIONS", headers: { "Access-Control-Request-Method": "GET" } });
    expect(plain.status).toBe(204);
    expect(plain.headers["access-control-allow-private-network"]).toBeUndefined();
    expect(plain.headers["access-control-allow-local-network"]).toBeUndefined();
    expectBare(await raw(bridge.wsPort, { method: "OPTIONS", headers: { "Access-Control-Request-Method": "POST" } }), 403);
  });
});

describe("reach path: limits", () => {
  it("counts in the origin's connection slots: over maxConnectionsPerOrigin → bare 503; the slot comes back after the answer", async () => {
    bridge = await startBridgeHarness({ limits: { maxConnectionsPerOrigin: 2 } });
    const a = await connect(bridge.wsPort);
    const b = await connect(bridge.wsPort);
    expectBare(await raw(bridge.wsPort), 503);
    a.close();
    await a.closed;
    await expect.poll(() => bridge!.core.bridge.connectionSlots).toBe(1);
    expect((await raw(bridge.wsPort)).status).toBe(200);
    await expect.poll(() => bridge!.core.bridge.connectionSlots).toBe(1);
    b.close();
  });
});

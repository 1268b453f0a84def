/**
 * The SDK's connection lifecycle against the real bridge, in Node (`ws` stands in for the browser's WebSocket):
 * the closed state (no call ever hangs on a dead socket), per-call timeouts, and `connectWithRetry`.
 */
import { createHash } from "node:crypto";
import { createServer, connect as tcpConnect, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  AppNotRunningError,
  CallTimeoutError,
  connect,
  connectWithRetry,
  ConnectionClosedError,
  KysoError,
  KysoSdkError,
  OriginNotAllowedError,
  ProtocolError,
  RequestError,
  retryDelayMs,
  type ConnectOptions,
} from "../../../sdk/src/index.js";
import { PORTAL, startBridgeHarness, type BridgeHarness } from "../bridge/bridge-harness.js";

/** A browser-like socket with the portal's Origin; `hostPort` sets the Host a browser would send for that port. */
function socketFrom(origin: string, hostPort?: () => number, opened?: string[]): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin, ...(hostPort ? { headers: { host: `127.0.0.1:${hostPort()}` } } : {}) });
      opened?.push(url);
    }
  } as unknown as typeof globalThis.WebSocket;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const digest = (text: string): string => createHash("sha256").update(text).digest("base64");

let bridge: BridgeHarness;
let options: ConnectOptions;
beforeAll(async () => {
  // A small message cap lets a test make the bridge close the socket itself (1009) without a 64 MiB frame.
  bridge = await startBridgeHarness({ limits: { maxMessageBytes: 64 * 1024 } });
  options = { schemes: ["ws"], ports: { ws: [bridge.wsPort] }, WebSocket: socketFrom(PORTAL), attemptTimeoutMs: 1000 };
});
afterAll(() => bridge?.close());

describe("closed state", () => {
  it("close(): a pending sign rejects at once with ConnectionClosedError, later calls reject before sending", async () => {
    const kyso = await connect(options);
    const pending = kyso.sign({ format: "raw", hash: digest("closed") }).catch((e: unknown) => e);
    const approval = await bridge.nextApproval("sign");
    expect(kyso.pendingCalls).toBe(1);
    kyso.close();
    expect(kyso.closed).toBe(true);
    const error = await pending;
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect(error).toBeInstanceOf(KysoSdkError);
    expect(error).toMatchObject({ code: "connection_closed", closeCode: 1000, retriable: true });
    expect(kyso.pendingCalls).toBe(0);
    await expect(kyso.hello()).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(kyso.listTokens()).rejects.toBeInstanceOf(ConnectionClosedError);
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id }).catch(() => undefined);
  });

  it("the bridge closes the socket (message over the cap, 1009): the pending calls reject, onClose fires, later calls reject", async () => {
    const kyso = await connect(options);
    const closes: ConnectionClosedError[] = [];
    kyso.onClose((e) => closes.push(e));
    const waiting = kyso.sign({ format: "raw", hash: digest("waiting") }).catch((e: unknown) => e);
    const approval = await bridge.nextApproval("sign");
    const tooLarge = kyso.sign({ format: "raw", document: "A".repeat(100 * 1024) }).catch((e: unknown) => e);
    const [first, second] = await Promise.all([waiting, tooLarge]);
    for (const error of [first, second]) {
      expect(error).toBeInstanceOf(ProtocolError);
      expect(error).toMatchObject({ code: "invalid_request" });
    }
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ closeCode: 1009 });
    expect(kyso.closed).toBe(true);
    await expect(kyso.hello()).rejects.toBeInstanceOf(ConnectionClosedError);
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id }).catch(() => undefined);
  });
});

describe("refused origin (close 4001)", () => {
  it("an origin KySo refuses at the handshake: connect opens, then every call rejects with OriginNotAllowedError (closeCode 4001), onClose too", async () => {
    const kyso = await connect({ ...options, WebSocket: socketFrom("http://portal.example.gov.vn") });
    const closes: ConnectionClosedError[] = [];
    kyso.onClose((e) => closes.push(e));
    const first = await kyso.hello().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(OriginNotAllowedError);
    expect(first).toMatchObject({ code: "origin_not_allowed", closeCode: 4001 });
    expect(kyso.closed).toBe(true);
    await expect(kyso.listTokens()).rejects.toBeInstanceOf(OriginNotAllowedError);
    expect(closes.map((e) => e.closeCode)).toEqual([4001]);
    expect(kyso.pendingCalls).toBe(0);
  });
});

describe("per-call timeout", () => {
  it("a sign nobody approves rejects with CallTimeoutError after timeoutMs; the id is forgotten and the late answer ignored", async () => {
    const kyso = await connect(options);
    const pending = kyso.sign({ format: "raw", hash: digest("late") }, { timeoutMs: 50 }).catch((e: unknown) => e);
    const approval = await bridge.nextApproval("sign");
    const error = await pending;
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect(error).toMatchObject({ code: "timeout", method: "sign", timeoutMs: 50 });
    expect(kyso.pendingCalls).toBe(0);
    // The app's answer (user_rejected) now arrives for an id the client forgot: nothing rejects twice, the
    // connection goes on serving.
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect((await kyso.hello()).product).toBe("KySo");
    expect(kyso.pendingCalls).toBe(0);
    kyso.close();
  });

  it("a call answered in time is unaffected, and the client-wide default applies to non-signing calls", async () => {
    const kyso = await connect({ ...options, timeoutMs: 10_000 });
    expect(await kyso.listTokens({ timeoutMs: 10_000 })).toHaveLength(2);
    expect((await kyso.hello()).protocol).toBe(1);
    kyso.close();
  });

  it("signing calls have no SDK timeout by default: the app's answer decides", async () => {
    const kyso = await connect({ ...options, timeoutMs: 1 });
    const pending = kyso.sign({ format: "raw", hash: digest("no-timeout") }).catch((e: unknown) => e);
    await bridge.core.handlers["approvals.reject"]({ approvalId: (await bridge.nextApproval("sign")).id });
    const error = await pending;
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ code: "user_rejected" });
    kyso.close();
  });
});

describe("connectWithRetry", () => {
  it("gives up after the bounded number of attempts with AppNotRunningError", async () => {
    const port = await freePort();
    const opened: string[] = [];
    const retries: number[] = [];
    const error = await connectWithRetry({
      ...options,
      ports: { ws: [port] },
      WebSocket: socketFrom(PORTAL, undefined, opened),
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 4, onRetry: ({ attempt }) => retries.push(attempt) },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppNotRunningError);
    expect(opened).toHaveLength(3);
    expect(retries).toEqual([1, 2]);
  });

  it("connects once KySo starts listening between attempts", async () => {
    const port = await freePort();
    let proxy: Server | undefined;
    try {
      const kyso = await connectWithRetry({
        ...options,
        ports: { ws: [port] },
        // The proxy forwards to the bridge, which checks that Host names its own port.
        WebSocket: socketFrom(PORTAL, () => bridge.wsPort),
        retry: {
          attempts: 4,
          baseDelayMs: 1,
          maxDelayMs: 2,
          onRetry: ({ attempt }) => {
            if (attempt !== 2) return;
            proxy = createServer((client) => {
              const upstream = tcpConnect(bridge.wsPort, "127.0.0.1");
              client.pipe(upstream).pipe(client);
              client.on("error", () => upstream.destroy());
              upstream.on("error", () => client.destroy());
            });
            proxy.listen(port, "127.0.0.1");
          },
        },
      });
      expect(kyso.url).toBe(`ws://127.0.0.1:${port}/`);
      expect((await kyso.hello()).origin.trust).toBe("policy");
      kyso.close();
    } finally {
      await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
    }
  });

  it("back-off doubles up to the ceiling, with jitter in the upper half", () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, 500, 10_000, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 5000]);
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelayMs(a, 500, 10_000, () => 0.999999))).toEqual([500, 1000, 2000, 4000, 8000, 10_000]);
    for (let attempt = 1; attempt < 8; attempt++) {
      const delay = retryDelayMs(attempt, 100, 1000);
      expect(delay).toBeGreaterThanOrEqual(Math.min(1000, 100 * 2 ** (attempt - 1)) / 2);
      expect(delay).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** (attempt - 1)));
    }
  });
});

describe("error details", () => {
  it("RequestError exposes retryAfterMs (rate_limited) and problems (certificate_invalid); KysoError is the deprecated alias", () => {
    const limited = new RequestError({ code: 1010, message: "slow down", data: { name: "rate_limited", retriable: true, retryAfterMs: 41_250 } }, true);
    expect(limited.retryAfterMs).toBe(41_250);
    const invalid = new RequestError(
      { code: 1006, message: "bad cert", data: { name: "certificate_invalid", retriable: false, problems: ["expired", "revoked"] } },
      false,
    );
    expect(invalid.problems).toEqual(["expired", "revoked"]);
    expect(invalid.retryAfterMs).toBeUndefined();
    expect(KysoError).toBe(KysoSdkError);
    expect(invalid).toBeInstanceOf(KysoError);
  });
});

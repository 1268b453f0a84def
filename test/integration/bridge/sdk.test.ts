/**
 * The portal SDK against the real bridge, in Node: `ws` stands in for the browser's WebSocket (it sends the
 * Origin a browser would). The browser-only paths (Local Network Access, NSS trust) are in test/e2e/bridge.
 */
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  AppNotRunningError,
  connect,
  OriginNotAllowedError,
  ProtocolError,
  RequestError,
  type ConnectOptions,
} from "../../../sdk/src/index.js";
import { PORTAL, startBridgeHarness, type BridgeHarness } from "./bridge-harness.js";

function socketFrom(origin: string): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  } as unknown as typeof globalThis.WebSocket;
}

/** A port nobody listens on: bound then released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let bridge: BridgeHarness;
let options: ConnectOptions;
beforeAll(async () => {
  bridge = await startBridgeHarness();
  options = { schemes: ["ws"], ports: { ws: [await deadPort(), bridge.wsPort] }, WebSocket: socketFrom(PORTAL), attemptTimeoutMs: 1000 };
});
afterAll(() => bridge?.close());

describe("SDK against the bridge", () => {
  it("connect: skips a dead port and takes the next; hello, tokens, certificates", async () => {
    const kyso = await connect(options);
    expect(kyso.url).toBe(`ws://127.0.0.1:${bridge.wsPort}/`);
    expect((await kyso.hello()).origin).toEqual({ origin: PORTAL, trust: "policy" });
    expect(await kyso.listTokens()).toHaveLength(2);
    expect((await kyso.listCertificates({ taxCode: "0101234567" })).map((c) => c.vn.taxCode)).toEqual(["0101234567"]);
    kyso.close();
  });

  it("no listener on any port → AppNotRunningError with install guidance", async () => {
    const error = await connect({ ...options, ports: { ws: [await deadPort()] }, installUrl: "https://kyso.example/tai-ve" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppNotRunningError);
    expect((error as AppNotRunningError).guidance).toContain("https://kyso.example/tai-ve");
  });

  it("an unknown origin → OriginNotAllowedError; bad params → ProtocolError; declined → RequestError user_rejected", async () => {
    const stranger = await connect({ ...options, WebSocket: socketFrom("https://stranger.example") });
    await expect(stranger.listTokens()).rejects.toBeInstanceOf(OriginNotAllowedError);
    stranger.close();

    const kyso = await connect(options);
    const bad = await kyso.sign({ format: "raw", hash: "***" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ProtocolError);
    expect((bad as ProtocolError).code).toBe("invalid_params");

    const pending = kyso.sign({ format: "raw", hash: createHash("sha256").update("x").digest("base64") }).catch((e: unknown) => e);
    await bridge.core.handlers["approvals.reject"]({ approvalId: (await bridge.nextApproval("sign")).id });
    const declined = await pending;
    expect(declined).toBeInstanceOf(RequestError);
    expect(declined).toMatchObject({ code: "user_rejected", retriable: false });
    kyso.close();
  });

  it("signBatch with onProgress: one callback per item", async () => {
    const kyso = await connect(options);
    const seen: number[] = [];
    const items = ["a", "b", "c"].map((t) => ({ format: "raw" as const, hash: createHash("sha256").update(t).digest("base64") }));
    const pending = kyso.signBatch({ items }, { onProgress: (p) => seen.push(p.done) });
    const approval = await bridge.nextApproval("sign");
    const certificateId = approval.kind === "sign" ? approval.candidates.find((c) => c.valid && c.vn.personalId === "001234567890")!.id : "";
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId, pin: "1234" });
    const { results } = await pending;
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(seen).toEqual([1, 2, 3]);
    kyso.close();
  });
});

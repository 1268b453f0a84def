import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { connect, errorName, startBridgeHarness, type BridgeHarness } from "./bridge-harness.js";

const NEWCOMER = "https://newcomer.example.vn";
let bridge: BridgeHarness | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

describe("pairing", () => {
  it("unknown origin → origin_not_allowed; pairs after the user allows; refused again after revoke", async () => {
    bridge = await startBridgeHarness();
    const client = await connect(bridge.wsPort, { origin: NEWCOMER });
    expect(errorName(await client.call("tokens.list"))).toBe("origin_not_allowed");
    const pairing = client.call("pair");
    const approval = await bridge.nextApproval("pair");
    expect(approval.origin).toEqual({ origin: NEWCOMER, trust: "none" });
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id });
    expect(await pairing).toMatchObject({ result: { granted: true } });
    expect((await bridge.core.handlers["pairings.list"]()).map((p) => [p.origin, p.source])).toContainEqual([NEWCOMER, "user"]);
    const hello = await client.call("hello");
    expect("result" in hello && hello.result).toMatchObject({ origin: { trust: "paired" } });
    expect("result" in (await client.call("tokens.list"))).toBe(true);
    expect(await bridge.core.handlers["pairings.revoke"]({ origin: NEWCOMER })).toEqual({ revoked: true });
    expect(errorName(await client.call("tokens.list"))).toBe("origin_not_allowed");
    client.close();
  });

  it("the user refuses → {granted: false}, still not allowed", async () => {
    bridge = await startBridgeHarness();
    const client = await connect(bridge.wsPort, { origin: NEWCOMER });
    const pairing = client.call("pair");
    await bridge.core.handlers["approvals.reject"]({ approvalId: (await bridge.nextApproval("pair")).id });
    expect(await pairing).toMatchObject({ result: { granted: false } });
    expect(errorName(await client.call("certificates.list"))).toBe("origin_not_allowed");
    client.close();
  });

  it("allowUserPairing: false → pair answers origin_not_allowed without asking the user", async () => {
    bridge = await startBridgeHarness({ allowUserPairing: false });
    const client = await connect(bridge.wsPort, { origin: NEWCOMER });
    expect(errorName(await client.call("pair"))).toBe("origin_not_allowed");
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
    client.close();
  });
});

describe("limits", () => {
  it("oversize frame → that socket closes with 1009; another socket keeps working", async () => {
    bridge = await startBridgeHarness({ limits: { maxMessageBytes: 64 * 1024 } });
    const big = await connect(bridge.wsPort);
    const other = await connect(bridge.wsPort);
    big.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "sign", params: { format: "raw", document: "A".repeat(70 * 1024) } }));
    expect((await big.closed).code).toBe(1009);
    expect("result" in (await other.call("tokens.list"))).toBe(true);
    other.close();
  });

  it("connections per origin over the limit → 503 at the upgrade; other origins unaffected", async () => {
    bridge = await startBridgeHarness({ limits: { maxConnectionsPerOrigin: 2 } });
    const a = await connect(bridge.wsPort);
    const b = await connect(bridge.wsPort);
    await expect(connect(bridge.wsPort)).rejects.toThrow("Unexpected server response: 503");
    const c = await connect(bridge.wsPort, { origin: NEWCOMER });
    expect("result" in (await c.call("hello"))).toBe(true);
    for (const client of [a, b, c]) client.close();
  });

  it("read requests per minute over the limit → rate_limited (with retryAfterMs) for that origin only", async () => {
    bridge = await startBridgeHarness({ limits: { readRequestsPerMinute: 5 } });
    const client = await connect(bridge.wsPort);
    const other = await connect(bridge.wsPort, { origin: NEWCOMER });
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await client.call("tokens.list"));
    expect(answers.map((a) => errorName(a) ?? "ok")).toEqual(["ok", "ok", "ok", "ok", "ok", "rate_limited", "rate_limited"]);
    const limited = answers[6]!;
    const retryAfterMs = "error" in limited ? limited.error.data.retryAfterMs : undefined;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    expect("result" in (await other.call("hello"))).toBe(true);
    client.close();
    other.close();
  });

  it("pending signs per origin over the limit → busy", async () => {
    bridge = await startBridgeHarness({ limits: { maxPendingSignsPerOrigin: 1 } });
    const client = await connect(bridge.wsPort);
    const hash = createHash("sha256").update("x").digest("base64");
    const first = client.call("sign", { format: "raw", hash });
    const approval = await bridge.nextApproval("sign");
    expect(errorName(await client.call("sign", { format: "raw", hash }))).toBe("busy");
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect(errorName(await first)).toBe("user_rejected");
    client.close();
  });

  it("approval not decided in time → timeout", async () => {
    bridge = await startBridgeHarness({ limits: { approvalTimeoutSeconds: 10 } });
    const client = await connect(bridge.wsPort);
    const started = Date.now();
    const answer = await client.call("sign", { format: "raw", hash: createHash("sha256").update("x").digest("base64") });
    expect(errorName(answer)).toBe("timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_500);
    client.close();
  }, 20_000);
});

import { describe, expect, it } from "vitest";
import { checkHandshake } from "../../../../main/core/bridge/handshake.js";
import { createRateLimiter } from "../../../../main/core/bridge/rate-limiter.js";
import { parseFrame } from "../../../../main/core/bridge/json-rpc.js";
import { createConnectionLimits } from "../../../../main/core/bridge/connection-limits.js";

const base = { port: 17640, developerOrigins: false, origin: "https://a.example" };

describe("checkHandshake", () => {
  it("accepts the three loopback spellings with the listener's port", () => {
    for (const host of ["127.0.0.1:17640", "localhost:17640", "[::1]:17640", "LOCALHOST:17640"]) {
      expect(checkHandshake({ ...base, host }).ok, host).toBe(true);
    }
  });
  it.each(["evil.example:17640", "127.0.0.1:17641", "127.0.0.1", "0.0.0.0:17640", "127.0.0.2:17640", "2130706433:17640", ""])(
    "refuses Host %j",
    (host) => expect(checkHandshake({ ...base, host })).toMatchObject({ ok: false, reason: "bad_host" }),
  );
  it("missing, repeated, malformed and insecure origins", () => {
    const host = "127.0.0.1:17640";
    expect(checkHandshake({ ...base, host, origin: undefined })).toMatchObject({ ok: false, reason: "missing_origin" });
    expect(checkHandshake({ ...base, host, origin: ["https://a.example", "https://b.example"] })).toMatchObject({ reason: "bad_origin" });
    expect(checkHandshake({ ...base, host, origin: "https://a.example@b.example" })).toMatchObject({ reason: "bad_origin" });
    // A real page's origin that can never use KySo: accepted, then closed with 4001 (not a bare 403).
    expect(checkHandshake({ ...base, host, origin: "http://a.example" })).toMatchObject({ reason: "insecure_origin", closeCode: 4001, origin: "http://a.example" });
    expect(checkHandshake({ ...base, host, origin: "http://localhost:3000" })).toMatchObject({ reason: "insecure_origin", closeCode: 4001 });
    expect(checkHandshake({ ...base, host, origin: "null" })).toMatchObject({ reason: "opaque_origin", closeCode: 4001, origin: "null" });
    // What no browser sends stays a cheap 403.
    expect(checkHandshake({ ...base, host, origin: "https://a.example/" })).toMatchObject({ reason: "bad_origin", status: 403 });
    expect(checkHandshake({ ...base, host: "evil.example:17640", origin: "null" })).toMatchObject({ reason: "bad_host", status: 403 });
    expect(checkHandshake({ ...base, host, origin: "http://localhost:3000", developerOrigins: true }).ok).toBe(true);
    // Developer origins never open plain http for a non-loopback site.
    expect(checkHandshake({ ...base, host, origin: "http://a.example", developerOrigins: true }).ok).toBe(false);
  });
});

describe("rate limiter, connection limits, frame parsing", () => {
  it("rate: N per minute per origin, sliding", () => {
    let now = 0;
    const rate = createRateLimiter(2, () => now);
    expect([rate.allow("a"), rate.allow("a"), rate.allow("a"), rate.allow("b")]).toEqual([true, true, false, true]);
    now = 60_001;
    expect(rate.allow("a")).toBe(true);
  });
  it("connections: total and per origin", () => {
    const limits = createConnectionLimits({ trusted: { total: 3, perOrigin: 2 }, unknown: { total: 1, perOrigin: 1 } });
    const slots = ["a", "a", "a", "b", "c"].map((o) => limits.tryAcquire(o, "trusted"));
    expect(slots.map(Boolean)).toEqual([true, true, false, true, false]);
    slots[0]!.release();
    expect(limits.tryAcquire("c", "trusted")).toBeDefined();
  });
  it("frames: JSON-RPC 2.0 requests only", () => {
    expect(parseFrame("x")).toMatchObject({ kind: "invalid", error: "parse_error" });
    expect(parseFrame("[]")).toMatchObject({ kind: "invalid", error: "invalid_request" });
    expect(parseFrame('{"jsonrpc":"2.0","id":{},"method":"hello"}')).toMatchObject({ kind: "invalid", error: "invalid_request" });
    expect(parseFrame('{"jsonrpc":"2.0","method":"hello"}')).toEqual({ kind: "notification" });
    expect(parseFrame('{"jsonrpc":"2.0","id":7,"method":"hello"}')).toEqual({ kind: "request", id: 7, method: "hello", params: undefined });
  });
});

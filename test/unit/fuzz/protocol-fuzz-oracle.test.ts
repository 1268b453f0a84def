/**
 * The protocol fuzzer's own guarantees: the same seed and case give the same bytes, and its oracle flags what
 * it is meant to flag (an `internal` error, a stack trace or a path in a message, a certificate or a token for an
 * unknown origin, a wrongly accepted upgrade) while accepting the bridge's documented answers.
 */
import { describe, expect, it } from "vitest";
import type { ConnectionPlan } from "../../fuzz/protocol-cases.js";
import { protocolCase } from "../../fuzz/protocol-cases.js";
import { checkMessages, checkStatus } from "../../fuzz/protocol-oracle.js";
import type { ReceivedMessage } from "../../fuzz/protocol-wire.js";

const plan = (originKind: ConnectionPlan["originKind"], requests: ConnectionPlan["requests"], sentText = ""): ConnectionPlan => ({
  scheme: "ws",
  originKind,
  origin: originKind === "portal" ? "https://portal.example.gov.vn" : "https://unknown-0.example",
  request: { line: "GET / HTTP/1.1", headers: [], slow: false },
  expect: "open",
  steps: [],
  ending: "close",
  sentText,
  requests,
});
const text = (value: unknown): ReceivedMessage => ({ kind: "text", data: Buffer.from(JSON.stringify(value)) });
const error = (id: unknown, name: string, code: number, message = "m"): ReceivedMessage =>
  text({ jsonrpc: "2.0", id, error: { code, message, data: { name, retriable: false } } });

describe("protocol fuzz cases", () => {
  it("are the same bytes for the same seed and case, different for another case", () => {
    const bytes = (seed: number, index: number): string =>
      JSON.stringify(protocolCase(seed, index).connections.map((c) => [c.request, c.steps.map((s) => s.bytes.toString("hex"))]));
    for (let index = 0; index < 50; index++) expect(bytes(7, index)).toBe(bytes(7, index));
    expect(bytes(7, 1)).not.toBe(bytes(7, 2));
  });
});

describe("protocol fuzz oracle", () => {
  it("accepts documented answers", () => {
    const portal = plan("portal", [{ id: 1, method: "tokens.list" }, { id: 2, method: "sign" }]);
    expect(checkMessages(portal, [text({ jsonrpc: "2.0", id: 1, result: [] }), error(2, "user_rejected", 1001), error(null, "parse_error", -32700)])).toEqual([]);
    const unknown = plan("unknown", [{ id: 1, method: "hello" }, { id: 2, method: "tokens.list" }, { id: 3, method: "pair" }]);
    const hello = { product: "KySo", version: "0.1.0", protocol: 1, formats: [], origin: { origin: "https://unknown-0.example", trust: "none" } };
    expect(checkMessages(unknown, [text({ jsonrpc: "2.0", id: 1, result: hello }), error(2, "origin_not_allowed", 1002), text({ jsonrpc: "2.0", id: 3, result: { granted: false } })])).toEqual([]);
  });

  it("flags internal, wrong codes, stack traces and paths, but not the page's own text echoed back", () => {
    const portal = plan("portal", [{ id: 1, method: "sign" }], 'unknown key "/tmp/x"');
    const kinds = (m: ReceivedMessage): string[] => checkMessages(portal, [m]).map((p) => p.detail.slice(0, p.detail.indexOf("]") + 1));
    expect(kinds(error(1, "internal", 1099))).toEqual(["[internal]"]);
    expect(kinds(error(1, "busy", 1010))).toEqual(["[catalogue]"]);
    expect(kinds(error(1, "document_invalid", 1011, "Error: x\n    at parse (/work/main/core/x.ts:1:2)"))).toContain("[stack]");
    expect(kinds(error(1, "document_invalid", 1011, "cannot open /home/user/.kyso/settings.json"))).toEqual(["[path]"]);
    expect(kinds(error(1, "invalid_params", -32602, 'Unrecognized key: "/tmp/x"'))).toEqual([]);
    expect(kinds(text({ jsonrpc: "2.0", id: 9, result: {} }))).toEqual(["[id]"]);
    expect(kinds(text({ jsonrpc: "2.0", id: 1, result: {}, error: {} }))).toEqual(["[shape]"]);
  });

  it("flags anything an unknown origin must not learn", () => {
    const unknown = plan("unknown", [{ id: 1, method: "certificates.list" }, { id: 2, method: "tokens.list" }]);
    expect(checkMessages(unknown, [text({ jsonrpc: "2.0", id: 1, result: [{ certificate: "MII" }] })])[0]?.detail).toMatch(/^\[origin-gate\]/);
    expect(checkMessages(unknown, [error(2, "token_not_present", 1003)])[0]?.detail).toMatch(/^\[origin-gate\]/);
    expect(checkMessages(unknown, [error(2, "invalid_params", -32602)])[0]?.detail).toMatch(/^\[origin-gate\]/);
    expect(checkMessages(unknown, [text({ jsonrpc: "2.0", method: "tokensChanged", params: { tokens: [] } })])[0]?.detail).toMatch(/^\[origin-gate\]/);
  });

  it("flags an upgrade accepted against the handshake rules and a portal refused", () => {
    expect(checkStatus({ ...plan("malformed", []), expect: "refused" }, 101, "Origin null")[0]?.detail).toMatch(/^\[handshake\]/);
    expect(checkStatus(plan("portal", []), 503, "")[0]?.kind).toBe("bridge-unavailable");
    expect(checkStatus({ ...plan("portal", []), expect: "either" }, 400, "")).toEqual([]);
    expect(checkStatus({ ...plan("portal", []), expect: "either" }, 500, "")[0]?.kind).toBe("untyped-error");
  });
});

/**
 * Issue 17: the `verify` params schema (the one place a page's verify request is validated), its size gate, and
 * the wire types it stands for (main/domain/wire/protocol.ts `VerifyParams`, the SDK's copy).
 */
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../../../main/core/bridge/commands/index.js";
import { enforceVerifySize, verifyParamsSchema, type VerifyParamsInput } from "../../../../main/core/bridge/verify-params.js";
import { policySchema } from "../../../../main/core/policy/policy-schema.js";
import { auditWords } from "../../../../main/core/audit/audit-words.js";
import type { Methods, VerifyParams } from "../../../../main/domain/wire/protocol.js";

// Both ways: the documented wire type and the schema's type are the same shape.
const _wireToSchema = (params: VerifyParams): VerifyParamsInput => params;
const _schemaToWire = (params: VerifyParamsInput): Methods["verify"]["params"] => params;
void _wireToSchema;
void _schemaToWire;

const DOC = Buffer.from("%PDF-1.7 …").toString("base64");

describe("verify params schema", () => {
  it("accepts a base64 document, with optional base64 detached content and a boolean online", () => {
    expect(verifyParamsSchema.parse({ document: DOC })).toEqual({ document: DOC });
    expect(verifyParamsSchema.parse({ document: DOC, detachedContent: "AAAA", online: true })).toEqual({ document: DOC, detachedContent: "AAAA", online: true });
  });

  it("refuses a missing or empty document, non-base64, bad padding, unknown keys and a non-boolean online", () => {
    for (const params of [
      undefined,
      {},
      { document: "" },
      { document: "not base64!" },
      { document: "AAA" },
      { document: "AA=A" },
      { document: DOC, detachedContent: "" },
      { document: DOC, detachedContent: "%%" },
      { document: DOC, online: "true" },
      { document: DOC, format: "pades" },
      { document: DOC, certificateId: "c1" },
    ]) {
      expect(verifyParamsSchema.safeParse(params).success, JSON.stringify(params)).toBe(false);
    }
  });

  it("the size gate counts the decoded document and detached content together, against the policy's maxDocumentBytes", () => {
    const policy = policySchema.parse({ maxDocumentBytes: 1024 });
    const bytes = (n: number): string => Buffer.alloc(n).toString("base64");
    expect(() => enforceVerifySize(policy, { document: bytes(1024) })).not.toThrow();
    expect(() => enforceVerifySize(policy, { document: bytes(1025) })).toThrow(expect.objectContaining({ code: "document_too_large" }));
    expect(() => enforceVerifySize(policy, { document: bytes(600), detachedContent: bytes(425) })).toThrow(expect.objectContaining({ code: "document_too_large" }));
    expect(() => enforceVerifySize(policySchema.parse({}), { document: bytes(4096) })).not.toThrow();
  });

  it("the command: not open to unknown origins, no approval (not a signing command), counted as pending", () => {
    const command = COMMANDS.get("verify");
    expect(command).toMatchObject({ method: "verify", openToUnknownOrigins: false, signs: false, countsAsPending: true });
  });

  it("the audit words of a verify line give its verdict", () => {
    const line = { time: "2026-01-01T00:00:00.000Z", origin: "https://a.vn", method: "verify", decision: "none", result: "ok" } as const;
    expect(auditWords({ ...line, verdict: "TOTAL-FAILED" }, "en")).toMatchObject({ action: "Verify a document", result: "Not valid", ok: true });
    expect(auditWords({ ...line, verdict: "TOTAL-PASSED" }, "vi").action).toBe("Kiểm tra chữ ký tài liệu");
    expect(auditWords({ ...line, result: "document_invalid" }, "en").ok).toBe(false);
  });
});

/** Policy `evidence` (issue 13 §4): the evidence store's caps and keep period are the organisation's to set. */
import { describe, expect, it } from "vitest";
import { DEFAULT_EVIDENCE_HARD_MAX_BYTES, DEFAULT_EVIDENCE_KEEP_DAYS, DEFAULT_EVIDENCE_MAX_BYTES, evidenceOptionsOf } from "../../../../main/core/evidence/evidence-store.js";
import { defaultPolicy, policySchema } from "../../../../main/core/policy/policy-schema.js";

describe("policy evidence limits", () => {
  it("the defaults are the store's own (256 MiB soft, 1 GiB hard, 30 days kept)", () => {
    expect(evidenceOptionsOf(defaultPolicy().evidence)).toEqual({
      maxBytes: DEFAULT_EVIDENCE_MAX_BYTES,
      hardMaxBytes: DEFAULT_EVIDENCE_HARD_MAX_BYTES,
      keepDays: DEFAULT_EVIDENCE_KEEP_DAYS,
    });
  });

  it("an organisation's values reach the store in bytes; a hard cap below the soft one is raised to it", () => {
    const policy = policySchema.parse({ evidence: { maxMegabytes: 64, hardMaxMegabytes: 16, keepDays: 365 } });
    expect(evidenceOptionsOf(policy.evidence)).toEqual({ maxBytes: 64 * 1024 * 1024, hardMaxBytes: 64 * 1024 * 1024, keepDays: 365 });
    expect(policySchema.parse({ evidence: { keepDays: 90 } }).evidence).toEqual({ maxMegabytes: 256, hardMaxMegabytes: 1024, keepDays: 90 });
  });

  it("refuses values outside the schema (no negative keep period, no unknown key)", () => {
    expect(policySchema.safeParse({ evidence: { keepDays: -1 } }).success).toBe(false);
    expect(policySchema.safeParse({ evidence: { maxBytes: 1 } }).success).toBe(false);
  });
});

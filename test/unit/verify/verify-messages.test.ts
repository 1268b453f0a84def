/** Every key the verifier's report can carry has a Vietnamese and an English text (the core returns keys only). */
import { describe, expect, it } from "vitest";
import { en } from "../../../main/domain/messages/en.js";
import { vi } from "../../../main/domain/messages/vi.js";
import { STAMP_PRESET_NAMES } from "../../../main/domain/stamp-presets.js";
import { type ClaimedPreset, INDICATIONS, UPDATE_KINDS, VERIFY_REASONS, VERIFY_WARNINGS, XML_REFERENCE_SCOPES } from "../../../main/domain/wire/verify-report.js";
import { pdfDate } from "../../../main/core/verify/verify-pdf.js";

const keys = [
  ...INDICATIONS.map((k) => `verify.indication.${k}`),
  ...VERIFY_REASONS.map((k) => `verify.reason.${k}`),
  ...VERIFY_WARNINGS.map((k) => `verify.warning.${k}`),
  ...UPDATE_KINDS.map((k) => `verify.update.${k}`),
  ...XML_REFERENCE_SCOPES.map((k) => `verify.scope.${k}`),
];

describe("verify.* messages", () => {
  it.each(keys)("%s is worded in vi and en", (key) => {
    expect((en as Record<string, string>)[key]).toBeTruthy();
    expect((vi as Record<string, string>)[key]).toBeTruthy();
  });

  it("no verify.* message is left without a key the report uses", () => {
    const used = new Set(keys);
    // The verify page's and the exported report's own words (verify.page.*, verify.report.*) frame the report.
    expect(Object.keys(en).filter((k) => k.startsWith("verify.") && !k.startsWith("verify.page.") && !k.startsWith("verify.report.") && !used.has(k))).toEqual([]);
  });
});

describe("pdfDate", () => {
  it("reads ISO 32000 dates with an offset, UTC and none", () => {
    expect(pdfDate("D:20260315093000+07'00'")?.toISOString()).toBe("2026-03-15T02:30:00.000Z");
    expect(pdfDate("D:20260315093000Z")?.toISOString()).toBe("2026-03-15T09:30:00.000Z");
    expect(pdfDate("D:2026")?.toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(pdfDate("yesterday")).toBeUndefined();
    expect(pdfDate(undefined)).toBeUndefined();
  });
});

describe("claimed presets", () => {
  it("the report's preset names are the stamp presets' names", () => {
    const claimed: Record<ClaimedPreset, true> = { leader: true, seal: true, appendix: true, copy: true, income: true };
    expect(Object.keys(claimed).sort()).toEqual([...STAMP_PRESET_NAMES].sort());
  });
});

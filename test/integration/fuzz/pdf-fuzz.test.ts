/**
 * The PDF fuzzer in the suite (issue 9): a fixed seed, 2,000 mutated PDFs through describe() and, when accepted,
 * sign(); every 100th signed output through qpdf --check and pdfsig. Zero findings: no hang over the budget, no
 * untyped error, no failure after the approval, no output the verifiers reject. `npm run fuzz -- --target pdf`
 * runs any number of cases; a finding replays with `--seed S --from N --cases 1`.
 */
import { describe, expect, it } from "vitest";
import { fuzzPdf } from "../../fuzz/pdf-fuzzer.js";

describe("PDF fuzzer", () => {
  it("2,000 cases of seed 9: no findings", { timeout: 240_000 }, async () => {
    // A hang here is a case over 10 s: the suite shares 2 cores with other test files, so the 3 s budget of the issue
    // is judged by `npm run fuzz` (which reports the slowest case), not by this test.
    const report = await fuzzPdf({ seed: 9, cases: 2000, verifyEvery: 100, hangMs: 10_000 });
    expect(report.findings).toEqual([]);
    expect(report.refused + report.signed).toBe(2000);
    // The seeds and options must keep exercising both paths, not only refusals.
    expect(report.signed).toBeGreaterThan(100);
    expect(report.verified).toBeGreaterThan(0);
  });
});

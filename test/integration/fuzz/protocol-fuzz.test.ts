/**
 * The protocol fuzzer with a fixed seed against a real core (test/fuzz/protocol-fuzzer.ts): 2,000 cases of
 * mutated JSON-RPC, random and invalid-UTF-8 text, binary, fragmented, oversize and malformed frames, broken
 * upgrades, slow clients, unknown-origin floods and abrupt closes. `npm run fuzz -- --target protocol --seed S`
 * runs any other seed; a finding replays with `--seed S --from N --cases 1`.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding, FuzzReport } from "../../fuzz/fuzz-report.js";
import { fuzzProtocol } from "../../fuzz/protocol-fuzzer.js";

const SEED = 90_2026;
const CASES = 2000;

/**
 * Findings of defects already filed in issue 9 and being fixed in main/core/bridge (listeners, connection limits):
 * 4. a slot taken before the upgrade is never returned when ws aborts the upgrade (or the page goes before the 101);
 * 5. sockets from unknown origins can take every slot, and the allowlisted portal then gets HTTP 503.
 */
const KNOWN: readonly RegExp[] = [/^(upgrade|abort): \[slot-leak\]/, /^flood: \[unknown-origins-exhaust\]/];
const known = (finding: Finding): boolean => KNOWN.some((pattern) => pattern.test(finding.detail));

let report: FuzzReport;
beforeAll(async () => {
  // A wide hang budget: a sign's first token enumeration can take seconds on a loaded CI machine, and a request
  // that is never answered is still caught.
  report = await fuzzProtocol({ seed: SEED, cases: CASES, hangMs: 10_000 });
}, 600_000);

describe(`protocol fuzzer, seed ${SEED}, ${CASES} cases`, () => {
  it("finds nothing outside the known defects 4 and 5; the portal kept signing", () => {
    expect(report.findings.filter((f) => !known(f))).toEqual([]);
    expect(report.signed).toBeGreaterThan(0);
    expect(report.verified).toBe(report.signed);
  });

  // Fails until issue 9 defects 4 (slot leak on aborted upgrades) and 5 (unknown origins exhausting the
  // connections) are fixed in main/core/bridge; then flip to `it`.
  it.fails("finds nothing at all", () => {
    expect(report.findings).toEqual([]);
  });
});

/**
 * The XML fuzzer at a fixed seed (issue 9): ~2,000 hostile variants of the fixture documents over the four XML
 * formats through the bridge's signing port, every 40th signed output through xmlsec1. Zero findings: no hang,
 * no untyped error, no failure after describe() accepted, no summary value from outside the signed node, no
 * output xmlsec1 rejects. `npm run fuzz -- --target xml --seed S --from N --cases 1` replays one case.
 */
import { expect, it } from "vitest";
import { fuzzXml } from "../../fuzz/xml-fuzzer.js";

const SEED = 20250420;
const CASES = 2000;

it(`XML fuzz, seed ${SEED}, ${CASES} cases: zero findings`, { timeout: 240_000 }, async () => {
  const report = await fuzzXml({ seed: SEED, cases: CASES, verifyEvery: 40 });
  expect(report.findings).toEqual([]);
  expect(report.cases).toBe(CASES);
  // The run did sign and verify, not only refuse.
  expect(report.signed).toBeGreaterThan(CASES / 10);
  expect(report.verified).toBeGreaterThan(5);
});

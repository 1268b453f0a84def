/** Case 1, the floor: pkcs11js in-process on the fixture keys, RSA-2048 and P-256, sign only and full cycle. */
import { copyFixtureTokens } from "../fixtures/index.js";
import { measureFloor, report, size, watchLoop, type Row } from "./bench-lib.js";

const count = size("FLOOR_N", 2000, 50);
const tokens = await copyFixtureTokens();
try {
  const rows: Row[] = [];
  for (const [name, label] of [["personRsa", "RSA-2048"], ["personEc", "P-256"]] as const) {
    const { value: floor, loopMaxMs } = await watchLoop(() => measureFloor(tokens, name, count, label));
    rows.push({ ...floor.signOnly, loopMaxMs });
    rows.push({ ...floor.fullCycle, baseline: floor.signOnly.name, ratio: floor.fullCycle.medianMs / floor.signOnly.medianMs, loopMaxMs });
  }
  report({ case: "floor", rows, targets: [], notes: ["pkcs11js 2 in this process, SoftHSM 2; one op at a time"] });
} finally {
  await tokens.cleanup();
}

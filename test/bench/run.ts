/**
 * `npm run bench`: benchmarks report ratios against a baseline measured in the same run (a plain SHA-256 pass
 * over the same bytes), never absolute times that depend on the machine. The PDF benchmarks arrive with the
 * benchmark issue; this one measures the hashing primitive every format relies on.
 */
import { createHash, randomBytes } from "node:crypto";

function hashIn(chunk: number, data: Buffer): number {
  const started = process.hrtime.bigint();
  const hash = createHash("sha256");
  for (let offset = 0; offset < data.length; offset += chunk) hash.update(data.subarray(offset, offset + chunk));
  hash.digest();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const data = randomBytes(256 << 20);
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const baseline = median([1, 2, 3].map(() => hashIn(data.length, data)));
const small = median([1, 2, 3].map(() => hashIn(64 << 10, data)));
const large = median([1, 2, 3].map(() => hashIn(1 << 20, data)));
console.log(`sha256 one-shot over 256 MiB: ${baseline.toFixed(0)} ms (baseline = 1.00)`);
console.log(`sha256 in 64 KiB chunks: ${(small / baseline).toFixed(2)}x baseline`);
console.log(`sha256 in 1 MiB chunks:  ${(large / baseline).toFixed(2)}x baseline`);

/**
 * Case 6, batch: 500 PDFs of 100 KB in one `signBatch` through the wire (one approval, one login), documents per
 * second against the floor's sign-only rate on the same key, measured in this process just before.
 */
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { copyFixtureTokens } from "../fixtures/index.js";
import { makeLargePdf } from "../integration/signing/pdf-samples.js";
import type { SignBatchResult } from "../../sdk/src/protocol.js";
import { startBenchBridge } from "./bridge-load.js";
import { measureFloor, report, row, size, target, watchLoop } from "./bench-lib.js";

const items = size("BATCH_N", 500, 10);
const kib = size("BATCH_KB", 100, 100);

const tokens = await copyFixtureTokens();
const floor = await measureFloor(tokens, "personRsa", size("FLOOR_N", 1000, 30), "RSA-2048");
const pdfPath = join(tokens.dir, "batch.pdf");
await makeLargePdf(pdfPath, kib / 1024);
const pdf = (await readFile(pdfPath)).toString("base64");
await rm(pdfPath);
await tokens.cleanup();

const bench = await startBenchBridge();
try {
  const [client] = await bench.connectClients(1, "ws");
  const batch = (n: number) => ({ certificateId: bench.person.id, items: Array.from({ length: n }, () => ({ format: "pades", document: pdf })) });
  await client!.call("signBatch", batch(2)); // warm-up
  const { value, loopMaxMs } = await watchLoop(async () => {
    const started = performance.now();
    const answer = await client!.call("signBatch", batch(items));
    const wallMs = performance.now() - started;
    if (!("result" in answer)) throw new Error(`signBatch failed: ${JSON.stringify(answer).slice(0, 500)}`);
    const ok = (answer.result as SignBatchResult).results.filter((r) => r.ok).length;
    if (ok !== items) throw new Error(`${items - ok} items failed`);
    return wallMs;
  });
  client!.close();
  const perDocument = Array.from({ length: items }, () => value / items);
  const r = row(`signBatch of ${items} PDFs of ${kib} KB, ws (per document: wall / n)`, perDocument, value, {
    baseline: floor.signOnly.name,
    ratio: value / items / floor.signOnly.medianMs,
    loopMaxMs,
  });
  report({
    case: "batch",
    rows: [floor.signOnly, r],
    targets: [
      target("batch documents/s / floor sign-only rate", (r.throughput / floor.signOnly.throughput) * 100, ">=", 85, "%"),
      target("event loop blocked, batch (documents in the workers)", loopMaxMs, "<=", 50, "ms"),
    ],
    notes: ["one request of ~" + Math.round((items * pdf.length) / 2 ** 20) + " MiB of base64; one approval and one login for the batch"],
  });
} finally {
  await bench.close();
}

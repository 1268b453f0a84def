/**
 * A measurement (not a test) of what a large document costs the core's event loop on its way to and from a
 * document worker (docs/performance.md §4c). One signing per process, so the peak RSS is this signing's:
 * `npx tsx test/bench/worker-transfer.ts [worker|inline] [megabytes=100] [runs=1]` prints one JSON line per run
 * {mode, mb, ms, loopMaxMs, maxRssMiB}. `worker` is the product path (workerSigningPort: bridge, Sign files, CLI),
 * `inline` the same signing in this thread (signingPort), the floor for the time. The PDF is generated once into
 * the temp folder (makeLargePdf) and read before the timing starts (the bridge receives the bytes, Sign files
 * reads them: not the crossing measured here); the signer is a SoftHSM fixture key.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { signingPort, workerSigningPort } from "../../main/core/signing/index.js";
import { openFixtureSigners } from "../helpers/fixture-signer.js";
import { makeLargePdf, makeSamplePdf } from "../integration/signing/pdf-samples.js";
import { peakRssMiB } from "./bench-lib.js";

const mode = process.argv[2] ?? "worker";
const mb = Number(process.argv[3] ?? 100);
const runs = Number(process.argv[4] ?? 1);
if (mode !== "worker" && mode !== "inline") throw new Error("usage: worker-transfer.ts [worker|inline] [megabytes] [runs]");

const path = join(tmpdir(), `kyso-worker-transfer-${mb}mb.pdf`);
if (!existsSync(path)) await makeLargePdf(path, mb);
const signers = await openFixtureSigners();
const signer = await signers.signer("personRsa");
const port = mode === "worker" ? workerSigningPort() : signingPort();
// The worker's start and its first module loads are the app's start-up, not this document's: a small PDF first.
await port.sign({ format: "pades", document: await makeSamplePdf(1), hashAlgorithm: "SHA-256", options: {} }, signer, { signingTime: new Date() });

for (let run = 0; run < runs; run++) {
  const document = await readFile(path);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // The histogram's first tick only starts its clock: a stall before it would go unseen. Primed, then timed.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  const output = await port.sign({ format: "pades", document, hashAlgorithm: "SHA-256", options: {} }, signer, { signingTime: new Date() });
  const ms = performance.now() - started;
  loop.disable();
  if ((output.document?.length ?? 0) <= document.length) throw new Error("no signed document came back");
  console.log(JSON.stringify({ mode, mb, ms: Math.round(ms), loopMaxMs: Math.round(loop.max / 1e6), maxRssMiB: Math.round(peakRssMiB()) }));
}
if ("close" in port) await port.close();
await signers.close();

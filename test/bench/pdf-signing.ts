/**
 * One PAdES measurement per process, so `maxRSS` is the measurement's own peak:
 * `tsx test/bench/pdf-signing.ts <which> <pdf>` prints one JSON line {ms, maxRssMiB, loopMaxMs}. `which`:
 * `sha256` (the baseline: a 1 MiB-chunk SHA-256 pass over the file), `file` / `file-visible` (signPdfFile, the
 * flat-memory library path), `memory` / `memory-visible` (the product's path: the whole document through the core's
 * bounded document workers, `workerSigningPort`, as the bridge and the Sign files page do). The signer is a real
 * SoftHSM key from a fixture copy; opening it, and starting the worker, are outside the timing.
 */
import { createHash } from "node:crypto";
import { open, readFile, rm } from "node:fs/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { signPdfFile, workerSigningPort } from "../../main/core/signing/index.js";
import { openFixtureSigners } from "../helpers/fixture-signer.js";
import { makeSamplePdf } from "../integration/signing/pdf-samples.js";
import { peakRssMiB } from "./bench-lib.js";

async function sha256Pass(path: string): Promise<void> {
  const file = await open(path, "r");
  const hash = createHash("sha256");
  const chunk = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    hash.update(chunk.subarray(0, bytesRead));
  }
  await file.close();
  hash.digest();
}

const VISIBLE = { visible: { page: "last" as const, position: "bottom-right" as const } };
const [which, pdf] = process.argv.slice(2);
if (!which || !pdf) throw new Error("usage: pdf-signing.ts <sha256|file|file-visible|memory|memory-visible> <pdf>");
const signers = which === "sha256" ? undefined : await openFixtureSigners();
const signer = await signers?.signer("personRsa");
const port = which.startsWith("memory") ? workerSigningPort() : undefined;
// The worker's start and first module loads are the app's start-up, not this document's: a small PDF first.
if (port) await port.sign({ format: "pades", document: await makeSamplePdf(1), hashAlgorithm: "SHA-256", options: {} }, signer!, { signingTime: new Date() });
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const started = performance.now();
if (which === "sha256") await sha256Pass(pdf);
else if (which === "file") await signPdfFile(pdf, `${pdf}.signed.pdf`, signer!);
else if (which === "file-visible") await signPdfFile(pdf, `${pdf}.signed.pdf`, signer!, { options: VISIBLE });
else if (which === "memory") await port!.sign({ format: "pades", document: await readFile(pdf), hashAlgorithm: "SHA-256", options: {} }, signer!, { signingTime: new Date() });
else if (which === "memory-visible") await port!.sign({ format: "pades", document: await readFile(pdf), hashAlgorithm: "SHA-256", options: VISIBLE }, signer!, { signingTime: new Date() });
else throw new Error(`unknown ${which}`);
const ms = performance.now() - started;
loop.disable();
await port?.close();
await signers?.close();
await rm(`${pdf}.signed.pdf`, { force: true });
console.log(JSON.stringify({ ms, maxRssMiB: peakRssMiB(), loopMaxMs: loop.max / 1e6 }));

/**
 * One benchmark case per process, so `maxRSS` is the case's own peak: `tsx test/bench/pdf-signing.ts <case> <pdf>`
 * prints one JSON line {ms, maxRssMiB}. Cases: `sha256` (the baseline: a 1 MiB-chunk SHA-256 pass over the
 * file), `file` (signPdfFile, the flat-memory path), `memory` (sign() on the whole document, the bridge's path).
 * The signer is a real SoftHSM key from a fixture copy; opening it is outside the timing.
 */
import { createHash } from "node:crypto";
import { open, readFile, rm } from "node:fs/promises";
import { sign, signPdfFile } from "../../main/core/signing/index.js";
import { openFixtureSigners } from "../helpers/fixture-signer.js";

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

const [which, pdf] = process.argv.slice(2);
if (!which || !pdf) throw new Error("usage: pdf-signing.ts <sha256|file|memory> <pdf>");
const signers = which === "sha256" ? undefined : await openFixtureSigners();
const signer = await signers?.signer("personRsa");
const started = performance.now();
if (which === "sha256") await sha256Pass(pdf);
else if (which === "file") await signPdfFile(pdf, `${pdf}.signed.pdf`, signer!);
else await sign({ format: "pades", document: await readFile(pdf) }, signer!);
const ms = performance.now() - started;
await signers?.close();
await rm(`${pdf}.signed.pdf`, { force: true });
console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));

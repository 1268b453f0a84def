/**
 * The bounded document workers (main/core/signing/worker/document-workers.ts): a page's document is read in a worker
 * thread under a CPU budget and a heap cap, and the core's event loop keeps answering while a worker chews.
 */
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentWorkers, type DocumentWorkers } from "../../../main/core/signing/worker/document-workers.js";
import { signingPort, workerSigningPort } from "../../../main/core/signing/signing-port.js";
import type { SigningRequestInput } from "../../../main/core/signing/request.js";
import { isKysoError } from "../../../main/domain/errors/kyso-error.js";
import { openFixtureSigners, type FixtureSigners } from "../../helpers/fixture-signer.js";
import { makeLargePdf, makeSamplePdf } from "./pdf-samples.js";

const misbehaving = fileURLToPath(new URL("../../helpers/misbehaving-document-worker.ts", import.meta.url));

/**
 * The 605-byte class of defect 1: an AcroForm field that lists itself among its own /Kids (and a 2-cycle through a
 * second field), each with a /T. A naive field walk takes exponential time.
 */
export function selfListingFieldPdf(): Uint8Array {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 4 0 R 4 0 R 4 0 R] >> >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    "<< /T (a) /Kids [4 0 R 5 0 R 4 0 R 5 0 R 4 0 R 5 0 R] >>",
    "<< /T (b) /Parent 4 0 R /Kids [5 0 R 4 0 R 5 0 R 4 0 R 5 0 R 4 0 R] /FT /Sig >>",
  ];
  let body = "%PDF-1.7\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/**
 * CPU time of this (the core's) thread, from /proc: what the event loop spent, whatever else loads the machine. A
 * wall-clock delay histogram would also count the scheduler's choices on a busy 2-core runner; `npm run bench`
 * reports `monitorEventLoopDelay` beside it.
 */
function coreThreadCpuMs(): number {
  if (process.platform !== "linux") return 0;
  const stat = readFileSync("/proc/thread-self/stat", "latin1");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const request = (behaviour: string): SigningRequestInput => ({ format: "raw", document: new Uint8Array(8), options: { behaviour } }) as never;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "resolved";
  } catch (error) {
    return isKysoError(error) ? error.code : `untyped: ${String(error)}`;
  }
}

describe("document workers: bounds", () => {
  let workers: DocumentWorkers;
  beforeAll(() => {
    workers = createDocumentWorkers({ entry: misbehaving, budgetMs: () => 300, heapMb: 48, maxWorkers: 2 });
  });
  afterAll(() => workers.close());

  it("a worker over its CPU budget is terminated: document_too_complex, and the core's thread does none of the work", async () => {
    const before = coreThreadCpuMs();
    const started = performance.now();
    expect(await codeOf(workers.prepare(request("spin"), [], false))).toBe("document_too_complex");
    // The worker burnt at least its 300 ms budget; this thread only watched (timers, the runner's heartbeat).
    expect(coreThreadCpuMs() - before).toBeLessThan(Math.max(50, 0.05 * (performance.now() - started)));
    expect(workers.stats().killed).toBe(1);
  });

  it("a worker over its heap cap dies alone: document_too_complex", async () => {
    expect(await codeOf(workers.prepare(request("allocate"), [], false))).toBe("document_too_complex");
  });

  it("a worker that crashes fails its task typed (document_invalid), and the next task gets a fresh worker", async () => {
    expect(await codeOf(workers.prepare(request("crash"), [], false))).toBe("document_invalid");
    expect(await codeOf(workers.prepare(request("answer"), [], false))).toBe("resolved");
  });

  it("tasks beyond the worker count queue and all finish; a hanging one does not hold the others", async () => {
    const results = await Promise.all([
      codeOf(workers.prepare(request("spin"), [], false)),
      ...Array.from({ length: 6 }, () => codeOf(workers.prepare(request("answer"), [], false))),
    ]);
    expect(results).toEqual(["document_too_complex", ...Array<string>(6).fill("resolved")]);
  });
});

describe("document workers: the real formats", () => {
  const port = workerSigningPort({ workers: { maxWorkers: 2 } });
  let signers: FixtureSigners;
  beforeAll(async () => {
    signers = await openFixtureSigners();
  });
  afterAll(async () => {
    await port.close();
    await signers?.close();
  });

  it("the worker describes a PDF exactly as the formats do in place", async () => {
    const pdf = await makeSamplePdf(2);
    const item = { format: "pades" as const, document: pdf, hashAlgorithm: "SHA-256" as const, options: {} };
    const prepared = await port.prepare(item, []);
    expect(prepared.description).toEqual(await signingPort().describe(item));
    expect(prepared.description).toMatchObject({ kind: "pdf", pageCount: 2 });
  });

  it("a self-listing AcroForm field (defect 1) is refused typed, and the core's thread does none of the reading", async () => {
    const before = coreThreadCpuMs();
    const started = performance.now();
    const item = { format: "pades" as const, document: selfListingFieldPdf(), hashAlgorithm: "SHA-256" as const, options: {} };
    const outcome = await codeOf(port.prepare(item, []));
    expect(["resolved", "document_invalid", "document_too_complex"]).toContain(outcome);
    // While a worker chews for seconds, this thread only runs its timers and the test runner's heartbeat.
    expect(coreThreadCpuMs() - before).toBeLessThan(Math.max(50, 0.05 * (performance.now() - started)));
  });

  it("signs in the worker with the token's key through the core: the signer is asked for the digest only", async () => {
    const signer = await signers.signer("personRsa");
    const asked: number[] = [];
    const counting = { ...signer, signDigest: (r: Parameters<typeof signer.signDigest>[0]) => (asked.push(r.digest.length), signer.signDigest(r)) };
    const pdf = await makeSamplePdf(1);
    const output = await port.sign({ format: "pades", document: pdf, hashAlgorithm: "SHA-256", options: {} }, counting, { signingTime: new Date() });
    expect(asked).toEqual([32]);
    expect(Buffer.from(output.document!.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);
    expect(output.document!.length).toBeGreaterThan(pdf.length);
  });

  it("a large PDF crosses both ways without a copy on the core: the caller's bytes stay whole, the signed document arrives as its own buffer (issue 10, §4c)", async () => {
    const signer = await signers.signer("personRsa");
    const dir = await mkdtemp(join(tmpdir(), "kyso-transfer-"));
    try {
      await makeLargePdf(join(dir, "big.pdf"), 2);
      // A view at an offset into a larger buffer, as a pooled or sliced Buffer is: never transferred away.
      const file = await readFile(join(dir, "big.pdf"));
      const backing = new Uint8Array(file.length + 4096);
      backing.set(file, 100);
      const pdf = backing.subarray(100, 100 + file.length);
      const output = await port.sign({ format: "pades", document: pdf, hashAlgorithm: "SHA-256", options: {} }, signer, { signingTime: new Date() });
      expect(pdf.byteLength).toBe(file.length);
      expect(Buffer.compare(pdf, file)).toBe(0);
      const signed = output.document!;
      expect(signed.byteOffset).toBe(0);
      expect(signed.buffer.byteLength).toBe(signed.byteLength);
      expect(Buffer.compare(signed.subarray(0, file.length), file)).toBe(0);
      // The same caller bytes serve a later call (the approval preview, a verification).
      expect((await port.prepare({ format: "pades", document: pdf, hashAlgorithm: "SHA-256", options: {} }, [])).description).toMatchObject({ kind: "pdf" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a token error inside signing reaches the core typed (the worker never sees the token)", async () => {
    const signer = await signers.signer("personRsa");
    const failing = { ...signer, signDigest: async () => Promise.reject(Object.assign(new Error("x"), { code: "token_removed" })) };
    const code = await codeOf(port.sign({ format: "xmldsig", document: new TextEncoder().encode("<a Id='x'>b</a>"), hashAlgorithm: "SHA-256", options: {} }, failing as never, { signingTime: new Date() }));
    expect(code).toBe("token_removed");
  });
});

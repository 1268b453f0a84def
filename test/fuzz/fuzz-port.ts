/**
 * The signing port a document fuzzer drives: the formats in this thread (default: a hang shows as a slow case and
 * a stack points at the loop), or the bounded document workers the core uses (`--workers`: the CPU budget turns a
 * hang into `document_too_complex`, and `npm run fuzz` reports how long the core's own event loop was ever blocked).
 */
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { DocumentDescription } from "../../main/domain/document-description.js";
import type { Signer } from "../../main/domain/signer.js";
import { signingPort, workerSigningPort, type SigningPortItem } from "../../main/core/signing/signing-port.js";

export interface FuzzPort {
  /** Resolves once the port is warm (workers started and their code loaded): case timing starts after it. */
  ready(): Promise<void>;
  describe(item: SigningPortItem): Promise<DocumentDescription>;
  sign(item: SigningPortItem, signer: Signer, context: { readonly signingTime: Date }): Promise<{ signature?: Uint8Array; document?: Uint8Array }>;
  close(): Promise<void>;
  /**
   * With workers: the longest this thread's event loop was blocked while it awaited a worker (ms). Sampled only
   * during those waits, so the fuzzer's own mutation and verification work is not counted.
   */
  loopMaxMs(): number | undefined;
  /**
   * With workers: the most CPU this thread spent during any one wait for a worker (ms, Linux, 10 ms ticks). An upper
   * bound on the longest stall the document caused, whatever else loads the machine (the delay histogram above
   * also counts the scheduler's choices on a busy 2-core runner).
   */
  coreCpuMaxMs(): number | undefined;
}

function threadCpuMs(): number | undefined {
  if (process.platform !== "linux") return undefined;
  const stat = readFileSync("/proc/thread-self/stat", "latin1");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function fuzzPort(workers: boolean | undefined): FuzzPort {
  if (!workers) {
    const port = signingPort();
    return {
      ready: async () => undefined,
      describe: (item) => port.describe(item),
      sign: (item, signer, context) => port.sign(item, signer, context),
      close: async () => undefined,
      loopMaxMs: () => undefined,
      coreCpuMaxMs: () => undefined,
    };
  }
  const port = workerSigningPort();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  let coreCpuMax: number | undefined;
  const watched = async <T>(work: () => Promise<T>): Promise<T> => {
    const before = threadCpuMs();
    loop.enable();
    try {
      return await work();
    } finally {
      loop.disable();
      const after = threadCpuMs();
      if (before !== undefined && after !== undefined) coreCpuMax = Math.max(coreCpuMax ?? 0, after - before);
    }
  };
  // The first task starts a worker (module loading): not a document's time.
  const warm = Promise.all([
    port.prepare({ format: "raw", document: new Uint8Array(1), hashAlgorithm: "SHA-256", options: {} }, []),
    port.prepare({ format: "xmldsig", document: new TextEncoder().encode('<a Id="w">warm</a>'), hashAlgorithm: "SHA-256", options: {} }, []),
  ]);
  return {
    ready: async () => void (await warm),
    // No candidates: the description and the format's own pre-checks, as describe() in place.
    describe: async (item) => {
      await warm;
      return watched(async () => (await port.prepare(item, [])).description);
    },
    sign: async (item, signer, context) => {
      await warm;
      return watched(() => port.sign(item, signer, context));
    },
    close: () => port.close(),
    loopMaxMs: () => loop.max / 1e6,
    coreCpuMaxMs: () => coreCpuMax,
  };
}

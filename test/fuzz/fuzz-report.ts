/**
 * What every fuzzer returns, so `npm run fuzz` and the CI tests judge them the same way. A case is one input;
 * each finding keeps its case number so `--seed S --from N --cases 1` replays it.
 */
export type FindingKind =
  /** describe() or a protocol call took longer than the hang budget (or the worker had to be killed). */
  | "hang"
  /** A thrown value that is not a KysoError from the catalogue (would reach a page as `internal`). */
  | "untyped-error"
  /** describe() accepted the input, then sign() failed for a reason that is not the token's or the TSA's. */
  | "failed-after-approval"
  /** KySo produced an output that an independent verifier (qpdf, pdfsig, xmlsec1) rejects. */
  | "verifier-rejected"
  /** The approval showed a value that is not in the bytes the signature covers. */
  | "summary-outside-signed-node"
  /** The bridge stopped answering an allowed origin, leaked a slot, or crashed. */
  | "bridge-unavailable";

export interface Finding {
  readonly kind: FindingKind;
  readonly seed: number;
  readonly caseIndex: number;
  readonly detail: string;
}

export interface FuzzOptions {
  readonly seed: number;
  /** Number of cases to run. */
  readonly cases: number;
  /** First case index (to replay one case of a seed). */
  readonly from?: number;
  /** A case slower than this is a hang (default 3000 ms). */
  readonly hangMs?: number;
  /** Read and sign through the core's bounded document workers instead of in this thread (test/fuzz/fuzz-port.ts). */
  readonly workers?: boolean;
  /** Verify every Nth produced output with the independent verifiers (0 = never). */
  readonly verifyEvery?: number;
  readonly log?: (line: string) => void;
}

export interface FuzzReport {
  readonly target: string;
  readonly seed: number;
  readonly cases: number;
  /** Cases describe() refused with a typed error (expected for hostile input). */
  readonly refused: number;
  /** Cases that were described and signed. */
  readonly signed: number;
  readonly verified: number;
  readonly slowestMs: number;
  /** With `workers`: the longest the core's event loop was blocked while a worker read or signed (ms). */
  readonly loopMaxMs?: number;
  /** With `workers`: the most CPU the core's thread spent during any one wait for a worker (ms; see fuzz-port.ts). */
  readonly coreCpuMaxMs?: number;
  readonly findings: readonly Finding[];
}

/**
 * The messages between the core and a document worker (worker_threads, same process, structured clone). Both
 * sides are KySo's own code, so these are plain types; what the page sent is validated inside the worker by
 * `parseSigningRequest`, as everywhere else.
 */
import type { DigestSigningRequest, KeyAlgorithm } from "../../../domain/signer.js";
import type { ErrorPayload } from "../../../domain/errors/kyso-error.js";
import type { LongTermData } from "../long-term/validation-data.js";
import type { CandidateKey, LongTermOutcome, PreparedItem } from "../prepare.js";
import type { SigningRequestInput } from "../request.js";
import type { SignOutput } from "../types.js";
import type { RevocationResult } from "../../certificates/revocation/index.js";
import type { VerificationReport } from "../../../domain/wire/verify-report.js";
import type { VerifyOptions } from "../../verify/verify-options.js";

/** verifyDocument's options as they cross to the worker: `online` asks the core (which holds the RevocationService). */
export type VerifyWorkerOptions = Omit<VerifyOptions, "online" | "now"> & { readonly now?: number; readonly online: boolean };

/** One item of a `sign-batch`: its output, or the typed error it failed with (the others carry on). */
export type BatchItemOutcome = { readonly ok: true; readonly value: SignOutput } | { readonly ok: false; readonly error: ErrorPayload };

export type ToWorker =
  | { readonly type: "prepare"; readonly task: number; readonly input: SigningRequestInput; readonly candidates: readonly CandidateKey[]; readonly timestampAuthority: boolean; readonly longTerm?: Readonly<Record<string, LongTermOutcome>> }
  | {
      readonly type: "sign";
      readonly task: number;
      readonly input: SigningRequestInput;
      readonly signer: { readonly certificate: Uint8Array; readonly chain: readonly Uint8Array[]; readonly keyAlgorithm: KeyAlgorithm };
      readonly signingTime: number;
      readonly timestampAuthority?: { readonly url: string; readonly timeoutMs?: number };
      readonly longTerm?: LongTermData;
    }
  /** A batch under one confirmation (batch-together.ts): every item in this one task, one `sign-digests` for all. */
  | {
      readonly type: "sign-batch";
      readonly task: number;
      readonly inputs: readonly SigningRequestInput[];
      readonly signer: { readonly certificate: Uint8Array; readonly chain: readonly Uint8Array[]; readonly keyAlgorithm: KeyAlgorithm };
      readonly signingTime: number;
      readonly timestampAuthority?: { readonly url: string; readonly timeoutMs?: number };
      readonly longTerm: readonly (LongTermData | undefined)[];
    }
  | { readonly type: "signed-digests"; readonly task: number; readonly call: number; readonly values?: readonly { readonly value: Uint8Array; readonly raw: Uint8Array }[]; readonly error?: ErrorPayload }
  | { readonly type: "signed-digest"; readonly task: number; readonly call: number; readonly value?: { readonly value: Uint8Array; readonly raw: Uint8Array }; readonly error?: ErrorPayload }
  /** Validate every signature of a received PDF, XML or CMS (issue 17): no key, no token; the report comes back. */
  | { readonly type: "verify"; readonly task: number; readonly document: Uint8Array; readonly options: VerifyWorkerOptions }
  | { readonly type: "revocation-answer"; readonly task: number; readonly call: number; readonly value?: RevocationResult; readonly error?: ErrorPayload };

export type FromWorker =
  | { readonly type: "ready" }
  /** Where the worker thread's CPU time can be read (Linux `/proc/<pid>/task/<tid>/stat`), sent before `ready`. */
  | { readonly type: "thread"; readonly statPath: string }
  | { readonly type: "prepared"; readonly task: number; readonly value: PreparedItem }
  | { readonly type: "signed"; readonly task: number; readonly value: SignOutput }
  | { readonly type: "verified"; readonly task: number; readonly value: VerificationReport }
  | { readonly type: "signed-batch"; readonly task: number; readonly value: readonly BatchItemOutcome[] }
  /** The whole batch's digests at once: the core asks the signer once (one phone confirmation). */
  | { readonly type: "sign-digests"; readonly task: number; readonly call: number; readonly requests: readonly DigestSigningRequest[] }
  /** The worker asks the core's RevocationService (online look-up, `online: true` only); the CPU budget pauses. */
  | { readonly type: "revocation-check"; readonly task: number; readonly call: number; readonly certificate: Uint8Array; readonly issuer?: Uint8Array }
  | { readonly type: "failed"; readonly task: number; readonly error: ErrorPayload }
  /** The worker waits for the token: the core signs the digest and the CPU budget does not run meanwhile. */
  | { readonly type: "sign-digest"; readonly task: number; readonly call: number; readonly request: DigestSigningRequest }
  /** The worker waits for the network (the TSA): the CPU budget pauses until `resume`. */
  | { readonly type: "pause"; readonly task: number }
  | { readonly type: "resume"; readonly task: number };

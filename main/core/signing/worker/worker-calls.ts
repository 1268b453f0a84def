/**
 * The calls a document worker makes to the core while it works on a task: a signature over a digest (or all of a
 * batch's digests at once) and a revocation lookup. The worker holds no key and no network access; the core answers
 * with the task's signer or revocation service, and a failure travels back as a transferable error payload.
 */
import { toKysoError, transferable, KysoError, type ErrorPayload } from "../../../domain/errors/kyso-error.js";
import { isBatchSigner, type SignatureValue, type Signer } from "../../../domain/signer.js";
import type { RevocationLookupService } from "../../verify/revocation-evidence.js";
import type { FromWorker, ToWorker } from "./messages.js";

type WorkerCall = Extract<FromWorker, { type: "sign-digest" | "sign-digests" | "revocation-check" }>;
type CallAnswer = Extract<ToWorker, { type: "signed-digest" | "signed-digests" | "revocation-answer" }>;
type Reply<T extends CallAnswer["type"]> = Omit<Extract<ToWorker, { type: T }>, "type" | "task" | "call">;

/** What a task lends its worker: the signer of a signing task, the revocation service of an online verification. */
interface CallProviders {
  readonly signer?: Signer;
  readonly revocation?: RevocationLookupService;
}

/** Answers one call through `post` (at once when the task has nothing to answer it with). */
export function answerWorkerCall(call: WorkerCall, providers: CallProviders, post: (answer: CallAnswer) => void): void {
  switch (call.type) {
    case "sign-digest": {
      const answer = (reply: Reply<"signed-digest">): void => post({ type: "signed-digest", task: call.task, call: call.call, ...reply });
      const signer = providers.signer;
      if (!signer) return answer({ error: new KysoError("internal", "no signer for this task").toPayload() });
      signer.signDigest(call.request).then(
        (value) => answer({ value: { value: value.value, raw: value.raw } }),
        (error: unknown) => answer({ error: errorPayload(error) }),
      );
      return;
    }
    case "sign-digests": {
      const answer = (reply: Reply<"signed-digests">): void => post({ type: "signed-digests", task: call.task, call: call.call, ...reply });
      const signer = providers.signer;
      if (!signer) return answer({ error: new KysoError("internal", "no signer for this task").toPayload() });
      // One call for the whole batch when the signer can (a remote account: one phone confirmation).
      const values: Promise<SignatureValue[]> = isBatchSigner(signer)
        ? signer.signDigests(call.requests)
        : call.requests.reduce<Promise<SignatureValue[]>>(async (done, request) => [...(await done), await signer.signDigest(request)], Promise.resolve([]));
      values.then(
        (list) => answer({ values: list.map((v) => ({ value: v.value, raw: v.raw })) }),
        (error: unknown) => answer({ error: errorPayload(error) }),
      );
      return;
    }
    case "revocation-check": {
      const answer = (reply: Reply<"revocation-answer">): void => post({ type: "revocation-answer", task: call.task, call: call.call, ...reply });
      if (!providers.revocation) return answer({ error: new KysoError("internal", "no revocation service for this task").toPayload() });
      providers.revocation.check(call.certificate, call.issuer).then(
        (value) => answer({ value }),
        (error: unknown) => answer({ error: errorPayload(error) }),
      );
      return;
    }
  }
}

function errorPayload(error: unknown): ErrorPayload {
  return transferable(toKysoError(error));
}

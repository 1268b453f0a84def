/**
 * The part of `sign` and `signBatch` after the origin gate: read every item, find the candidate certificates,
 * wait for the user's approval (the only way to reach the token), open the token with the user's choice and
 * sign each item. The controller has already checked origin, rate and pending limits.
 */
import { createHash, randomUUID } from "node:crypto";
import type { CandidateView, ItemResultView, SignatureView } from "../app-api/approval-view.js";
import type { AuditEntryView } from "../app-api/views.js";
import { parseHashAlgorithm } from "../../domain/hash-algorithm.js";
import type { SignaturePlan } from "../../domain/signature-plan.js";
import { certificateDisplayName } from "../../domain/display-name.js";
import { KysoError, fromPayload, toKysoError } from "../../domain/errors/kyso-error.js";
import type { BatchItemResult, Display } from "../../domain/wire/protocol.js";
import type { CommandContext } from "./command.js";
import { documentNameClaim } from "../audit/audit-log.js";
import { errorFromThrown } from "./json-rpc.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import { collectRevocationData, knownAnswers, type RevocationData } from "../certificates/revocation/revocation-data.js";
import type { ChainCheckResult } from "../certificates/trust/chain-check.js";
import { approvalAnswers, validationChain } from "./chain-gate.js";
import { revocationVerdict } from "../certificates/revocation/verdict.js";
import type { RevocationResult } from "../certificates/revocation/types.js";
import { candidateFields, checkCandidates, listedCertificates, refuseUnless, watchTokens, type CheckedCandidates } from "./candidate-checks.js";
import { choiceKey, isUsable, unusableReason } from "./candidates.js";
import type { SignItemParams } from "./sign-params.js";
import { MEDIA_TYPES, type SignItem, type SignOutput } from "./signing-port.js";
import { isRemoteTokenId } from "../remote/remote-source.js";
import type { PhoneWaitView } from "../app-api/approval-view.js";
import type { SignerConfirmation } from "../tokens/token-service.js";
import { isBatchSigner } from "../../domain/signer.js";
import { isPlaceable, placeByUser, refuseClaimedPlacement } from "./user-placement.js";

/** Batch items signed ahead of the one being reported: as many as there are document workers (MAX_WORKERS). */
const SIGN_AHEAD = 3;

export interface SignSessionInput {
  readonly items: readonly SignItemParams[];
  readonly certificateId?: string;
  readonly display?: Display;
  readonly batch: boolean;
  readonly onItem?: (index: number, result: BatchItemResult, done: number) => void;
  /**
   * One audit line per item, durable when the promise resolves. Write-ahead: a signature reaches the page (the
   * item's `onItem`, the final result) only after its line is on disk; if the line cannot be written the
   * signature is withheld.
   */
  readonly audit: (entry: Partial<AuditEntryView>) => Promise<void> | void;
  /** The approval is open (its id): the CLI channel's policy-allowed unattended run decides it (cli-channel/cli-sign.ts). */
  readonly onApprovalOpened?: (approvalId: string) => void;
}

function decodeItem(params: SignItemParams): SignItem {
  const item: SignItem = {
    format: params.format,
    ...(params.document !== undefined ? { document: Buffer.from(params.document, "base64") } : {}),
    ...(params.hash !== undefined ? { hash: Buffer.from(params.hash, "base64") } : {}),
    hashAlgorithm: params.hashAlgorithm === undefined ? "SHA-256" : parseHashAlgorithm(params.hashAlgorithm),
    options: params.options ?? {},
  };
  refuseClaimedPlacement(item);
  return item;
}

function digestHex(item: SignItem): string {
  if (item.hash) return Buffer.from(item.hash).toString("hex");
  return createHash("sha256").update(item.document ?? new Uint8Array()).digest("hex");
}

/**
 * Keeps the evidence of the checks behind this signature (the chain, the OCSP responses or CRLs of the signer and
 * of each intermediate CA, with the certificate each answers, and the result) before the token is opened: a
 * signature is never made without its evidence on disk (Circular 15/2025). Built from the approval's own answers
 * (nothing fetched again) by the same `collectRevocationData` the long-term levels use. Returns the revocation data
 * and the evidence ids for the audit line.
 */
async function keepEvidence(
  context: CommandContext,
  chosen: CertificateInfo,
  results: ReadonlyMap<string, RevocationResult>,
  chains: ReadonlyMap<string, ChainCheckResult>,
): Promise<{ readonly data: RevocationData; readonly ids: readonly string[] }> {
  const { evidence, policy } = context.services;
  const result = results.get(chosen.id);
  const certificate = new Uint8Array(Buffer.from(chosen.certificate, "base64"));
  const chainResult = chains.get(chosen.id);
  const chain = validationChain(
    chosen.chain.map((item) => new Uint8Array(Buffer.from(item, "base64"))),
    chainResult,
  );
  const data = await collectRevocationData([certificate, ...chain], knownAnswers(approvalAnswers(certificate, result, chainResult)));
  if (!evidence) return { data, ids: [] };
  try {
    const id = await evidence.record({
      data,
      valid: chosen.valid,
      problems: chosen.problems,
      revocationCheck: policy.revocationCheck,
      ...(result ? { verdict: revocationVerdict(result, policy.revocationCheck) } : {}),
    });
    return { data, ids: [id] };
  } catch (thrown) {
    throw new KysoError("internal", "evidence not writable: signature withheld", undefined, { cause: thrown });
  }
}

/** The plan as the approval shows it: the policy's TSA named when the level is timestamped (the page never picks it). */
function signatureView(plan: SignaturePlan | undefined, tsaUrl: string | undefined): SignatureView | undefined {
  if (!plan) return undefined;
  return plan.level !== undefined && plan.level !== "B-B" && tsaUrl ? { ...plan, timestampAuthority: tsaUrl } : plan;
}

/**
 * The candidates before the approval opens. A named certificate that is not listed is `certificate_not_found` while
 * a token is plugged in; with no token at all the approval opens and waits for one. A named certificate that cannot
 * sign (expired, no signing key usage, revoked) is refused now with the reason, so the portal can tell the user to
 * renew: the user has no other certificate to choose.
 */
async function initialCandidates(context: CommandContext, items: readonly SignItem[], certificateId: string | undefined): Promise<CheckedCandidates> {
  const listed = await listedCertificates(context, certificateId);
  if (certificateId !== undefined && listed.length === 0 && (await context.services.tokens.listTokens()).length > 0) {
    throw new KysoError("certificate_not_found", "requested certificate not on any token");
  }
  const checked = await checkCandidates(context, items, listed);
  refuseUnless(checked.candidates, certificateId !== undefined && listed.length > 0);
  return checked;
}

/**
 * What a remote account's phone app shows (the document title the page gave, else the format, and the portal's
 * origin: never the document), and the approval's phone step fed from the provider's typed states.
 */
function phoneConfirmation(
  context: CommandContext,
  input: SignSessionInput,
  certificate: CandidateView,
  phone: ((step: PhoneWaitView | undefined) => void) | undefined,
  askOtp: (() => Promise<string>) | undefined,
): SignerConfirmation {
  const first = input.items[0];
  const named = input.display?.title ?? input.display?.fileName ?? first?.display?.title ?? first?.display?.fileName;
  const description = (named ?? (input.batch ? `${input.items.length} documents` : (first?.format ?? "document"))).slice(0, 200);
  const step = { provider: certificate.label, description, origin: context.origin };
  phone?.({ ...step, phase: "sending" });
  return {
    description,
    origin: context.origin,
    // The OTP step: the approval shows its field (phase `otp`) until the user sends it (`approvals.otp`).
    ...(askOtp
      ? {
          async otp() {
            phone?.({ ...step, phase: "otp" });
            const value = await askOtp();
            phone?.({ ...step, phase: "sending" });
            return value;
          },
        }
      : {}),
    onState(state) {
      if (state.state === "waiting_for_phone") {
        phone?.({ ...step, phase: "waiting", ...(state.expiresAt !== undefined ? { expiresAt: new Date(state.expiresAt).toISOString() } : {}) });
      } else if (state.state === "success") {
        phone?.({ ...step, phase: "confirmed" });
      }
    },
  };
}

export async function runSignSession(context: CommandContext, input: SignSessionInput): Promise<BatchItemResult[]> {
  const { services } = context;
  const items = input.items.map(decodeItem);
  /** Items whose stamp the user placed on the preview (`placeStamp`): their audit lines say so. */
  const placedByUser = new Set<number>();
  // The document's name is the page's claim (its `display`), stored as such and capped (audit/audit-log.ts).
  const auditBase = (index: number): Partial<AuditEntryView> => {
    const item = items[index]!;
    const name = documentNameClaim(input.items[index]?.display ?? (input.batch ? undefined : input.display));
    return {
      format: item.format,
      documentSha256: digestHex(item),
      ...(name ? { documentName: name } : {}),
      ...(placedByUser.has(index) ? { stampPlacedBy: "user" as const } : {}),
    };
  };

  const checked = await initialCandidates(context, items, input.certificateId);
  const { descriptions, plans } = checked;
  let candidates: readonly CandidateView[] = checked.candidates;
  const revocationResults = new Map(checked.results);
  const chainResults = new Map(checked.chains);
  const fields = candidateFields(context, items, candidates, await services.tokens.listTokens());
  candidates = fields.candidates;

  const results: BatchItemResult[] = [];
  let chosen: CandidateView | undefined;
  const { id: approvalId, done } = services.approvals.open({
    kind: "sign",
    origin: { origin: context.origin, trust: context.trust },
    connectionId: context.connectionId,
    batch: input.batch,
    items: items.map((item, index) => {
      const display = input.items[index]?.display;
      const signature = signatureView(plans[index], services.policy.tsa?.url);
      return { index, format: item.format, description: descriptions[index]!, ...(display ? { display } : {}), ...(signature ? { signature } : {}), ...(isPlaceable(item) ? { placeable: true } : {}) };
    }),
    documents: items.map((item) => (item.document ? { mediaType: MEDIA_TYPES[item.format], bytes: item.document } : undefined)),
    ...(input.display ? { display: input.display } : {}),
    ...fields,
    // The user's click on the preview (user-placement.ts): checked and prepared again now, before the PIN; the item
    // the signer gets and the plan the approval shows are replaced together.
    async placeStamp(index, at) {
      const item = items[index];
      if (!item) throw new KysoError("invalid_params", `no item ${index} in this request`);
      const placed = await placeByUser(services.signing, item, at, candidates, chainResults);
      items[index] = placed.item;
      placedByUser.add(index);
      return signatureView(placed.plan, services.policy.tsa?.url)!;
    },
    async execute(choice, progress, phone) {
      chosen = candidates.find((c) => c.id === choice.certificateId);
      if (!chosen) throw new KysoError("certificate_not_found");
      if (!chosen.valid) throw new KysoError("certificate_invalid", chosen.problems.join(","));
      if (chosen.refusal) throw fromPayload(chosen.refusal);
      stopWatching();
      const evidenceKept = await keepEvidence(context, chosen, revocationResults, chainResults);
      services.choices?.remember(context.origin, choiceKey(items.map((i) => i.format)), chosen.id);
      const certificate = chosen;
      const signerAudit = {
        certificateFingerprint: certificate.fingerprintSha256,
        certificateName: certificateDisplayName(certificate.subject),
        ...(evidenceKept.ids.length > 0 ? { evidence: evidenceKept.ids } : {}),
      };
      const signer = await services.tokens.openSigner({
        certificateId: certificate.id,
        pin: isRemoteTokenId(certificate.tokenId) ? null : choice.pin,
        ...(choice.signal ? { signal: choice.signal } : {}),
        ...(isRemoteTokenId(certificate.tokenId) ? { confirmation: phoneConfirmation(context, input, certificate, phone, choice.askOtp) } : {}),
      });
      try {
        const signedAt = services.now();
        // Only the items the user kept reach the token; an unticked one is answered `user_rejected` in its place.
        const kept = [...items.keys()].filter((index) => !choice.excludedItems.has(index));
        // The documents of a batch are prepared in the workers a few items ahead while earlier ones are audited
        // and reported (the token still signs one digest at a time); results stay in item order, and each item's
        // audit line is durable before its result leaves (write-ahead).
        const outputs = new Map<number, Promise<SignOutput>>();
        const startKept = (position: number): void => {
          const index = kept[position];
          if (index === undefined || outputs.has(index)) return;
          const output = services.signing.sign(items[index]!, signer, { signingTime: signedAt, revocation: evidenceKept.data });
          output.catch(() => undefined); // observed below, in order
          outputs.set(index, output);
        };
        if (kept.length > 1 && isBatchSigner(signer) && services.signing.signBatch) {
          // A remote account: every kept item in one transaction, so the user confirms the batch once on the
          // phone (batch-together.ts). The items' documents are all read at once for that (in one worker).
          const together = services.signing.signBatch(kept.map((index) => items[index]!), signer, { signingTime: signedAt, revocation: evidenceKept.data });
          kept.forEach((index, position) => {
            const output = together.then((outcomes) => {
              const outcome = outcomes[position];
              if (outcome?.status === "fulfilled") return outcome.value;
              throw outcome ? outcome.reason : new KysoError("internal", "no outcome for a batch item");
            });
            output.catch(() => undefined); // observed below, in order
            outputs.set(index, output);
          });
        }
        for (let ahead = 0; ahead < SIGN_AHEAD; ahead++) startKept(ahead);
        for (const index of items.keys()) {
          let result: BatchItemResult;
          let view: ItemResultView;
          const output = outputs.get(index);
          if (!output) {
            const refusal = new KysoError("user_rejected", "item left out by the user");
            result = { ok: false, error: errorFromThrown(refusal, services.language()) };
            view = { index, ok: false, error: refusal.toPayload(services.language()), excluded: true };
          } else {
            // Settled (either way) before the next one starts: at most SIGN_AHEAD documents in the workers.
            const next = kept.indexOf(index) + SIGN_AHEAD;
            await output.then(() => startKept(next), () => startKept(next));
            try {
              const signed = await output;
              result = {
                ok: true,
                ...(signed.signature ? { signature: Buffer.from(signed.signature).toString("base64") } : {}),
                ...(signed.document ? { document: Buffer.from(signed.document).toString("base64") } : {}),
                certificate: certificate.certificate,
                signedAt: signedAt.toISOString(),
              };
              view = { index, ok: true };
            } catch (thrown) {
              // A single `sign` fails as a whole; a batch records the item and carries on with the next one.
              if (!input.batch) throw thrown;
              const error = toKysoError(thrown);
              result = { ok: false, error: errorFromThrown(error, services.language()) };
              view = { index, ok: false, error: error.toPayload(services.language()) };
            }
          }
          try {
            await input.audit({
              id: randomUUID(),
              ...auditBase(index),
              ...signerAudit,
              decision: output ? "approved" : "rejected",
              result: result.ok ? "ok" : result.error.data.name,
            });
          } catch (thrown) {
            throw new KysoError("internal", "audit log not writable: signature withheld", undefined, { cause: thrown });
          }
          results.push(result);
          progress(view);
          input.onItem?.(index, result, results.length);
        }
      } finally {
        await signer.close();
      }
    },
  });
  // A token plugged in (or pulled out) while the user decides: its certificates are checked, then offered.
  const stopWatching = watchTokens(context, { approvalId, items, certificateId: input.certificateId }, () => candidates, (next, checks, chains) => {
    candidates = next;
    for (const [id, result] of checks) revocationResults.set(id, result);
    for (const [id, result] of chains) chainResults.set(id, result);
  });
  input.onApprovalOpened?.(approvalId);
  try {
    await done;
  } catch (thrown) {
    let error = toKysoError(thrown);
    const reason = error.details?.reason;
    const decision = error.code === "user_rejected" ? "rejected" : reason === "withdrawn" ? "withdrawn" : error.code === "timeout" ? "timeout" : "approved";
    // Ended while nothing could sign (no token, only another taxpayer's certificates): the page learns why.
    if ((decision === "rejected" || decision === "timeout") && !candidates.some(isUsable)) error = unusableReason(candidates, decision);
    for (let index = results.length; index < items.length; index++) {
      await Promise.resolve(
        input.audit({
          ...auditBase(index),
          ...(chosen ? { certificateFingerprint: chosen.fingerprintSha256, certificateName: certificateDisplayName(chosen.subject) } : {}),
          decision,
          result: errorFromThrown(error, "en").data.name,
        }),
      ).catch(() => undefined); // a refusal still reaches the page when the disk is full
    }
    throw error;
  } finally {
    stopWatching();
  }
  return results;
}

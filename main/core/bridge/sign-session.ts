/**
 * The part of `sign` and `signBatch` after the origin gate: read every item, find the candidate certificates,
 * wait for the user's approval (the only way to reach the token), open the token with the user's choice and
 * sign each item. The controller has already checked origin, rate and pending limits.
 */
import { createHash } from "node:crypto";
import type { CandidateView, ItemResultView, SignatureView } from "../app-api/approval-view.js";
import type { AuditEntryView } from "../app-api/views.js";
import type { DocumentDescription } from "../../domain/document-description.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import { parseHashAlgorithm } from "../../domain/hash-algorithm.js";
import type { SignaturePlan } from "../../domain/signature-plan.js";
import { signerDisplayName } from "../../domain/signer-name.js";
import { supportContactFor } from "../../../native/drivers/catalogue.js";
import { KysoError, fromPayload, toKysoError } from "../../domain/errors/kyso-error.js";
import type { BatchItemResult, Display } from "../../../sdk/src/protocol.js";
import type { CommandContext } from "./command.js";
import { errorFromThrown } from "./json-rpc.js";
import { applyRevocationCheck } from "./revocation-gate.js";
import type { SignItemParams } from "./sign-params.js";
import { MEDIA_TYPES, type SignItem, type SignOutput } from "./signing-port.js";

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
}

function decodeItem(params: SignItemParams): SignItem {
  return {
    format: params.format,
    ...(params.document !== undefined ? { document: Buffer.from(params.document, "base64") } : {}),
    ...(params.hash !== undefined ? { hash: Buffer.from(params.hash, "base64") } : {}),
    hashAlgorithm: params.hashAlgorithm === undefined ? "SHA-256" : parseHashAlgorithm(params.hashAlgorithm),
    options: params.options ?? {},
  };
}

function digestHex(item: SignItem): string {
  if (item.hash) return Buffer.from(item.hash).toString("hex");
  return createHash("sha256").update(item.document ?? new Uint8Array()).digest("hex");
}

async function candidatesFor(context: CommandContext, certificateId: string | undefined): Promise<CandidateView[]> {
  const { tokens, policy, revocation, now } = context.services;
  const all = await tokens.listCertificates();
  const candidates = certificateId === undefined ? [...all] : all.filter((c) => c.id === certificateId);
  if (candidates.length === 0) {
    if ((await tokens.listTokens()).length === 0) throw new KysoError("token_not_present", "no token plugged in");
    throw new KysoError("certificate_not_found", certificateId ? "requested certificate not on any token" : "no certificate on the tokens");
  }
  // An approval nobody can approve must not open: a named certificate that cannot sign (expired, not yet valid,
  // no signing key usage, revoked) is refused now with the reason, so the portal can tell the user to renew.
  if (!candidates.some((c) => c.valid)) {
    const problems = [...new Set(candidates.flatMap((c) => c.problems))];
    throw new KysoError("certificate_invalid", problems.join(","), { problems });
  }
  // Revocation last: it is the only check that may go to the network (policy `revocationCheck`, revocation-gate.ts).
  const checked = await applyRevocationCheck(candidates, policy.revocationCheck, revocation, now);
  return checked.map(withSignerFacts);
}

/** The name the signature will carry for this certificate, and whom to call if its PIN locks. */
function withSignerFacts(candidate: CandidateView): CandidateView {
  const support = supportContactFor(candidate.issuer);
  const name = candidate.issuer.organization ?? candidate.issuer.commonName;
  return {
    ...candidate,
    signatureName: signerDisplayName(candidate.subject),
    ...(support ? { support } : name ? { support: { name } } : {}),
  };
}

/** The plan as the approval shows it: the policy's TSA named when the level is B-T (the page never picks it). */
function signatureView(plan: SignaturePlan | undefined, tsaUrl: string | undefined): SignatureView | undefined {
  if (!plan) return undefined;
  return plan.level === "B-T" && tsaUrl ? { ...plan, timestampAuthority: tsaUrl } : plan;
}

/**
 * Reads every item in the bounded document worker and dry-runs it with each usable candidate. Returns the
 * descriptions and the candidates that can sign every item; throws the first item's reason when none can.
 */
async function prepareItems(context: CommandContext, items: readonly SignItem[], candidates: readonly CandidateView[]) {
  const usable = candidates.filter((c) => c.valid);
  const descriptions: DocumentDescription[] = [];
  const plans: (SignaturePlan | undefined)[] = [];
  const refused = new Map<string, KysoError>();
  // Items are read side by side (the document workers queue what they cannot take at once).
  const preparedItems = await Promise.all(items.map((item) => context.services.signing.prepare(item, usable)));
  for (const prepared of preparedItems) {
    descriptions.push(prepared.description);
    plans.push(prepared.signature);
    for (const r of prepared.refused) if (!refused.has(r.certificateId)) refused.set(r.certificateId, fromPayload(r.error));
  }
  const able = usable.filter((c) => !refused.has(c.id));
  if (able.length === 0) throw refused.values().next().value ?? new KysoError("certificate_invalid", "no certificate can sign this request");
  // Certificates that cannot sign at all stay listed (the user sees why); those refused for this document go.
  return { descriptions, plans, candidates: candidates.filter((c) => !refused.has(c.id)) };
}

export async function runSignSession(context: CommandContext, input: SignSessionInput): Promise<BatchItemResult[]> {
  const { services } = context;
  const items = input.items.map(decodeItem);
  const auditBase = (item: SignItem): Partial<AuditEntryView> => ({ format: item.format, documentSha256: digestHex(item) });

  const { descriptions, plans, candidates } = await prepareItems(context, items, await candidatesFor(context, input.certificateId));
  const tokens = await services.tokens.listTokens();

  const results: BatchItemResult[] = [];
  let chosen: CertificateInfo | undefined;
  const { done } = services.approvals.open({
    kind: "sign",
    origin: { origin: context.origin, trust: context.trust },
    connectionId: context.connectionId,
    batch: input.batch,
    items: items.map((item, index) => {
      const display = input.items[index]?.display;
      const signature = signatureView(plans[index], services.policy.tsa?.url);
      return { index, format: item.format, description: descriptions[index]!, ...(display ? { display } : {}), ...(signature ? { signature } : {}) };
    }),
    documents: items.map((item) => (item.document ? { mediaType: MEDIA_TYPES[item.format], bytes: item.document } : undefined)),
    ...(input.display ? { display: input.display } : {}),
    candidates,
    tokens,
    async execute(choice, progress) {
      chosen = candidates.find((c) => c.id === choice.certificateId);
      if (!chosen) throw new KysoError("certificate_not_found");
      if (!chosen.valid) throw new KysoError("certificate_invalid", chosen.problems.join(","));
      const signer = await services.tokens.openSigner({ certificateId: chosen.id, pin: choice.pin });
      try {
        const signedAt = services.now();
        // The documents of a batch are prepared in the workers a few items ahead while earlier ones are audited
        // and reported (the token still signs one digest at a time); results stay in item order, and each item's
        // audit line is durable before its result leaves (write-ahead).
        const outputs: Promise<SignOutput>[] = [];
        const startItem = (index: number): void => {
          const item = items[index];
          if (!item || outputs[index]) return;
          outputs[index] = services.signing.sign(item, signer, { signingTime: signedAt });
          outputs[index].catch(() => undefined); // observed below, in order
        };
        for (let ahead = 0; ahead < SIGN_AHEAD; ahead++) startItem(ahead);
        for (const [index, item] of items.entries()) {
          let result: BatchItemResult;
          let view: ItemResultView;
          // Settled (either way) before the next one starts: at most SIGN_AHEAD documents in the workers.
          await outputs[index]!.then(() => startItem(index + SIGN_AHEAD), () => startItem(index + SIGN_AHEAD));
          try {
            const output = await outputs[index]!;
            result = {
              ok: true,
              ...(output.signature ? { signature: Buffer.from(output.signature).toString("base64") } : {}),
              ...(output.document ? { document: Buffer.from(output.document).toString("base64") } : {}),
              certificate: chosen.certificate,
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
          try {
            await input.audit({
              ...auditBase(item),
              certificateFingerprint: chosen.fingerprintSha256,
              decision: "approved",
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
  try {
    await done;
  } catch (thrown) {
    const error = toKysoError(thrown);
    const reason = error.details?.reason;
    const decision = error.code === "user_rejected" ? "rejected" : reason === "withdrawn" ? "withdrawn" : error.code === "timeout" ? "timeout" : "approved";
    for (const item of items.slice(results.length)) {
      await Promise.resolve(
        input.audit({
          ...auditBase(item),
          ...(chosen ? { certificateFingerprint: chosen.fingerprintSha256 } : {}),
          decision,
          result: errorFromThrown(error, "en").data.name,
        }),
      ).catch(() => undefined); // a refusal still reaches the page when the disk is full
    }
    throw error;
  }
  return results;
}

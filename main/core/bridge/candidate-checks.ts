/**
 * The per-candidate checks of a sign request, run before a candidate can be chosen (threat model: "every check a
 * request can fail runs before the approval opens"): validity, the revocation and chain gates, then the document's dry run and
 * MST rule (signing/prepare.ts) for every usable candidate. Run once before the approval opens, and again for the
 * certificates of a token plugged in while it is open (`watchTokens`): a new candidate is offered only once its
 * checks are done.
 */
import type { CandidateView } from "../app-api/approval-view.js";
import type { DocumentDescription } from "../../domain/document-description.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import type { TokenInfo } from "../../domain/token.js";
import { KysoError, fromPayload, toKysoError, transferable, type ErrorPayload } from "../../domain/errors/kyso-error.js";
import { choiceKey, isUsable, preselect, rankCandidates, withRefusals } from "./candidates.js";
import type { CommandContext } from "./command.js";
import type { RevocationResult } from "../certificates/revocation/types.js";
import { certificateDisplayName } from "../../domain/display-name.js";
import type { SignaturePlan } from "../../domain/signature-plan.js";
import { supportContactFor } from "../../../native/drivers/catalogue.js";
import { checkCandidates as gateCandidates } from "./revocation-gate.js";
import { checkChains, withChains, withValidationChain } from "./chain-gate.js";
import { algorithmCheck } from "../certificates/algorithm-check.js";
import type { ChainCheckResult } from "../certificates/trust/chain-check.js";
import type { SignItem } from "./signing-port.js";

export interface CheckedCandidates {
  readonly descriptions: DocumentDescription[];
  /** What each item's signature will carry (format, level, reason, stamp...), for the approval to show. */
  readonly plans: (SignaturePlan | undefined)[];
  readonly candidates: CandidateView[];
  /** The revocation check behind each candidate (by certificate id): kept as the signature's evidence. */
  readonly results: ReadonlyMap<string, RevocationResult>;
  /** The chain check behind each candidate (by certificate id): its intermediates' answers are kept as evidence too. */
  readonly chains: ReadonlyMap<string, ChainCheckResult>;
}

/** The certificates on the tokens now, narrowed to the one the request names, if it names one. */
export async function listedCertificates(context: CommandContext, certificateId: string | undefined): Promise<CertificateInfo[]> {
  const all = await context.services.tokens.listCertificates();
  return certificateId === undefined ? [...all] : all.filter((c) => c.id === certificateId);
}

/** Revocation (may go to the network: last among the certificate's own checks), then each item's dry run. */
export async function checkCandidates(context: CommandContext, items: readonly SignItem[], certificates: readonly CertificateInfo[]): Promise<CheckedCandidates> {
  const { policy, revocation, now, signing } = context.services;
  // The chain to an anchor (and its intermediates' status) is checked side by side with the signer's revocation.
  const [revoked, chains] = await Promise.all([gateCandidates(certificates, policy.revocationCheck, revocation, now), checkChains(certificates, policy, context.services.chains)]);
  const { results } = revoked;
  const gated = withChains(revoked.candidates, chains, policy);
  const usable = gated.filter(isUsable);
  // Items are read side by side (the document workers queue what they cannot take at once).
  // The long-term levels gather along the trusted path (intermediates from the bundle or AIA included).
  const withPaths = usable.map((c) => withValidationChain(c, chains.get(c.id)));
  const prepared = await Promise.all(items.map((item) => signing.prepare(item, withPaths)));
  const refusals = new Map<string, ErrorPayload>();
  for (const item of prepared) for (const r of item.refused) if (!refusals.has(r.certificateId)) refusals.set(r.certificateId, r.error);
  // The hash each item's signature will use: the plan's reading, else the request's own field.
  const hashes = prepared.map((p, i) => p.signature?.hashAlgorithm ?? items[i]?.hashAlgorithm);
  return {
    descriptions: prepared.map((p) => p.description),
    plans: prepared.map((p) => p.signature),
    candidates: withRefusals(gated, refusals).map((c) => withSignerFacts(c, hashes)),
    results,
    chains,
  };
}

/** The name the signature will carry for this certificate, whom to call if its PIN locks, and its algorithm check. */
function withSignerFacts(candidate: CandidateView, hashes: readonly (string | undefined)[]): CandidateView {
  const support = supportContactFor(candidate.issuer);
  const name = candidate.issuer.organization ?? candidate.issuer.commonName;
  return {
    ...candidate,
    signatureName: certificateDisplayName(candidate.subject),
    algorithm: algorithmCheck(candidate, hashes),
    ...(support ? { support } : name ? { support: { name } } : {}),
  };
}

/**
 * Whether the approval may open although no candidate is usable now: with no certificate at all (plug in a token)
 * or when a certificate was refused for the document's MST (the right taxpayer's token can be plugged in). Any other
 * reason (expired, revoked under `require`, a document the keys cannot sign) is the request's answer at once.
 */
export function refuseUnless(candidates: readonly CandidateView[], named: boolean): void {
  if (candidates.some(isUsable)) return;
  const mismatch = candidates.find((c) => c.valid && c.refusal?.code === "tax_code_mismatch");
  if (!named && (candidates.length === 0 || mismatch)) return;
  const refused = candidates.find((c) => c.valid && c.refusal)?.refusal;
  if (refused) throw fromPayload(refused);
  const problems = [...new Set(candidates.flatMap((c) => c.problems))];
  throw new KysoError("certificate_invalid", problems.join(","), { problems });
}

/** The approval's candidate fields: ranked, the pre-selection, and whether it waits for a token. */
export function candidateFields(context: CommandContext, items: readonly SignItem[], candidates: readonly CandidateView[], tokens: readonly TokenInfo[]) {
  const ranked = rankCandidates(candidates);
  const remembered = context.services.choices?.remembered(context.origin, choiceKey(items.map((i) => i.format)));
  const plugged = ranked.filter((c) => tokens.some((t) => t.id === c.tokenId));
  const preselectedCertificateId = preselect(plugged, remembered);
  return {
    candidates: ranked,
    tokens,
    ...(preselectedCertificateId ? { preselectedCertificateId } : {}),
    ...(preselectedCertificateId ? {} : { tokenWait: "absent" as const }),
  };
}

/**
 * While the approval is open, each `tokensChanged` lists the certificates again; new ones are checked
 * (`checkCandidates`) before they are offered, with `tokenWait: "checking"` meanwhile when nothing else is usable.
 * Certificates already offered stay (an unplugged token's show as removed in the app). Returns the unsubscribe.
 */
export function watchTokens(
  context: CommandContext,
  input: { readonly approvalId: string; readonly items: readonly SignItem[]; readonly certificateId: string | undefined },
  current: () => readonly CandidateView[],
  offer: (candidates: readonly CandidateView[], results: ReadonlyMap<string, RevocationResult>, chains: ReadonlyMap<string, ChainCheckResult>) => void,
): () => void {
  const { tokens, approvals } = context.services;
  let chain = Promise.resolve();
  let stopped = false;
  const recheck = async (plugged: readonly TokenInfo[]): Promise<void> => {
    if (stopped) return;
    const known = current();
    const fresh = (await listedCertificates(context, input.certificateId)).filter((c) => !known.some((k) => k.id === c.id));
    if (stopped) return;
    const waiting = candidateFields(context, input.items, known, plugged);
    if (fresh.length === 0) {
      approvals.updateCandidates(input.approvalId, waiting);
      return;
    }
    if (waiting.tokenWait) approvals.updateCandidates(input.approvalId, { ...waiting, tokenWait: "checking" });
    let checked: CandidateView[];
    let results: ReadonlyMap<string, RevocationResult> = new Map();
    let chains: ReadonlyMap<string, ChainCheckResult> = new Map();
    try {
      ({ candidates: checked, results, chains } = await checkCandidates(context, input.items, fresh));
    } catch (thrown) {
      // The document read fine before; a failure now is about these certificates: listed, refused, with the reason.
      const refusal = transferable(toKysoError(thrown));
      checked = fresh.map((c) => ({ ...c, refusal }));
    }
    if (stopped) return;
    const merged = [...known, ...checked];
    offer(merged, results, chains);
    approvals.updateCandidates(input.approvalId, candidateFields(context, input.items, merged, plugged));
  };
  const off = tokens.onEvent((event) => {
    // One recheck at a time, in event order: a later event sees the candidates the earlier one added.
    chain = chain.then(() => recheck(event.tokens)).catch(() => undefined);
  });
  // A token plugged in between the first listing and this subscription gave its event to nobody: while nothing is
  // usable, look once now (otherwise the next event will do).
  if (!current().some(isUsable)) chain = chain.then(async () => recheck(await tokens.listTokens())).catch(() => undefined);
  return () => {
    stopped = true;
    off();
  };
}

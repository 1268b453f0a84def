/**
 * `gatherLongTermData`: everything a B-LT/B-LTA signature will embed, fetched before the approval opens.
 * The signer's chain is checked through the revocation service; the TSA's chain is learnt from one probe
 * timestamp (over random bytes: the TSA sees nothing of the document) and checked the same way. Any failure is
 * typed now (`revocation_unavailable`, `timestamp_failed`), so after the PIN only the token or the TSA can fail.
 */
import { randomBytes } from "node:crypto";
import { KysoError, toKysoError, transferable } from "../../../domain/errors/kyso-error.js";
import { requestTimestamp } from "../cms/timestamp-client.js";
import type { CandidateKey, LongTermOutcome } from "../prepare.js";
import type { TimestampAuthority } from "../types.js";
import { timestampChain } from "./tsa-chain.js";
import { collectChainValidationData, mergeValidationData, type LongTermData, type RevocationLookup } from "./validation-data.js";

export interface GatherOptions {
  /** The TSA of settings/policy; required (every long-term level is timestamped). */
  readonly timestampAuthority: TimestampAuthority | undefined;
  readonly fetch?: typeof fetch;
}

/** The TSA's certificate and its chain's validation data, from one probe timestamp. */
export async function probeTimestampAuthority(lookup: RevocationLookup, options: GatherOptions): Promise<LongTermData> {
  if (!options.timestampAuthority) {
    throw new KysoError("timestamp_failed", "levels B-LT and B-LTA need a timestamp authority in KySo's settings or policy, and none is configured", { reason: "no_tsa" });
  }
  const probe = await requestTimestamp(options.timestampAuthority, "SHA-256", randomBytes(32), options.fetch);
  const chain = timestampChain(probe.token);
  return { validation: await collectChainValidationData(chain, lookup, "tsa"), tsaCertificate: chain[0]! };
}

/** `signerChain`: the signer's certificate first, then its chain (nearest issuer first). */
export async function gatherLongTermData(signerChain: readonly Uint8Array[], lookup: RevocationLookup, options: GatherOptions, tsa?: LongTermData): Promise<LongTermData> {
  const [signer, authority] = await Promise.all([collectChainValidationData(signerChain, lookup, "signer"), tsa ?? probeTimestampAuthority(lookup, options)]);
  return { validation: mergeValidationData(signer, authority.validation), ...(authority.tsaCertificate ? { tsaCertificate: authority.tsaCertificate } : {}) };
}

/**
 * For prepareItem: one TSA probe for the item, then each candidate's chain. A TSA that fails fails the item
 * (`timestamp_failed`, or `revocation_unavailable` for the TSA's certificate); a candidate whose chain has no
 * usable revocation data is refused alone, with its error.
 */
export async function gatherForCandidates(
  candidates: readonly CandidateKey[],
  lookup: RevocationLookup | undefined,
  options: GatherOptions,
): Promise<Record<string, LongTermOutcome>> {
  if (!lookup) {
    const error = transferable(new KysoError("revocation_unavailable", "no revocation service is available to this signing port", { problems: ["unavailable"] }));
    return Object.fromEntries(candidates.map((c) => [c.id, { error }]));
  }
  const tsa = await probeTimestampAuthority(lookup, options);
  const entries = await Promise.all(
    candidates.map(async (candidate): Promise<[string, LongTermOutcome]> => {
      try {
        return [candidate.id, { data: await gatherLongTermData([candidate.certificate, ...candidate.chain], lookup, options, tsa) }];
      } catch (thrown) {
        return [candidate.id, { error: transferable(toKysoError(thrown)) }];
      }
    }),
  );
  return Object.fromEntries(entries);
}

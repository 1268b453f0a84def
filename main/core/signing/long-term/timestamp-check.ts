/** Checks shared by every format's long-term path. */
import { KysoError } from "../../../domain/errors/index.js";
import type { SignContext } from "../types.js";
import { timestampChain } from "./tsa-chain.js";
import { sameBytes, type LongTermData } from "./validation-data.js";

/** The long-term data gathered before the approval; signing B-LT without it would silently be B-T. */
export function requireLongTerm(context: SignContext): LongTermData {
  if (!context.longTerm) {
    throw new KysoError("revocation_unavailable", "no validation data was gathered for this long-term signature (gatherLongTermData before signing)", { problems: ["unavailable"] });
  }
  return context.longTerm;
}

/**
 * A timestamp must come from the TSA certificate whose revocation data was gathered before the approval: a TSA
 * that changed keys since then would leave the signature's validation data incomplete. That is a TSA failure.
 */
export function checkTimestampAuthority(token: Uint8Array, longTerm: LongTermData | undefined): void {
  if (!longTerm?.tsaCertificate) return;
  const [certificate] = timestampChain(token);
  if (!certificate || !sameBytes(certificate, longTerm.tsaCertificate)) {
    throw new KysoError("timestamp_failed", "the timestamp authority signed with another certificate than the one checked before the approval", { reason: "tsa_changed" });
  }
}

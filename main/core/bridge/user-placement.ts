/**
 * The user places a preset's image (leader, seal) on the approval's preview (`approvals.placeStamp`). The click is
 * untrusted input: the contract's zod schema bounds its shape, then the item is prepared again, in a document
 * worker, with the point as the preset's `at` (`placedByUser`): the same `prepare` that ran before the approval
 * opened, so the page count, the page's box, the whole image on the page and the stand-in signature are all
 * checked now, before the PIN, and the approval shows the rectangle the signer will write (plan.ts `placePreset`).
 */
import type { CandidateView } from "../app-api/approval-view.js";
import { KysoError, fromPayload } from "../../domain/errors/kyso-error.js";
import type { SignaturePlan } from "../../domain/signature-plan.js";
import type { ChainCheckResult } from "../certificates/trust/chain-check.js";
import { isUsable } from "./candidates.js";
import { withValidationChain } from "./chain-gate.js";
import type { SignItem, SigningPort } from "./signing-port.js";

export interface StampPoint {
  readonly page: number;
  readonly x: number;
  readonly y: number;
}

/** The presets whose image a user may place: the leader's signature and the seal (docs/presets.md). */
const PLACEABLE = new Set(["leader", "seal"]);

function presetOf(item: SignItem): Record<string, unknown> | undefined {
  const preset = item.options.preset;
  return typeof preset === "object" && preset !== null ? (preset as Record<string, unknown>) : undefined;
}

/** Whether the approval lets the user place this item's stamp on the preview. */
export function isPlaceable(item: SignItem): boolean {
  const name = presetOf(item)?.name;
  return item.format === "pades" && item.document !== undefined && typeof name === "string" && PLACEABLE.has(name);
}

/**
 * Only KySo's approval window says the user placed a stamp: a portal's or a file request's `placedByUser` is
 * refused at the session's door (the approval would otherwise say "placed by you" for the page's choice).
 */
export function refuseClaimedPlacement(item: SignItem): void {
  if (presetOf(item)?.placedByUser !== undefined) throw new KysoError("invalid_params", "preset.placedByUser is set only by KySo's approval window");
}

/**
 * The item with the user's point, prepared again for the candidates that can sign: throws the typed refusal
 * (`stamp_off_page`, `invalid_params`) when the point cannot take the stamp. Returns the new item (what the
 * signer will sign) and its plan (what the approval shows).
 */
export async function placeByUser(
  signing: Pick<SigningPort, "prepare">,
  item: SignItem,
  at: StampPoint,
  candidates: readonly CandidateView[],
  chains: ReadonlyMap<string, ChainCheckResult>,
): Promise<{ readonly item: SignItem; readonly plan: SignaturePlan }> {
  const preset = presetOf(item);
  if (!isPlaceable(item) || !preset) throw new KysoError("invalid_params", "only a leader or seal preset's image can be placed on the preview");
  const placed: SignItem = { ...item, options: { ...item.options, preset: { ...preset, at: { page: at.page, x: at.x, y: at.y }, placedByUser: true } } };
  const usable = candidates.filter(isUsable).map((c) => withValidationChain(c, chains.get(c.id)));
  const prepared = await signing.prepare(placed, usable);
  // A point every candidate fails on (the dry run's refusal) is the user's to change, not a certificate's fault.
  const refusal = prepared.refused[0];
  if (refusal) throw fromPayload(refusal.error);
  if (!prepared.signature?.stamp) throw new KysoError("internal", "the placed preset has no stamp in its plan");
  return { item: placed, plan: prepared.signature };
}

import { z } from "zod";
import type { AuditEntryView } from "../../app-api/views.js";
import { KysoError, isKysoError } from "../../../domain/errors/kyso-error.js";
import type { PairResult } from "../../../domain/wire/protocol.js";
import { defineCommand } from "../command.js";
import type { PairOutcome } from "../pair-prompts.js";

const DECISIONS: Readonly<Record<PairOutcome, AuditEntryView["decision"]>> = { granted: "approved", refused: "rejected", unanswered: "timeout" };

/**
 * "Allow <origin> to use your signing tokens?" asked in the app. The page learns only yes or no; a refusal is
 * `{granted: false}`, not an error, so the page cannot tell a refusal from a timeout by the error channel.
 * One prompt per origin at a time (a second `pair` waits for the same answer), a global cap on prompts, and a
 * cool-down after a refusal (`rate_limited` with `retryAfterMs`): pair-prompts.ts. It counts as pending.
 */
export const pairCommand = defineCommand({
  method: "pair",
  openToUnknownOrigins: true,
  signs: false,
  countsAsPending: true,
  params: z.strictObject({}).optional(),
  async run(context): Promise<PairResult> {
    const { services, origin, trust } = context;
    if (trust !== "none") return { granted: true };
    if (!services.policy.allowUserPairing) throw new KysoError("origin_not_allowed", "pairing disabled by policy");
    const outcome = await context.pairPrompts.ask(origin, async () => {
      const { done } = services.approvals.open({ kind: "pair", origin: { origin, trust }, connectionId: context.connectionId });
      try {
        await done;
      } catch (error) {
        if (isKysoError(error, "user_rejected")) return "refused";
        if (isKysoError(error, "timeout")) return "unanswered";
        throw error;
      }
      services.pairings.add(origin, services.now());
      return "granted";
    });
    // The user's decision is a consent record like a signature's: written before the page hears it.
    await context.audit({ decision: DECISIONS[outcome], result: "ok" });
    return { granted: outcome === "granted" };
  },
});

import { z } from "zod";
import { KysoError, isKysoError } from "../../errors/kyso-error.js";
import type { PairResult } from "../../../../sdk/src/protocol.js";
import { defineCommand } from "../command.js";

/**
 * "Allow <origin> to use your signing tokens?" asked in the app. The page learns only yes or no; a refusal is
 * `{granted: false}`, not an error, so the page cannot tell a refusal from a timeout by the error channel.
 */
export const pairCommand = defineCommand({
  method: "pair",
  openToUnknownOrigins: true,
  signs: false,
  params: z.strictObject({}).optional(),
  async run(context): Promise<PairResult> {
    const { services, origin, trust } = context;
    if (trust !== "none") return { granted: true };
    if (!services.policy.allowUserPairing) throw new KysoError("origin_not_allowed", "pairing disabled by policy");
    const { done } = services.approvals.open({ kind: "pair", origin: { origin, trust }, connectionId: context.connectionId });
    try {
      await done;
    } catch (error) {
      if (isKysoError(error, "user_rejected") || isKysoError(error, "timeout")) return { granted: false };
      throw error;
    }
    services.pairings.add(origin, services.now());
    return { granted: true };
  },
});

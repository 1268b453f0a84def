import type { SignBatchResult } from "../../../domain/wire/protocol.js";
import { defineCommand } from "../command.js";
import { enforceRequestPolicy } from "../policy-gate.js";
import { signBatchParamsSchema } from "../sign-params.js";
import { runSignSession } from "../sign-session.js";
import { KysoError } from "../../../domain/errors/kyso-error.js";

/** Many items, one approval listing every item, `batchProgress` after each; one item's failure does not stop the rest. */
export const signBatchCommand = defineCommand({
  method: "signBatch",
  openToUnknownOrigins: false,
  signs: true,
  params: signBatchParamsSchema,
  async run(context, params): Promise<SignBatchResult> {
    if (params.items.length > context.services.policy.limits.maxBatchItems) {
      throw new KysoError("invalid_params", `at most ${context.services.policy.limits.maxBatchItems} items`);
    }
    enforceRequestPolicy(context.services.policy, params.items);
    const total = params.items.length;
    const results = await runSignSession(context, {
      items: params.items,
      ...(params.certificateId ? { certificateId: params.certificateId } : {}),
      ...(params.display ? { display: params.display } : {}),
      batch: true,
      audit: context.audit,
      onItem: (index, result, done) => context.notify("batchProgress", { requestId: context.requestId, index, ok: result.ok, done, total }),
    });
    return { results };
  },
});

import type { SignResult } from "../../../domain/wire/protocol.js";
import { defineCommand } from "../command.js";
import { enforceRequestPolicy } from "../policy-gate.js";
import { signParamsSchema } from "../sign-params.js";
import { runSignSession } from "../sign-session.js";
import { KysoError } from "../../../domain/errors/kyso-error.js";

/** One document or hash, one approval, one signature. */
export const signCommand = defineCommand({
  method: "sign",
  openToUnknownOrigins: false,
  signs: true,
  params: signParamsSchema,
  async run(context, params): Promise<SignResult> {
    const { certificateId, display, ...item } = params;
    enforceRequestPolicy(context.services.policy, [item]);
    const [result] = await runSignSession(context, {
      // For a single document the page's display text describes that document too.
      items: [display ? { ...item, display } : item],
      ...(certificateId ? { certificateId } : {}),
      ...(display ? { display } : {}),
      batch: false,
      audit: context.audit,
    });
    if (!result?.ok) throw new KysoError("internal", "sign produced no result");
    const { ok: _ok, ...signed } = result;
    return signed;
  },
});

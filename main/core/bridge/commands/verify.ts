import type { VerificationReport } from "../../../domain/wire/protocol.js";
import { KysoError } from "../../../domain/errors/kyso-error.js";
import { defineCommand } from "../command.js";
import { enforceVerifySize, verifyParamsSchema } from "../verify-params.js";

/**
 * Every signature of a received document, as the verification report (JSON). No approval and no token: nothing is
 * signed and nothing secret is read. The work is the document worker's, so it counts as pending like a signature
 * (at most `maxPendingSignsPerOrigin` at once per origin, `busy` beyond): one origin cannot queue unbounded
 * verifications ahead of everyone else. One audit line per verification: the origin and the verdict, nothing of
 * the document.
 */
export const verifyCommand = defineCommand({
  method: "verify",
  openToUnknownOrigins: false,
  signs: false,
  countsAsPending: true,
  params: verifyParamsSchema,
  async run(context, params): Promise<VerificationReport> {
    const { verifier, policy } = context.services;
    enforceVerifySize(policy, params);
    if (!verifier) throw new KysoError("internal", "verification is not available");
    const report = await verifier.verify(Buffer.from(params.document, "base64"), {
      ...(params.detachedContent !== undefined ? { detachedContent: Buffer.from(params.detachedContent, "base64") } : {}),
      online: params.online === true,
    });
    await context.audit({ result: "ok", format: report.format, verdict: report.result.indication });
    return report;
  },
});

/**
 * `verify` params: validated at the door, then trusted. The document and the detached content are strict base64;
 * their decoded sizes are read off the base64 length (never decoded first) and capped by the machine policy's
 * `maxDocumentBytes`, as for `sign`; the WebSocket message cap applies before JSON is even parsed.
 */
import { z } from "zod";
import { KysoError } from "../../domain/errors/kyso-error.js";
import type { KysoPolicy } from "../policy/policy-schema.js";
import { base64DecodedBytes } from "./policy-gate.js";
import { base64 } from "./sign-params.js";

export const verifyParamsSchema = z.strictObject({
  document: base64,
  detachedContent: base64.optional(),
  online: z.boolean().optional(),
});
export type VerifyParamsInput = z.infer<typeof verifyParamsSchema>;

/** `document_too_large` when the document and its detached content together exceed the policy's cap. */
export function enforceVerifySize(policy: KysoPolicy, params: VerifyParamsInput): void {
  if (policy.maxDocumentBytes === undefined) return;
  const bytes = base64DecodedBytes(params.document) + (params.detachedContent === undefined ? 0 : base64DecodedBytes(params.detachedContent));
  if (bytes > policy.maxDocumentBytes) throw new KysoError("document_too_large", `${bytes} bytes, the machine policy allows ${policy.maxDocumentBytes}`);
}

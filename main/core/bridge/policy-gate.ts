/**
 * What the organisation's policy forbids a request to carry, checked at the door of `sign`/`signBatch` (after the
 * params schema, before anything is decoded or an approval opens): formats outside `allowedFormats`, and documents
 * above `maxDocumentBytes`. Sizes are read off the base64 length, so an oversized document is refused without
 * decoding it.
 */
import { KysoError } from "../../domain/errors/kyso-error.js";
import type { KysoPolicy } from "../policy/policy-schema.js";

interface GatedItem {
  readonly format: string;
  readonly document?: string | undefined;
}

/** Decoded size of strict base64 (the params schema already checked the alphabet and padding). */
export function base64DecodedBytes(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

export function enforceRequestPolicy(policy: KysoPolicy, items: readonly GatedItem[]): void {
  items.forEach((item, index) => {
    const where = items.length > 1 ? `item ${index}: ` : "";
    if (policy.allowedFormats && !policy.allowedFormats.includes(item.format as (typeof policy.allowedFormats)[number])) {
      throw new KysoError("format_not_allowed", `${where}format ${item.format} is not allowed by the machine policy (allowed: ${policy.allowedFormats.join(", ")})`);
    }
    if (policy.maxDocumentBytes !== undefined && item.document !== undefined) {
      const bytes = base64DecodedBytes(item.document);
      if (bytes > policy.maxDocumentBytes) {
        throw new KysoError("document_too_large", `${where}${bytes} bytes, the machine policy allows ${policy.maxDocumentBytes}`);
      }
    }
  });
}

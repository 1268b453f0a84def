/**
 * Schemas for `sign` and `signBatch` params: validated at the door, then trusted. Documents and hashes are
 * strict base64; the size cap is the WebSocket message cap (limits), checked before JSON is even parsed.
 */
import { z } from "zod";
import { SIGNING_FORMATS } from "../app-info.js";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Strict base64 (alphabet and padding), not empty: documents, hashes, detached content. */
export const base64 = z.string().min(1).regex(BASE64, "must be base64");

/** Text the page shows about the request: short, shown as "described by the website". */
export const displaySchema = z.strictObject({
  title: z.string().max(200).optional(),
  fileName: z.string().max(255).optional(),
  description: z.string().max(2000).optional(),
});

/** Format options stay a bounded JSON object here; the signing format validates their meaning. */
const optionsSchema = z.record(z.string().max(64), z.unknown()).refine((o) => Object.keys(o).length <= 64, "too many options");

const itemShape = {
  format: z.enum(SIGNING_FORMATS),
  document: base64.optional(),
  hash: base64.max(128).optional(),
  // Any short string: the spelling is read by parseHashAlgorithm when the session decodes the item, the same
  // function the formats use, so "SHA256"/"sha-384" are accepted and SHA-1 is `unsupported_algorithm`, as the docs say.
  hashAlgorithm: z.string().min(1).max(16).optional(),
  options: optionsSchema.optional(),
  display: displaySchema.optional(),
};

const exactlyOne = (item: { document?: string | undefined; hash?: string | undefined }): boolean =>
  (item.document === undefined) !== (item.hash === undefined);

export const signItemSchema = z
  .strictObject(itemShape)
  .refine(exactlyOne, "exactly one of document and hash")
  .refine((item) => item.hash === undefined || item.format === "raw" || item.format === "cms", "hash is only for raw and cms");

export const signParamsSchema = z
  .strictObject({ certificateId: z.string().min(1).max(200).optional(), ...itemShape })
  .refine(exactlyOne, "exactly one of document and hash")
  .refine((item) => item.hash === undefined || item.format === "raw" || item.format === "cms", "hash is only for raw and cms");

export const signBatchParamsSchema = z.strictObject({
  certificateId: z.string().min(1).max(200).optional(),
  items: z.array(signItemSchema).min(1).max(1000),
  display: displaySchema.optional(),
});

export type SignItemParams = z.infer<typeof signItemSchema>;
export type SignParamsInput = z.infer<typeof signParamsSchema>;
export type SignBatchParamsInput = z.infer<typeof signBatchParamsSchema>;

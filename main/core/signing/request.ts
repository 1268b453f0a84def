/**
 * The typed request every format takes, validated once at the door (`parseSigningRequest`), then trusted.
 * The bridge passes its `SignItem` (format, document | hash, hashAlgorithm, options) straight in; the page's
 * `options` object is checked here per format, so unknown keys are refused rather than ignored.
 */
import { z } from "zod";
import { DIGEST_LENGTH, HASH_ALGORITHMS, parseHashAlgorithm } from "../../domain/hash-algorithm.js";
import { KysoError } from "../../domain/errors/index.js";
import { MAX_STAMP_IMAGE_BYTES } from "./limits.js";
import { COPY_KINDS, SEAL_DIAMETER_MM, STAMP_PRESET_NAMES } from "../../domain/stamp-presets.js";

const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, "must be bytes");
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Text shown in the PDF: no control characters (they would garble the stamp and the signature panel). */
const text = (max: number) =>
  z.string().max(max).refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 && c !== "\t" && c !== "\n" && c !== "\r"), "control characters");

/**
 * "B-T" adds an RFC 3161 timestamp from the TSA configured in settings (never a URL from the page). "B-LT" adds the
 * certificates and OCSP responses/CRLs a validator needs later (docs/formats.md, "Levels"); "B-LTA" (PAdES only)
 * then a document timestamp over it all.
 */
export const CmsLevelSchema = z.enum(["B-B", "B-T", "B-LT"]);
export const PadesLevelSchema = z.enum(["B-B", "B-T", "B-LT", "B-LTA"]);
export const XadesLevelSchema = z.enum(["B-B", "B-T", "B-LT"]);
export type SignatureLevel = z.output<typeof PadesLevelSchema>;

/** A level that carries a signature timestamp. */
export const isTimestamped = (level: SignatureLevel | undefined): boolean => level !== undefined && level !== "B-B";
/** A level that carries validation data (chains, OCSP responses, CRLs). */
export const isLongTerm = (level: SignatureLevel | undefined): boolean => level === "B-LT" || level === "B-LTA";

export const RawOptionsSchema = z.strictObject({
  scheme: z.enum(["rsa-pkcs1", "rsa-pss", "ecdsa"]).optional(),
  /** ECDSA output: DER `ECDSA-Sig-Value` (default, what CMS/X.509 use) or raw r||s (JWS, XMLDSig). */
  ecdsaEncoding: z.enum(["der", "raw"]).optional(),
});

export const CmsOptionsSchema = z.strictObject({
  /** Detached (default) carries no content; attached encapsulates it. A hash input is always detached. */
  detached: z.boolean().optional(),
  level: CmsLevelSchema.optional(),
  scheme: z.enum(["rsa-pkcs1", "rsa-pss", "ecdsa"]).optional(),
});

export const STAMP_POSITIONS = ["bottom-right", "bottom-left", "top-right", "top-left"] as const;

export const StampSchema = z.strictObject({
  /** 1-based page number, or "last" (default). */
  page: z.union([z.number().int().min(1).max(100_000), z.literal("last")]).optional(),
  /** [x, y, width, height] in PDF points from the bottom-left corner; wins over `position`. */
  rect: z.tuple([z.number().min(0), z.number().min(0), z.number().min(20).max(2000), z.number().min(10).max(2000)]).optional(),
  position: z.enum(STAMP_POSITIONS).optional(),
  /** PNG or JPEG (seal or handwritten signature), base64. */
  image: z.string().max(Math.ceil((MAX_STAMP_IMAGE_BYTES * 4) / 3) + 4).regex(BASE64, "must be base64").optional(),
});

const image = z.string().max(Math.ceil((MAX_STAMP_IMAGE_BYTES * 4) / 3) + 4).regex(BASE64, "must be base64");

/**
 * A point on a page in PDF points (default user space): the centre of a preset's image. The page count and the
 * page's box are checked against the document where the stamp is placed (preset-placement.ts `checkOnPage`).
 */
export const StampPointSchema = z.strictObject({ page: z.number().int().min(1).max(100_000), x: z.number().min(0).max(14_400), y: z.number().min(0).max(14_400) });
export type StampPoint = z.output<typeof StampPointSchema>;

/**
 * A Decree 30/2020 stamp preset (main/domain/stamp-presets.ts, docs/presets.md). Each preset names what it needs:
 * appendix the document number; copy the copy kind and the copying organisation; leader the handwritten
 * signature image; seal the seal image and its real diameter (the user's own images in KySo win over these).
 * `at` is the centre of the image (leader, seal) in
 * PDF points on `page` when KySo does not find the place itself.
 */
export const PresetSchema = z
  .strictObject({
    name: z.enum(STAMP_PRESET_NAMES),
    documentNumber: text(100).optional(),
    copyKind: z.enum(COPY_KINDS).optional(),
    organisation: text(200).optional(),
    /** PNG (transparent) or JPEG, base64: the leader's handwritten signature or the organisation's seal. */
    image: image.optional(),
    /** seal: the place of the place-and-date line ("Đà Nẵng"), filled into the document's date field. */
    place: text(100).optional(),
    /** seal: the document's date (YYYY-MM-DD), written "ngày DD tháng MM năm YYYY" into the date field. */
    documentDate: z.iso.date().optional(),
    /** seal: which form fields take the number and the place-and-date line, when their names do not say so. */
    fields: z.strictObject({ documentNumber: z.string().min(1).max(200).optional(), documentDate: z.string().min(1).max(200).optional() }).optional(),
    sealDiameterMm: z.number().min(SEAL_DIAMETER_MM.min).max(SEAL_DIAMETER_MM.max).optional(),
    at: StampPointSchema.optional(),
    /**
     * Set only by KySo's approval window (the user clicked the preview: sign-session.ts `placeStamp`); refused from
     * a portal or a file request (sign-session.ts `decodeItem`). With it, `at` wins over the seal's leader rule and
     * the approval and audit say "placed by you".
     */
    placedByUser: z.literal(true).optional(),
  })
  .superRefine((p, ctx) => {
    const need = (ok: boolean, field: string): void => {
      if (!ok) ctx.addIssue({ code: "custom", message: `preset ${p.name} needs ${field}`, path: [field] });
    };
    if (p.placedByUser) need(p.at !== undefined && (p.name === "leader" || p.name === "seal"), "at");
    if (p.name === "appendix") need(!!p.documentNumber?.trim(), "documentNumber");
    if (p.name === "copy") {
      need(p.copyKind !== undefined, "copyKind");
      need(!!p.organisation?.trim(), "organisation");
    }
    // leader, seal: `image` (and the seal's `sealDiameterMm`) may come from the images the user keeps in KySo for
    // the signing certificate (stamp-image-options.ts); placement refuses the preset when neither gave one.
    // income: the received number is optional (a portal may number the receipt later).
    if (p.name === "income" && p.documentNumber !== undefined) need(p.documentNumber.trim() !== "", "documentNumber");
  });

export const PadesOptionsSchema = z.strictObject({
  level: PadesLevelSchema.optional(),
  /** A new field name is generated when absent; a name already used in the PDF is refused. */
  fieldName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  reason: text(200).optional(),
  location: text(200).optional(),
  contactInfo: text(200).optional(),
  /** Absent: invisible signature. */
  visible: StampSchema.optional(),
  /** A Decree 30/2020 preset: its own fixed layout, so it cannot be combined with `visible`. */
  preset: PresetSchema.optional(),
}).refine((o) => !(o.visible && o.preset), { message: "preset and visible exclude each other", path: ["preset"] });

export const XadesOptionsSchema = z.strictObject({
  level: XadesLevelSchema.optional(),
});
/** `prefix: "ds"` writes `<ds:Signature xmlns:ds=…>` for receivers that expect it; unprefixed is the default. */
export const XmlDsigOptionsSchema = z.strictObject({ prefix: z.enum(["", "ds"]).optional() });
export const VnTaxOptionsSchema = z.strictObject({});
export const VnEinvoiceOptionsSchema = z.strictObject({});

const common = {
  document: bytes.optional(),
  hashAlgorithm: z.enum(HASH_ALGORITHMS).default("SHA-256"),
};
const documentOnly = <T extends z.ZodType>(options: T) => ({ ...common, document: bytes, options: options.default({} as never) });

export const SignRequestSchema = z.discriminatedUnion("format", [
  z.strictObject({ format: z.literal("raw"), ...common, hash: bytes.optional(), options: RawOptionsSchema.default({}) }),
  z.strictObject({ format: z.literal("cms"), ...common, hash: bytes.optional(), options: CmsOptionsSchema.default({}) }),
  z.strictObject({ format: z.literal("pades"), ...documentOnly(PadesOptionsSchema) }),
  z.strictObject({ format: z.literal("xades"), ...documentOnly(XadesOptionsSchema) }),
  z.strictObject({ format: z.literal("xmldsig"), ...documentOnly(XmlDsigOptionsSchema) }),
  z.strictObject({ format: z.literal("vn-tax"), ...documentOnly(VnTaxOptionsSchema) }),
  z.strictObject({ format: z.literal("vn-einvoice"), ...documentOnly(VnEinvoiceOptionsSchema) }),
]).refine(
  (r) => (r.format !== "raw" && r.format !== "cms") || (r.hash === undefined) !== (r.document === undefined),
  "exactly one of document and hash",
).refine(
  // A hash of the wrong length would only fail at the token, after the PIN: refuse it while the page can be told.
  (r) => !("hash" in r) || r.hash === undefined || r.hash.length === DIGEST_LENGTH[r.hashAlgorithm],
  { message: "hash length does not match hashAlgorithm (SHA-256: 32, SHA-384: 48, SHA-512: 64 bytes)", path: ["hash"] },
);

export type SigningRequest = z.output<typeof SignRequestSchema>;
export type SigningRequestInput = z.input<typeof SignRequestSchema>;
export type RawOptions = z.output<typeof RawOptionsSchema>;
export type CmsOptions = z.output<typeof CmsOptionsSchema>;
export type PadesOptions = z.output<typeof PadesOptionsSchema>;
export type StampOptions = z.output<typeof StampSchema>;
export type PresetOptions = z.output<typeof PresetSchema>;
export type XadesOptions = z.output<typeof XadesOptionsSchema>;
export type RequestOf<F extends SigningRequest["format"]> = Extract<SigningRequest, { format: F }>;

/**
 * Validates an untrusted request. A SHA-1 (or any unknown) hash algorithm is `unsupported_algorithm`, so the
 * portal learns why; every other shape problem is `invalid_params`.
 */
export function parseSigningRequest(input: unknown): SigningRequest {
  let candidate = input;
  if (typeof input === "object" && input !== null && "hashAlgorithm" in input) {
    const value = (input as { hashAlgorithm?: unknown }).hashAlgorithm;
    if (typeof value === "string") candidate = { ...input, hashAlgorithm: parseHashAlgorithm(value) };
  }
  const result = SignRequestSchema.safeParse(candidate);
  if (!result.success) throw new KysoError("invalid_params", z.prettifyError(result.error));
  return result.data;
}

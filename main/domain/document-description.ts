/**
 * What KySo itself read from a document, shown on the approval screen apart from the website's own words.
 * Produced by the signing formats' `describe()`; never trusted from the page. Text that the document asserts
 * about itself (a title, the name written in a signature dictionary) is kept under `claims`: it is the
 * document's word, shown labelled as such, never as KySo's reading.
 */
/** Why KySo found an existing PDF signature broken, or did not check it. */
export const SIGNATURE_INTEGRITY_REASONS = [
  "too-many-signatures",
  "unsupported-subfilter",
  "no-signature-value",
  "signature-too-large",
  "too-many-bytes",
  "unsupported-algorithm",
  "no-signed-attributes",
  "no-message-digest",
  "digest-mismatch",
  "certificate-unreadable",
  "signature-invalid",
  "byte-range-invalid",
  "not-cms",
  "encapsulated-content",
  "several-signers",
  "certificate-missing",
  "signing-certificate-mismatch",
] as const;

export type SignatureIntegrityReason = (typeof SIGNATURE_INTEGRITY_REASONS)[number];

export interface ExistingSignature {
  /** Qualified field name, from the field tree KySo walked. */
  readonly fieldName: string;
  /**
   * KySo's own cryptographic check: "intact" when the CMS signature over its signed attributes verifies with the
   * key of the embedded signer certificate and its message digest equals the hash of the /ByteRange bytes;
   * "broken" when either does not hold; "unsupported" when KySo did not check it (format, algorithm, limits).
   * Trust chain and revocation are NOT checked.
   */
  readonly integrity: "intact" | "broken" | "unsupported";
  /** Why it is broken or unsupported, as a key the UI words (`doc.sigReason.<reason>`). */
  readonly integrityReason?: SignatureIntegrityReason;
  /** The technical detail behind the reason (OIDs, sizes, the library's message): for support, not a sentence. */
  readonly integrityDetail?: string;
  /** Common name of the certificate whose key verified the signature (only when intact; the certificate itself is not trusted). */
  readonly signerName?: string;
  /**
   * What the /ByteRange covers: the whole file; the file up to the end of the revision this signature closed
   * (later updates are not covered); or something less (a gap other than the signature value).
   */
  readonly coverage?: "whole-file" | "revision" | "partial";
  /** What the signature dictionary says about itself: unverified. */
  readonly claims: { readonly name?: string; readonly signedAt?: string; readonly reason?: string; readonly location?: string };
}

/**
 * The fields the Vietnamese layouts' summaries may carry, in display order. Each name is a message key suffix
 * (`doc.field.<name>` in main/domain/messages): a test checks both languages label every one.
 */
export const XML_SUMMARY_FIELDS = [
  "taxCode",
  "taxpayerName",
  "taxForm",
  "taxPeriod",
  "filingNumber",
  "declaredOn",
  "invoiceSeries",
  "invoiceNumber",
  "issuedOn",
  "sellerName",
  "sellerTaxCode",
  "buyerName",
  "buyerTaxCode",
  "totalAmount",
  "totalInWords",
] as const;

export type XmlSummaryFieldName = (typeof XML_SUMMARY_FIELDS)[number];

/** Tax period unit (`kieuKy` of a tax declaration: D, M, Q, Y). */
export type TaxPeriodUnit = "day" | "month" | "quarter" | "year";

/**
 * A value as the document wrote it, typed so the renderer can format it (Intl) without parsing prose. A value that
 * does not match its type's syntax arrives as `text`, unchanged: the user sees what the document says, never a guess.
 */
export type XmlSummaryValue =
  /** Free text (names, amounts in words). `truncated`: cut at the core's length cap; the renderer marks it. */
  | { readonly type: "text"; readonly text: string; readonly truncated?: boolean }
  /** Vietnamese tax code (MST): 10 digits, optionally "-" and a 3-digit branch suffix. */
  | { readonly type: "taxCode"; readonly taxCode: string }
  /** ISO 8601 calendar date, `yyyy-mm-dd`. */
  | { readonly type: "date"; readonly date: string }
  /** Decimal amount exactly as written (no float rounding), with its ISO 4217 currency code when the document gives one. */
  | { readonly type: "amount"; readonly amount: string; readonly currency?: string }
  /** A small whole number (the filing number: 0 for the original declaration). */
  | { readonly type: "count"; readonly count: number }
  /** Tax period: unit and the period as written (`1/2025`, `03/2025`, `2025`). */
  | { readonly type: "taxPeriod"; readonly unit: TaxPeriodUnit; readonly period: string }
  /** Declaration form: its code (`842`) and its name (`01/GTGT`), either may be absent. */
  | { readonly type: "taxForm"; readonly code?: string; readonly name?: string };

export interface XmlSummaryField {
  readonly field: XmlSummaryFieldName;
  readonly value: XmlSummaryValue;
}

export type DocumentDescription =
  | {
      readonly kind: "pdf";
      readonly size: number;
      readonly sha256: string;
      /** Pages found by walking the page tree (and equal to its /Count). */
      readonly pageCount: number;
      readonly existingSignatures: readonly ExistingSignature[];
      /** What the document says about itself (/Info): unverified. */
      readonly claims: { readonly title?: string };
    }
  | {
      readonly kind: "xml";
      readonly size: number;
      readonly sha256: string;
      readonly rootElement: string;
      readonly layout: "vn-tax" | "vn-einvoice" | "generic";
      /**
       * Ordered fields read only inside the signed node: a field name (the renderer's label key `doc.field.<field>`)
       * and a typed raw value the renderer formats for the UI language. No label or formatted text comes from the core.
       */
      readonly summary: readonly XmlSummaryField[];
      /**
       * The identifier the signing certificate must carry, read inside the signed node: the taxpayer's MST of a
       * `vn-tax` declaration, the seller's of a `vn-einvoice` invoice (main/core/certificates `identityMismatch`).
       */
      readonly signerTaxCode?: string;
      readonly existingSignatures: number;
      /**
       * What the signature will cover, resolved by the same function the signer uses: the element a `#Id`
       * reference names (the summary is read inside it only), or the whole document (`URI=""`).
       */
      readonly signedNode: { readonly localName: string; readonly id?: string; readonly wholeDocument: boolean };
    }
  | {
      readonly kind: "hash";
      readonly hashAlgorithm: string;
      readonly hex: string;
    }
  | {
      readonly kind: "data";
      readonly size: number;
      readonly sha256: string;
      /** The first characters when the data is valid UTF-8 text, so the user can read what they sign. */
      readonly textPreview?: string;
    };

/**
 * What KySo itself read from a document, shown on the approval screen apart from the website's own words.
 * Produced by the signing formats' `describe()`; never trusted from the page. Text that the document asserts
 * about itself (a title, the name written in a signature dictionary) is kept under `claims`: it is the
 * document's word, shown labelled as such, never as KySo's reading.
 */
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
  /** Why it is broken or unsupported. */
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
      /** Ordered label → value pairs in Vietnamese field names (tax code, form, period, invoice number, ...), read only inside the signed node. */
      readonly summary: readonly { readonly key: string; readonly value: string }[];
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

/**
 * What KySo itself read from a document, shown on the approval screen apart from the website's own words.
 * Produced by the signing formats' `describe()`; never trusted from the page.
 */
export interface ExistingSignature {
  readonly fieldName: string;
  readonly signerName?: string;
  readonly signedAt?: string;
}

export type DocumentDescription =
  | {
      readonly kind: "pdf";
      readonly size: number;
      readonly sha256: string;
      readonly pageCount: number;
      readonly existingSignatures: readonly ExistingSignature[];
      readonly title?: string;
    }
  | {
      readonly kind: "xml";
      readonly size: number;
      readonly sha256: string;
      readonly rootElement: string;
      readonly layout: "vn-tax" | "vn-einvoice" | "generic";
      /** Ordered label → value pairs in Vietnamese field names (tax code, form, period, invoice number, ...), read only inside the signed node. */
      readonly summary: readonly { readonly key: string; readonly value: string }[];
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

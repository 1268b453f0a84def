/** What every verifier takes (verifyPdf, verifyXml, verifyCms, verifyDocument). Plain data except `online`. */
import type { TrustAnchor } from "../certificates/trust/index.js";
import type { RevocationLookupService } from "./revocation-evidence.js";

export interface VerifyOptions {
  /** Trust anchors (loadAnchors: the bundled national roots plus policy and user files). */
  readonly anchors: readonly TrustAnchor[];
  /** Extra intermediates (DER) besides those in the signature and the document. */
  readonly intermediates?: readonly Uint8Array[];
  /** The validation ("current") time; default now. */
  readonly now?: Date;
  /** Revocation data the caller holds (DER CRLs, OCSPResponses), used after what the document carries. */
  readonly revocationData?: { readonly crls?: readonly Uint8Array[]; readonly ocspResponses?: readonly Uint8Array[] };
  /** Ask this service when the document carries no usable revocation data (online; off by default). */
  readonly online?: RevocationLookupService;
  /** The content a detached CMS (`.p7s`) signs; ignored for PDF, XML and an attached CMS. */
  readonly detachedContent?: Uint8Array;
}

/** The VGCA adapter's `Status` numbers (docs/compatibility.md), shared by the wire and the file-flow plan. */

/**
 * `Status` values. The notes record only "0 = success, non-zero with `Message`"; these non-zero values are KySo's
 * own, one per class of failure, so a portal's generic "Status != 0 → show Message" handling works.
 */
export const VGCA_STATUS = {
  ok: 0,
  cancelled: 1,
  noCertificate: 2,
  invalidInput: 3,
  busy: 4,
  notSupported: 5,
  notAllowed: 6,
  /** A verification that ran and found the document TOTAL-FAILED (a signature is not valid). */
  signatureInvalid: 7,
  /** A verification that ran and could not decide (INDETERMINATE: no trusted chain, no revocation data...). */
  indeterminate: 8,
  failed: 9,
} as const;

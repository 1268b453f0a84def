/**
 * The two Vietnamese national roots (shared/notes/vietnam.md): the subject and SHA-256 fingerprint NEAC and Ban Cơ
 * yếu Chính phủ publish, and the bundled certificates themselves (national-root-pems.ts, checked against these
 * fingerprints by a unit test). An anchor whose fingerprint matches one of these gets the national root's id (the UI names it:
 * `trust.root.<id>` in main/domain/messages); a
 * certificate that merely carries the same subject name does not (chains are matched by key and fingerprint,
 * never by name).
 */
import { VN_GOV_ROOT_CA_G2_PEM, VN_NATIONAL_ROOT_CA_PEM } from "./national-root-pems.js";

export type NationalRootId = "vn-national-root" | "vn-gov-root-g2";

export interface NationalRoot {
  readonly id: NationalRootId;
  readonly subject: string;
  /** SHA-256 of the DER certificate, lower-case hex without separators. */
  readonly fingerprintSha256: string;
  readonly validity: string;
}

const hex = (colons: string): string => colons.replace(/:/g, "").toLowerCase();

export const NATIONAL_ROOTS: readonly NationalRoot[] = [
  {
    id: "vn-national-root",
    subject:
      "CN=Vietnam National Root CA, OU=National Centre of Digital Signature Authentication, O=Ministry of Information and Communications, C=VN",
    fingerprintSha256: hex("BA:C8:BF:60:9A:B4:20:A8:EE:17:80:D7:4F:4D:E5:C7:F7:18:49:59:D2:A7:37:5B:0A:75:E4:C2:9F:09:08:E7"),
    validity: "2014-2039",
  },
  {
    id: "vn-gov-root-g2",
    subject: "CN=RootCA chuyên dùng Chính phủ G2, O=Ban Cơ yếu Chính phủ, C=VN",
    fingerprintSha256: hex("F0:4B:A4:B4:59:A7:C9:A1:B9:71:AD:9B:1C:B8:33:E6:95:A8:0C:79:AE:A6:3B:17:4B:66:A7:0E:DF:E2:FD:B8"),
    validity: "2018-2048",
  },
];

/**
 * The bundled root certificates (PEM), loaded as anchors by default (`loadAnchors`, `bundled: true`). Their
 * fingerprints are checked against NATIONAL_ROOTS (test: revocation-parts.test.ts "bundled PEMs are the two
 * national roots").
 */
export const BUNDLED_ANCHOR_PEMS: readonly string[] = [VN_NATIONAL_ROOT_CA_PEM, VN_GOV_ROOT_CA_G2_PEM];

export function nationalRootByFingerprint(fingerprintSha256: string): NationalRoot | undefined {
  const wanted = fingerprintSha256.replace(/:/g, "").toLowerCase();
  return NATIONAL_ROOTS.find((root) => root.fingerprintSha256 === wanted);
}

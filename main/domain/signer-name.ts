import type { DistinguishedName } from "./certificate.js";

/** Attributes that identify but do not name: never the signer's name on a stamp (UID carries `MST:...`). */
const NOT_A_NAME = new Set(["0.9.2342.19200300.100.1.1", "2.5.4.5", "2.5.4.6", "1.2.840.113549.1.9.1"]);

/**
 * The signer's name as KySo writes it into a signature (/Name, the stamp's "Ký bởi:") and shows it in the approval:
 * the CN, else the organisation, else the first attribute that is a readable name, never the whole subject with
 * raw OIDs (an organisation certificate without a CN printed `0.9.2342.19200300.100.1.1=MST:...`).
 */
export function signerDisplayName(subject: DistinguishedName): string {
  const named = subject.attributes.find((a) => a.name !== undefined && !NOT_A_NAME.has(a.oid) && a.value.trim() !== "");
  return subject.commonName ?? subject.organization ?? named?.value ?? subject.text;
}

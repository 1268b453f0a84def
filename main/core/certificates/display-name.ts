import type { DistinguishedName } from "../../domain/certificate.js";

/** OIDs whose values are identifiers, not names: skipped when looking for a readable attribute. */
const NOT_A_NAME = new Set(["2.5.4.6", "0.9.2342.19200300.100.1.1", "2.5.4.5", "1.2.840.113549.1.9.1"]);

/**
 * The name a person recognises a certificate by: its common name, else its organisation, else the first readable
 * attribute (not a country code, serial or the MST/CCCD identifier attribute), else the RFC 4514 text.
 */
export function certificateDisplayName(subject: DistinguishedName): string {
  if (subject.commonName?.trim()) return subject.commonName.trim();
  if (subject.organization?.trim()) return subject.organization.trim();
  const readable = subject.attributes.find((a) => !NOT_A_NAME.has(a.oid) && a.value.trim() !== "");
  return readable?.value.trim() ?? subject.text;
}

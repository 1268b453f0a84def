/**
 * The one name KySo shows for a certificate, on screen and in the visible PDF stamp ("Ký bởi: <name>"), so the
 * user reads on the page exactly what they chose in the approval (issue 12): the subject's CN, else its O, else
 * the first readable attribute. Never a raw OID: an attribute KySo has no short name for is skipped, and the
 * Vietnamese identifiers in UID (`MST:0101234567`) read as `MST: 0101234567`.
 */
import type { DistinguishedName } from "./certificate.js";

/** Attributes that name nobody (a country, a domain component) are not a display name on their own. */
const NOT_A_NAME = new Set(["C", "DC"]);
/** Identifiers (UID carries `MST:`/`CCCD:`, serialNumber, e-mail): a name only when nothing else names the holder. */
const IDENTIFIERS = new Set(["UID", "serialNumber", "E", "emailAddress"]);

export function certificateDisplayName(subject: DistinguishedName): string {
  const clean = (value: string | undefined): string | undefined => {
    const trimmed = value?.replace(/\s+/g, " ").trim();
    return trimmed ? trimmed : undefined;
  };
  const named = clean(subject.commonName) ?? clean(subject.organization);
  if (named) return named;
  // A naming attribute (OU, L, ...) first, then an identifier made readable; an attribute without a short name
  // (only an OID) is never shown by its OID.
  for (const identifiers of [false, true]) {
    for (const attribute of subject.attributes) {
      if (!attribute.name || NOT_A_NAME.has(attribute.name) || IDENTIFIERS.has(attribute.name) !== identifiers) continue;
      const value = clean(attribute.value);
      if (!value) continue;
      return attribute.name === "UID" ? readableIdentifier(value) : value;
    }
  }
  // Nothing readable: the first non-empty value (a value, never its OID), else nothing to show but a dash.
  return subject.attributes.map((a) => clean(a.value)).find((v) => v !== undefined) ?? "—";
}

/** `MST:0101234567` → `MST: 0101234567` (the prefixes of Vietnamese certificates, see VietnameseIdentifiers). */
function readableIdentifier(value: string): string {
  const match = /^([A-Za-z]{2,5})\s*:\s*(.+)$/.exec(value);
  return match ? `${match[1]!.toUpperCase()}: ${match[2]}` : value;
}

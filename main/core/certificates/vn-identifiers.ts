/**
 * Vietnamese identifiers in the subject's UID attributes (shared/notes/vietnam.md): `MST:` tax code (10 digits,
 * or 10-3 for a branch), `CCCD:` 12-digit citizen ID, `CMND:` old 9-digit ID, `HC:` passport, `MNS:` state-budget
 * unit code. A certificate can carry several UID values; the first of each kind wins.
 */
import type { DistinguishedName, VietnameseIdentifiers } from "../../domain/certificate.js";
import { UID_OID } from "./distinguished-name.js";

const PREFIXES: readonly (readonly [string, keyof VietnameseIdentifiers])[] = [
  ["MST", "taxCode"],
  ["CCCD", "personalId"],
  ["CMND", "oldPersonalId"],
  ["HC", "passport"],
  ["MNS", "budgetCode"],
];

/** Parses UID values like "MST:0101234567" (prefix case and spaces around ":" tolerated). */
export function vietnameseIdentifiers(subject: DistinguishedName): VietnameseIdentifiers {
  const found: Partial<Record<keyof VietnameseIdentifiers, string>> = {};
  for (const attribute of subject.attributes) {
    if (attribute.oid !== UID_OID) continue;
    const match = /^\s*([A-Za-z]+)\s*:\s*(.+?)\s*$/.exec(attribute.value);
    if (!match) continue;
    const prefix = (match[1] ?? "").toUpperCase();
    const field = PREFIXES.find(([name]) => name === prefix)?.[1];
    if (field && found[field] === undefined) found[field] = match[2];
  }
  return found;
}

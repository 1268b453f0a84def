/**
 * X.501 Name → DistinguishedName, by OID (never by parsing the DN string: Vietnamese values contain commas and
 * the UID attribute prints as a bare OID in most tools). Values are decoded from their ASN.1 string type, so
 * UTF8String Vietnamese names stay readable.
 */
import "reflect-metadata";
import type * as x509 from "@peculiar/x509";
import type { DistinguishedName } from "../../domain/certificate.js";

/** Short names for the attributes Vietnamese certificates use (RFC 4519, RFC 4514, PKCS#9). */
export const ATTRIBUTE_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "SERIALNUMBER",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "STREET",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "T",
  "2.5.4.42": "GN",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "E",
};

export const UID_OID = "0.9.2342.19200300.100.1.1";

interface AttributeTypeAndValueLike {
  readonly type: string;
  readonly value: { toString(): string };
}

export function distinguishedName(name: x509.Name): DistinguishedName {
  const rdns = (name as unknown as { asn: readonly (readonly AttributeTypeAndValueLike[])[] }).asn;
  const attributes = Array.from(rdns).flatMap((rdn) =>
    Array.from(rdn, (atv) => {
      const short = ATTRIBUTE_NAMES[atv.type];
      return { oid: atv.type, ...(short ? { name: short } : {}), value: atv.value.toString() };
    }),
  );
  const first = (oid: string): string | undefined => attributes.find((attribute) => attribute.oid === oid)?.value;
  const optional = (key: string, oid: string): Record<string, string> => {
    const value = first(oid);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    text: attributes.map((attribute) => `${attribute.name ?? attribute.oid}=${escapeValue(attribute.value)}`).join(", "),
    ...optional("commonName", "2.5.4.3"),
    ...optional("organization", "2.5.4.10"),
    ...optional("organizationalUnit", "2.5.4.11"),
    ...optional("locality", "2.5.4.7"),
    ...optional("state", "2.5.4.8"),
    ...optional("country", "2.5.4.6"),
    attributes,
  };
}

/** RFC 4514 §2.4 escaping of the characters that would change the structure; everything else stays as is. */
function escapeValue(value: string): string {
  return value.replace(/([,+"\\<>;])/g, "\\$1").replace(/^([ #])/, "\\$1").replace(/ $/, "\\ ");
}

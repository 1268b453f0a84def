/**
 * The local CA's `nameConstraints` (RFC 5280 4.2.1.10), critical: only `127.0.0.1`, `::1` and `localhost` are
 * permitted. The CA's key is discarded once the leaf is issued, so no one can issue under it; the constraint is the
 * second wall, for the per-machine install where the CA sits in the machine's trust store: even a certificate made
 * with a leaked key would be refused by every verifier for any other name (docs/threat-model.md, "Local TLS").
 *
 * A DNS constraint also permits subdomains (`x.localhost`), which browsers resolve to loopback too (RFC 6761).
 *
 * Encoded by hand (a few fixed bytes) because @peculiar/x509 has no class for it.
 */
import * as x509 from "@peculiar/x509";

const NAME_CONSTRAINTS_OID = "2.5.29.30";

function tlv(tag: number, body: Uint8Array): Uint8Array {
  // Lengths here are all < 128 (short form) except the outer ones, which stay well under 256.
  const length = body.length < 0x80 ? [body.length] : [0x81, body.length];
  return Uint8Array.from([tag, ...length, ...body]);
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** GeneralSubtree { base GeneralName } with the default minimum 0 and no maximum. */
const subtree = (generalName: Uint8Array) => tlv(0x30, generalName);

function loopbackNameConstraintsDer(): Uint8Array {
  const ipv4 = tlv(0x87, Uint8Array.from([127, 0, 0, 1, 255, 255, 255, 255]));
  const ipv6 = tlv(0x87, Uint8Array.from([...new Array<number>(15).fill(0), 1, ...new Array<number>(16).fill(0xff)]));
  const localhost = tlv(0x82, new TextEncoder().encode("localhost"));
  const permitted = tlv(0xa0, concat(subtree(ipv4), subtree(ipv6), subtree(localhost)));
  return tlv(0x30, permitted);
}

export function loopbackNameConstraints(): x509.Extension {
  return new x509.Extension(NAME_CONSTRAINTS_OID, true, loopbackNameConstraintsDer());
}

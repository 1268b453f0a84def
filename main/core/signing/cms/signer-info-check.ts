/**
 * The parts of checking a CMS SignerInfo that both readers of a PDF's signatures share: the describer that shows a
 * document's existing signatures before KySo signs it (signing/pdf/existing-signatures.ts) and the verifier of a
 * received document (verify/cms-check.ts). Each keeps its own verdicts: the describer refuses SHA-1 and words a
 * refusal for the user; the verifier checks SHA-1 too and reports it.
 */
import { createHash, verify, constants, type KeyObject } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { HASH_CHUNK_BYTES } from "../limits.js";

const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
const OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4";
export const OID_SIGNING_CERTIFICATE_V2 = "1.2.840.113549.1.9.16.2.47";
const OID_SHA1 = "1.3.14.3.2.26";

/** Digest algorithm OIDs as node:crypto hash names, SHA-1 included (a caller that refuses it filters it out). */
export const HASH_BY_OID: Readonly<Record<string, string>> = {
  [OID_SHA1]: "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

/** How a signature algorithm OID verifies; without `hash`, with the SignerInfo's digest algorithm. */
export type SignatureVerifyScheme = { readonly kind: "pkcs1" | "ecdsa"; readonly hash?: string } | { readonly kind: "pss" };
export const SCHEME_BY_OID: Readonly<Record<string, SignatureVerifyScheme>> = {
  "1.2.840.113549.1.1.1": { kind: "pkcs1" },
  "1.2.840.113549.1.1.5": { kind: "pkcs1", hash: "sha1" },
  "1.2.840.113549.1.1.11": { kind: "pkcs1", hash: "sha256" },
  "1.2.840.113549.1.1.12": { kind: "pkcs1", hash: "sha384" },
  "1.2.840.113549.1.1.13": { kind: "pkcs1", hash: "sha512" },
  "1.2.840.113549.1.1.10": { kind: "pss" },
  "1.2.840.10045.2.1": { kind: "ecdsa" },
  "1.2.840.10045.4.1": { kind: "ecdsa", hash: "sha1" },
  "1.2.840.10045.4.3.2": { kind: "ecdsa", hash: "sha256" },
  "1.2.840.10045.4.3.3": { kind: "ecdsa", hash: "sha384" },
  "1.2.840.10045.4.3.4": { kind: "ecdsa", hash: "sha512" },
};

/** A CMS ContentInfo holding SignedData; throws an Error saying why not. */
export function parseSignedData(cms: Uint8Array): pkijs.SignedData {
  // /Contents is zero-padded after the DER: parse one value and ignore the padding.
  const asn1 = asn1js.fromBER(cms.slice().buffer);
  if (asn1.offset === -1) throw new Error(asn1.result.error);
  const info = new pkijs.ContentInfo({ schema: asn1.result });
  if (info.contentType !== OID_SIGNED_DATA) throw new Error(`content type ${info.contentType}`);
  return new pkijs.SignedData({ schema: info.content });
}

/** The signer is named by issuer and serial, or by [0] subjectKeyIdentifier (RFC 5652 §5.3). */
export function findSigner(signerInfo: pkijs.SignerInfo, certs: readonly pkijs.Certificate[]): pkijs.Certificate | undefined {
  const sid = signerInfo.sid;
  const sidKey = sid instanceof pkijs.IssuerAndSerialNumber ? undefined : (sid as { valueBlock?: { valueHexView?: Uint8Array } }).valueBlock?.valueHexView;
  return certs.find((c) => {
    if (sid instanceof pkijs.IssuerAndSerialNumber) return c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber);
    const ski = c.extensions?.find((e) => e.extnID === "2.5.29.14")?.parsedValue;
    return sidKey !== undefined && ski instanceof asn1js.OctetString && Buffer.from(ski.valueBlock.valueHexView).equals(Buffer.from(sidKey));
  });
}

/** The hash of the exact /ByteRange bytes, read in chunks (never the whole file at once). */
export function hashByteRange(source: { read(offset: number, length: number): Uint8Array }, [o1, l1, o2, l2]: readonly [number, number, number, number], hashName: string): Buffer {
  const hash = createHash(hashName);
  for (const [offset, length] of [[o1, l1], [o2, l2]] as const) {
    for (let at = 0; at < length; at += HASH_CHUNK_BYTES) hash.update(source.read(offset + at, Math.min(HASH_CHUNK_BYTES, length - at)));
  }
  return hash.digest();
}

/** Whether the messageDigest signed attribute holds `digest`, or the attribute is missing. */
export function messageDigestMatches(attrs: pkijs.SignedAndUnsignedAttributes, digest: Uint8Array): boolean | "missing" {
  const messageDigest = attrs.attributes.find((a) => a.type === OID_MESSAGE_DIGEST)?.values[0];
  if (!(messageDigest instanceof asn1js.OctetString)) return "missing";
  return Buffer.from(messageDigest.valueBlock.valueHexView).equals(digest);
}

/**
 * ESS signingCertificateV2: whether the first ESSCertIDv2's hash (default SHA-256) is the signer certificate's.
 * `not-checked` when it is made with a hash `hashOf` does not know (as OpenSSL does); `unreadable` when it does not
 * parse or has no certHash.
 */
export function essCertificateMatch(value: unknown, certDer: Uint8Array, hashOf: (oid: string) => string | undefined): "match" | "mismatch" | "not-checked" | "unreadable" {
  try {
    const first = ((value as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
    const parts = first.valueBlock.value;
    let hashName = "sha256";
    let hashValue = parts[0];
    if (parts[0] instanceof asn1js.Sequence) {
      const named = hashOf((parts[0].valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString());
      if (!named) return "not-checked";
      hashName = named;
      hashValue = parts[1];
    }
    if (!(hashValue instanceof asn1js.OctetString)) return "unreadable";
    return Buffer.from(hashValue.valueBlock.valueHexView).equals(createHash(hashName).update(certDer).digest()) ? "match" : "mismatch";
  } catch {
    return "unreadable";
  }
}

/** The bytes a SignerInfo's signature covers: the signed attributes as a DER SET. */
export function signedAttributesBytes(attrs: pkijs.SignedAndUnsignedAttributes): Uint8Array {
  const signed = new Uint8Array(attrs.encodedValue.slice(0));
  signed[0] = 0x31; // [0] IMPLICIT in the SignerInfo, a SET when signed (RFC 5652 §5.4)
  return signed;
}

/**
 * Verifies the SignerInfo's signature over `signed` (its signed attributes) with `key` under `scheme`. A scheme that
 * names no hash uses `digestHash` (the SignerInfo's digest algorithm); RSASSA-PSS takes the hash its parameters name,
 * as `pssHash` maps it (which may throw the caller's refusal). Throws what node:crypto throws.
 */
export function verifySignerSignature(
  signerInfo: pkijs.SignerInfo,
  scheme: SignatureVerifyScheme,
  digestHash: string,
  pssHash: (oid: string) => string,
  signed: Uint8Array,
  key: KeyObject,
): boolean {
  const value = new Uint8Array(signerInfo.signature.valueBlock.valueHexView);
  if (scheme.kind === "pss") {
    const params = new pkijs.RSASSAPSSParams({ schema: signerInfo.signatureAlgorithm.algorithmParams });
    return verify(pssHash(params.hashAlgorithm.algorithmId), signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, value);
  }
  if (scheme.kind === "ecdsa") return verify(scheme.hash ?? digestHash, signed, { key, dsaEncoding: "der" }, value);
  return verify(scheme.hash ?? digestHash, signed, { key, padding: constants.RSA_PKCS1_PADDING }, value);
}

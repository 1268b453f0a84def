/**
 * The cryptographic checks of one ds:Signature (EN 319 102-1 §5.2.3 and §5.2.7 for XML): every Reference's digest
 * (xml-references.ts), the SignatureValue over the canonical SignedInfo with the KeyInfo certificate, the XAdES
 * SigningCertificate(V2) binding, the claimed SigningTime (XAdES, or the SignatureProperty the Vietnamese layouts
 * use), the SignatureTimeStamp's imprint, and the validation data XAdES carries (CertificateValues,
 * RevocationValues). The result has the shape of a CMS check so the same verdict rules apply (verdict.ts).
 */
import { constants, createHash, verify, X509Certificate } from "node:crypto";
import type { Document, Element } from "@xmldom/xmldom";
import { DSIG_NS } from "../signing/xml/safe-xml.js";
import { readTimestampToken, type CmsCheck } from "./cms-check.js";
import type { VerificationResult, XmlReferenceReport } from "../../domain/wire/verify-report.js";
import { C14N, CANONICALIZATIONS, canonicalize } from "./xml-canonical.js";
import { base64Bytes, checkReference, childNS, childrenNS, DIGEST_METHODS, textOf, type IdIndex } from "./xml-references.js";

export const XADES_NS = "http://uri.etsi.org/01903/v1.3.2#";
/** ds:References per signature: each may canonicalise the whole document, so the count bounds the work. */
export const MAX_XML_REFERENCES = 64;

type Method = { readonly kind: "pkcs1" | "ecdsa" | "pss"; readonly hash: string };
const MORE = "http://www.w3.org/2001/04/xmldsig-more#";
const MORE07 = "http://www.w3.org/2007/05/xmldsig-more#";
const SIGNATURE_METHODS: Readonly<Record<string, Method>> = {
  "http://www.w3.org/2000/09/xmldsig#rsa-sha1": { kind: "pkcs1", hash: "sha1" },
  [`${MORE}rsa-sha256`]: { kind: "pkcs1", hash: "sha256" },
  [`${MORE}rsa-sha384`]: { kind: "pkcs1", hash: "sha384" },
  [`${MORE}rsa-sha512`]: { kind: "pkcs1", hash: "sha512" },
  [`${MORE}ecdsa-sha1`]: { kind: "ecdsa", hash: "sha1" },
  [`${MORE}ecdsa-sha256`]: { kind: "ecdsa", hash: "sha256" },
  [`${MORE}ecdsa-sha384`]: { kind: "ecdsa", hash: "sha384" },
  [`${MORE}ecdsa-sha512`]: { kind: "ecdsa", hash: "sha512" },
  // RFC 6931 §2.3.10: MGF1 with the same hash, salt as long as the hash.
  [`${MORE07}sha256-rsa-MGF1`]: { kind: "pss", hash: "sha256" },
  [`${MORE07}sha384-rsa-MGF1`]: { kind: "pss", hash: "sha384" },
  [`${MORE07}sha512-rsa-MGF1`]: { kind: "pss", hash: "sha512" },
};
const HASH_BYTES: Readonly<Record<string, number>> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

export interface XmlSignatureCheck {
  readonly check: CmsCheck;
  readonly formatResult?: VerificationResult;
  readonly references: readonly XmlReferenceReport[];
  /** The nodes the references resolved to (document parts only: not the signature's own objects). */
  readonly covered: readonly (Document | Element)[];
  readonly claimedSigningTime?: Date;
  readonly xadesCrls: readonly Uint8Array[];
  readonly xadesOcsps: readonly Uint8Array[];
}

const EMPTY: CmsCheck = { certificates: [], crls: [], ocspResponses: [], hash: "not-checked", signature: "not-checked", sha1: false };
const malformed = (detail: string): VerificationResult => ({ indication: "TOTAL-FAILED", subIndication: "FORMAT_FAILURE", reason: "xmlSignatureMalformed", detail });

function verifySignatureValue(der: Uint8Array, method: Method, data: Uint8Array, value: Uint8Array): boolean {
  try {
    const key = new X509Certificate(der).publicKey;
    if (method.kind === "ecdsa") return verify(method.hash, data, { key, dsaEncoding: "ieee-p1363" }, value);
    if (method.kind === "pss") return verify(method.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[method.hash]! }, value);
    return verify(method.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, value);
  } catch {
    return false;
  }
}

const parsesAsCertificate = (der: Uint8Array): boolean => {
  try {
    new X509Certificate(der);
    return true;
  } catch {
    return false;
  }
};

/** Every `EncapsulatedX` (base64 DER) below `parent/path…`. */
function encapsulated(parent: Element | undefined, container: string, item: string): Uint8Array[] {
  const box = childNS(parent, XADES_NS, container);
  return box ? childrenNS(box, XADES_NS, item).flatMap((e) => base64Bytes(textOf(e)) ?? []) : [];
}

/** xs:dateTime; without an offset it is Vietnam local time, as the tax and e-invoice layouts write it (UTC+7). */
export function xmlDateTime(text: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/.exec(text.trim());
  if (!m) return undefined;
  const date = new Date(`${m[1]}${m[2] ?? "+07:00"}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function inside(nodes: readonly (Document | Element)[], element: Element): boolean {
  return nodes.some((n) => {
    for (let e: Element | null = element; e; e = e.parentNode as Element | null) if (e === n) return true;
    return false;
  });
}

/** The first element named `localName` (any namespace) below `root`, depth-first, bounded by the tree limits. */
function findLocal(root: Element, localName: string): Element | undefined {
  const found = root.getElementsByTagNameNS("*", localName);
  return found.length > 0 ? (found.item(0) as Element) : undefined;
}

export function checkXmlSignature(doc: Document, signature: Element, ids: IdIndex): XmlSignatureCheck {
  const none = { references: [], covered: [], xadesCrls: [], xadesOcsps: [] };
  const signedInfo = childNS(signature, DSIG_NS, "SignedInfo");
  const valueEl = childNS(signature, DSIG_NS, "SignatureValue");
  const value = base64Bytes(textOf(valueEl));
  if (!signedInfo || !valueEl || !value) return { ...none, check: { ...EMPTY, problem: "not-cms" }, formatResult: malformed("no SignedInfo or SignatureValue") };
  const referenceEls = childrenNS(signedInfo, DSIG_NS, "Reference");
  if (referenceEls.length === 0 || referenceEls.length > MAX_XML_REFERENCES) {
    return { ...none, check: { ...EMPTY, problem: "not-cms" }, formatResult: malformed(`${referenceEls.length} references (1 to ${MAX_XML_REFERENCES} are checked)`) };
  }

  // Validation data the signature carries: KeyInfo certificates, XAdES CertificateValues and RevocationValues.
  const keyInfoCerts = childrenNS(signature, DSIG_NS, "KeyInfo")
    .flatMap((k) => childrenNS(k, DSIG_NS, "X509Data"))
    .flatMap((d) => childrenNS(d, DSIG_NS, "X509Certificate"))
    .flatMap((c) => base64Bytes(textOf(c)) ?? [])
    .filter(parsesAsCertificate);
  const qualifying = childrenNS(signature, DSIG_NS, "Object").flatMap((o) => childrenNS(o, XADES_NS, "QualifyingProperties"))[0];
  const signedProps = childNS(qualifying, XADES_NS, "SignedProperties");
  const signedSigProps = childNS(signedProps, XADES_NS, "SignedSignatureProperties");
  const unsignedSigProps = childNS(childNS(qualifying, XADES_NS, "UnsignedProperties"), XADES_NS, "UnsignedSignatureProperties");
  const certificateValues = encapsulated(unsignedSigProps, "CertificateValues", "EncapsulatedX509Certificate").filter(parsesAsCertificate);
  const revocationValues = childNS(unsignedSigProps, XADES_NS, "RevocationValues");
  const xadesCrls = encapsulated(revocationValues, "CRLValues", "EncapsulatedCRLValue");
  const xadesOcsps = encapsulated(revocationValues, "OCSPValues", "EncapsulatedOCSPValue");

  // References.
  const outcomes = referenceEls.map((r) => checkReference(doc, signature, r, ids));
  const references = outcomes.map((o) => o.report);
  const covered = outcomes.flatMap((o) => (o.node && (o.report.scope === "whole-document" || o.report.scope === "element") ? [o.node] : []));
  const signedObjects = outcomes.flatMap((o) => (o.node && o.report.scope !== "unresolved" ? [o.node] : []));
  const digests = references.map((r) => r.digest);
  const hash = digests.includes("invalid") ? "invalid" : digests.every((d) => d === "valid") ? "valid" : "not-checked";
  // An unusable reference wins, unless another one already proves the content changed (HASH_FAILURE is final).
  const problems = outcomes.flatMap((o) => (o.problem ? [o.problem] : []));
  const formatResult = problems.find((p) => p.indication === "TOTAL-FAILED") ?? (hash === "invalid" ? undefined : problems[0]);

  // SignedInfo: canonicalization and signature method.
  const c14n = childNS(signedInfo, DSIG_NS, "CanonicalizationMethod")?.getAttribute("Algorithm") ?? "";
  const methodUri = childNS(signedInfo, DSIG_NS, "SignatureMethod")?.getAttribute("Algorithm") ?? "";
  const method = SIGNATURE_METHODS[methodUri];
  const sha1 = outcomes.some((o) => o.sha1) || method?.hash === "sha1";

  // The signing certificate: the one XAdES SigningCertificate(V2) names, else the KeyInfo certificate whose key
  // verifies (a KeyInfo may carry the chain in any order), else the first.
  const candidates = [...keyInfoCerts, ...certificateValues];
  const certDigests = (signedSigProps ? [...childrenNS(signedSigProps, XADES_NS, "SigningCertificateV2"), ...childrenNS(signedSigProps, XADES_NS, "SigningCertificate")] : [])
    .flatMap((sc) => childrenNS(sc, XADES_NS, "Cert"))
    .flatMap((cert) => {
      const digest = childNS(cert, XADES_NS, "CertDigest");
      const hashName = DIGEST_METHODS[childNS(digest, DSIG_NS, "DigestMethod")?.getAttribute("Algorithm") ?? ""];
      const bytes = base64Bytes(textOf(childNS(digest, DSIG_NS, "DigestValue")));
      return hashName && bytes ? [{ hashName, bytes }] : [];
    });
  const signedInfoOctets = CANONICALIZATIONS.has(c14n) ? canonicalize(signedInfo, { algorithm: c14n }) : undefined;
  const verifies = (der: Uint8Array): boolean => method !== undefined && signedInfoOctets !== undefined && verifySignatureValue(der, method, signedInfoOctets, value);
  let problem: CmsCheck["problem"];
  let signer: Uint8Array | undefined;
  if (certDigests.length > 0) {
    const named = candidates.filter((c) => certDigests.some((d) => createHash(d.hashName).update(c).digest().equals(Buffer.from(d.bytes))));
    signer = named.find(verifies) ?? named[0];
    if (!signer) problem = "signing-certificate-mismatch";
  } else signer = keyInfoCerts.find(verifies) ?? keyInfoCerts[0];
  signer ??= keyInfoCerts[0];
  if (!signer) problem = "signer-certificate-missing";
  let detail: string | undefined;
  if (!problem && (!method || !signedInfoOctets)) {
    problem = "unsupported-algorithm";
    detail = !method ? `signature ${methodUri}` : `canonicalization ${c14n}`;
  }
  const signatureOk = signer !== undefined && verifies(signer);

  // The claimed signing time counts only when a reference signs it.
  const timeEl = (signedSigProps && childNS(signedSigProps, XADES_NS, "SigningTime")) ?? childrenNS(signature, DSIG_NS, "Object").map((o) => findLocal(o, "SigningTime")).find(Boolean);
  const claimedSigningTime = timeEl && inside(signedObjects, timeEl) ? xmlDateTime(textOf(timeEl)) : undefined;

  // Signature timestamp (XAdES EN 319 132-1 §5.3): over the canonical ds:SignatureValue element, inclusive C14N
  // unless the timestamp names another.
  const stamp = childNS(unsignedSigProps, XADES_NS, "SignatureTimeStamp");
  const token = base64Bytes(textOf(childNS(stamp, XADES_NS, "EncapsulatedTimeStamp")));
  const stampC14n = childNS(stamp, DSIG_NS, "CanonicalizationMethod")?.getAttribute("Algorithm") ?? C14N;
  const timestamp = token && CANONICALIZATIONS.has(stampC14n) ? readTimestampToken(token, canonicalize(valueEl, { algorithm: stampC14n })) : undefined;

  const check: CmsCheck = {
    ...(problem ? { problem } : {}),
    ...(detail ? { detail } : {}),
    ...(signer ? { signerCertificate: signer } : {}),
    certificates: candidates.filter((c) => c !== signer),
    crls: [],
    ocspResponses: [],
    ...(method ? { hashAlgorithm: method.hash } : {}),
    hash,
    signature: method && signedInfoOctets && signer ? (signatureOk ? "valid" : "invalid") : "not-checked",
    ...(timestamp ? { timestamp } : {}),
    sha1,
  };
  return { check, ...(formatResult ? { formatResult } : {}), references, covered, ...(claimedSigningTime ? { claimedSigningTime } : {}), xadesCrls, xadesOcsps };
}

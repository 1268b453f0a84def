/**
 * CRL client: fetch a CRL from a distribution point (DER or PEM: NEAC serves PEM), accept it only when the
 * certificate's issuer signed it (a CRL signed by any other key is ignored), it is current (thisUpdate/nextUpdate
 * within CRL_CLOCK_SKEW_MS) and it is a complete, direct CRL; then look the serial up.
 */
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { boundedFetch, type FetchOptions } from "./bounded-fetch.js";
import { OCSP_CLOCK_SKEW_MS } from "./ocsp-response.js";
import { spkiOf, verifySignature } from "./signature.js";
import { REVOCATION_REASONS, type RevocationDetail, type RevocationReason, type RevocationStatusValue } from "./types.js";

/** National CA CRLs reach several MB; a bigger body is refused rather than parsed. */
export const MAX_CRL_BYTES = 32 * 1024 * 1024;
export const DEFAULT_CRL_TIMEOUT_MS = 30_000;
export const CRL_CLOCK_SKEW_MS = OCSP_CLOCK_SKEW_MS;

const OID_DELTA_CRL_INDICATOR = "2.5.29.27";
const OID_ISSUING_DISTRIBUTION_POINT = "2.5.29.28";
const OID_REASON_CODE = "2.5.29.21";

export interface ValidCrl {
  readonly ok: true;
  readonly der: Uint8Array;
  readonly crl: pkijs.CertificateRevocationList;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly url?: string;
}
export interface CrlFailure {
  readonly ok: false;
  readonly detail: RevocationDetail;
  readonly message: string;
}

/** DER as is; PEM (`-----BEGIN X509 CRL-----`) decoded. */
export function crlDer(data: Uint8Array): Uint8Array | undefined {
  const head = Buffer.from(data.subarray(0, 128)).toString("latin1");
  if (!head.includes("-----BEGIN")) return data;
  const match = /-----BEGIN (?:X509 )?CRL-----([A-Za-z0-9+/=\s]+)-----END (?:X509 )?CRL-----/.exec(Buffer.from(data).toString("latin1"));
  return match?.[1] ? new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ""), "base64")) : undefined;
}

export function validateCrl(data: Uint8Array, issuer: pkijs.Certificate, now: Date, clockSkewMs = CRL_CLOCK_SKEW_MS): ValidCrl | CrlFailure {
  const der = crlDer(data);
  if (!der) return { ok: false, detail: "malformed", message: "PEM without a CRL block" };
  let crl: pkijs.CertificateRevocationList;
  try {
    const parsed = asn1js.fromBER(der);
    if (parsed.offset === -1 || parsed.offset !== der.length) return { ok: false, detail: "malformed", message: "CRL is not one DER value" };
    crl = new pkijs.CertificateRevocationList({ schema: parsed.result });
  } catch (error) {
    return { ok: false, detail: "malformed", message: `unreadable CRL: ${String(error)}` };
  }
  if (!Buffer.from(crl.issuer.valueBeforeDecode).equals(Buffer.from(issuer.subject.valueBeforeDecode)) && !crl.issuer.isEqual(issuer.subject)) {
    return { ok: false, detail: "crl-not-from-issuer", message: "the CRL names another issuer" };
  }
  const check = verifySignature(crl.signatureAlgorithm, crl.tbsView, crl.signatureValue.valueBlock.valueHexView, spkiOf(issuer));
  if (check === "unsupported") return { ok: false, detail: "unsupported-algorithm", message: `CRL signature algorithm ${crl.signatureAlgorithm.algorithmId} not accepted` };
  if (check === "invalid") return { ok: false, detail: "crl-not-from-issuer", message: "the CRL is not signed by the certificate's issuer" };
  const extensions = crl.crlExtensions?.extensions ?? [];
  if (extensions.some((extension) => extension.extnID === OID_DELTA_CRL_INDICATOR)) {
    return { ok: false, detail: "crl-unsupported", message: "delta CRLs are not used" };
  }
  const idp = extensions.find((extension) => extension.extnID === OID_ISSUING_DISTRIBUTION_POINT)?.parsedValue as
    | pkijs.IssuingDistributionPoint
    | undefined;
  if (idp && (idp.indirectCRL || idp.onlySomeReasons !== undefined || idp.onlyContainsAttributeCerts || idp.onlyContainsCACerts)) {
    // A partitioned or indirect CRL does not prove an end-entity certificate good.
    return { ok: false, detail: "crl-unsupported", message: "partial or indirect CRL" };
  }
  const thisUpdate = crl.thisUpdate.value;
  const nextUpdate = crl.nextUpdate?.value;
  const at = now.getTime();
  const times = { thisUpdate, ...(nextUpdate ? { nextUpdate } : {}) };
  if (thisUpdate.getTime() > at + clockSkewMs) return { ok: false, detail: "not-yet-valid", message: `CRL thisUpdate ${thisUpdate.toISOString()} is in the future` };
  // RFC 5280 §5.1.2.5 makes nextUpdate mandatory for conforming CAs: a CRL without it cannot be called current.
  if (!nextUpdate) return { ok: false, detail: "stale", message: "CRL without nextUpdate" };
  if (nextUpdate.getTime() < at - clockSkewMs) return { ok: false, detail: "stale", message: `CRL nextUpdate ${nextUpdate.toISOString()} has passed` };
  return { ok: true, der, crl, ...times };
}

export interface CrlLookup {
  readonly status: Extract<RevocationStatusValue, "good" | "revoked">;
  readonly revokedAt?: Date;
  readonly reason?: RevocationReason;
}

/** The serial's entry in a validated CRL. removeFromCRL entries (delta CRLs only) do not revoke. */
export function lookUpSerial(crl: pkijs.CertificateRevocationList, certificate: pkijs.Certificate): CrlLookup {
  const serial = stripZeros(certificate.serialNumber.valueBlock.valueHexView);
  for (const entry of crl.revokedCertificates ?? []) {
    if (!stripZeros(entry.userCertificate.valueBlock.valueHexView).equals(serial)) continue;
    const code = entry.crlEntryExtensions?.extensions.find((extension) => extension.extnID === OID_REASON_CODE)?.parsedValue;
    const reason = code instanceof asn1js.Enumerated ? REVOCATION_REASONS[code.valueBlock.valueDec] : undefined;
    if (reason === "removeFromCRL") continue;
    return { status: "revoked", revokedAt: entry.revocationDate.value, ...(reason ? { reason } : {}) };
  }
  return { status: "good" };
}

export async function fetchCrl(url: string, issuer: pkijs.Certificate, now: Date, options: FetchOptions & { readonly clockSkewMs?: number }): Promise<ValidCrl | CrlFailure> {
  const reply = await boundedFetch(url, { method: "GET", accept: "application/pkix-crl, application/x-pkcs7-crl, */*" }, options);
  if (!reply.ok) return { ok: false, detail: reply.detail, message: reply.message };
  const valid = validateCrl(reply.body, issuer, now, options.clockSkewMs);
  return valid.ok ? { ...valid, url } : valid;
}

function stripZeros(value: Uint8Array): Buffer {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  return Buffer.from(value.subarray(i));
}

/**
 * RFC 6960 response validation. A response counts only when: the OCSP status is successful; it is a
 * BasicOCSPResponse signed (SHA-2/3) by the certificate's issuer, or by a delegated responder certificate that the
 * issuer signed, that carries id-kp-OCSPSigning and is within its validity (§4.2.2.2); it answers our CertID; it
 * echoes our nonce when it carries one; and thisUpdate/nextUpdate bracket `now` within OCSP_CLOCK_SKEW_MS.
 * Anything else is status "error" with a RevocationDetail, never an exception.
 */
import { createHash, X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { OID_OCSP_NONCE, sameCertId } from "./ocsp-request.js";
import { spkiOf, verifySignature } from "./signature.js";
import { REVOCATION_REASONS, type RevocationDetail, type RevocationNote, type RevocationReason, type RevocationStatusValue } from "./types.js";

/** Allowed disagreement between our clock and the responder's (thisUpdate ahead, nextUpdate just behind). */
export const OCSP_CLOCK_SKEW_MS = 5 * 60_000;
/** A response without nextUpdate ("newer information is always available") is trusted this long after thisUpdate. */
export const OCSP_MAX_AGE_WITHOUT_NEXT_UPDATE_MS = 60 * 60_000;

const OID_PKIX_OCSP_BASIC = "1.3.6.1.5.5.7.48.1.1";
const OID_KP_OCSP_SIGNING = "1.3.6.1.5.5.7.3.9";
const RESPONSE_STATUS = ["successful", "malformedRequest", "internalError", "tryLater", "(unused)", "sigRequired", "unauthorized"];

export interface OcspAnswer {
  readonly status: RevocationStatusValue;
  readonly detail?: RevocationDetail;
  readonly message?: string;
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
  readonly revokedAt?: Date;
  readonly reason?: RevocationReason;
  readonly notes: readonly RevocationNote[];
  /** The OCSP status when not successful (1 malformedRequest ... 6 unauthorized). */
  readonly responseStatus?: number;
}

export interface OcspCheckInput {
  readonly response: Uint8Array;
  readonly issuer: pkijs.Certificate;
  readonly certId: pkijs.CertID;
  /** extnValue of the nonce we sent, if any. */
  readonly nonceExtnValue?: Uint8Array;
  readonly now: Date;
  readonly clockSkewMs?: number;
}

const failure = (detail: RevocationDetail, message: string, extra: Partial<OcspAnswer> = {}): OcspAnswer => ({
  status: "error",
  detail,
  message,
  notes: [],
  ...extra,
});

export function checkOcspResponse(input: OcspCheckInput): OcspAnswer {
  let basic: pkijs.BasicOCSPResponse;
  try {
    const parsed = asn1js.fromBER(input.response);
    if (parsed.offset === -1 || parsed.offset !== input.response.length) return failure("malformed", "OCSPResponse is not one DER value");
    const response = new pkijs.OCSPResponse({ schema: parsed.result });
    const code = response.responseStatus.valueBlock.valueDec;
    if (code !== 0) return failure("responder-status", `responder answered ${RESPONSE_STATUS[code] ?? code}`, { responseStatus: code });
    if (!response.responseBytes || response.responseBytes.responseType !== OID_PKIX_OCSP_BASIC) {
      return failure("malformed", "not a BasicOCSPResponse");
    }
    basic = pkijs.BasicOCSPResponse.fromBER(response.responseBytes.response.valueBlock.valueHexView);
  } catch (error) {
    return failure("malformed", `unreadable OCSP response: ${String(error)}`);
  }
  const now = input.now.getTime();
  const skew = input.clockSkewMs ?? OCSP_CLOCK_SKEW_MS;

  const signer = findSigner(basic, input.issuer);
  if (!signer) return failure("unauthorised-responder", "the responder is neither the issuer nor a certificate it carries");
  const signed = basic.tbsResponseData.tbsView;
  const check = verifySignature(basic.signatureAlgorithm, signed, basic.signature.valueBlock.valueHexView, spkiOf(signer));
  if (check === "unsupported") return failure("unsupported-algorithm", `response signature algorithm ${basic.signatureAlgorithm.algorithmId} not accepted`);
  if (check === "invalid") return failure("bad-signature", "the response signature does not verify (tampered?)");
  if (!sameCertificate(signer, input.issuer)) {
    const refusal = delegatedResponderProblem(signer, input.issuer, now, skew);
    if (refusal) return refusal;
  }

  const single = basic.tbsResponseData.responses.find((candidate) => sameCertId(candidate.certID, input.certId));
  if (!single) return failure("cert-id-mismatch", "the response is about another certificate");

  const notes: RevocationNote[] = [];
  if (input.nonceExtnValue) {
    const echoed = basic.tbsResponseData.responseExtensions?.find((extension) => extension.extnID === OID_OCSP_NONCE);
    if (!echoed) notes.push("nonce-not-echoed"); // allowed (RFC 5019 responders pre-sign), kept in the evidence
    else if (!Buffer.from(echoed.extnValue.valueBlock.valueHexView).equals(input.nonceExtnValue)) {
      return failure("nonce-mismatch", "the response carries another nonce (replayed?)");
    }
  }

  const thisUpdate = single.thisUpdate;
  const nextUpdate = single.nextUpdate;
  const times = { thisUpdate, ...(nextUpdate ? { nextUpdate } : {}) };
  if (thisUpdate.getTime() > now + skew) return failure("not-yet-valid", `thisUpdate ${thisUpdate.toISOString()} is in the future`, times);
  if (nextUpdate && nextUpdate.getTime() < now - skew) return failure("stale", `nextUpdate ${nextUpdate.toISOString()} has passed`, times);
  if (!nextUpdate) {
    notes.push("no-next-update");
    if (thisUpdate.getTime() < now - OCSP_MAX_AGE_WITHOUT_NEXT_UPDATE_MS) return failure("stale", "old response without nextUpdate", times);
  }
  return { ...statusOf(single), ...times, notes };
}

function statusOf(single: pkijs.SingleResponse): Pick<OcspAnswer, "status" | "revokedAt" | "reason" | "detail" | "message"> {
  const choice = single.certStatus as asn1js.BaseBlock & { idBlock: { tagClass: number; tagNumber: number } };
  if (choice.idBlock.tagClass === 3 && choice.idBlock.tagNumber === 0) return { status: "good" };
  if (choice.idBlock.tagClass === 3 && choice.idBlock.tagNumber === 2) return { status: "unknown", message: "the responder does not know this certificate" };
  if (choice.idBlock.tagClass === 3 && choice.idBlock.tagNumber === 1 && choice instanceof asn1js.Constructed) {
    const [time, reasonBlock] = choice.valueBlock.value;
    const revokedAt = time instanceof asn1js.GeneralizedTime ? time.toDate() : undefined;
    const enumerated = reasonBlock instanceof asn1js.Constructed ? reasonBlock.valueBlock.value[0] : undefined;
    const reason = enumerated instanceof asn1js.Enumerated ? REVOCATION_REASONS[enumerated.valueBlock.valueDec] : undefined;
    return { status: "revoked", ...(revokedAt ? { revokedAt } : {}), ...(reason ? { reason } : {}) };
  }
  return { status: "error", detail: "malformed", message: "unreadable certStatus" };
}

/** The certificate named by responderID: the issuer itself or one of the certificates in the response. */
function findSigner(basic: pkijs.BasicOCSPResponse, issuer: pkijs.Certificate): pkijs.Certificate | undefined {
  const id = basic.tbsResponseData.responderID as unknown;
  const candidates = [issuer, ...(basic.certs ?? [])];
  if (id instanceof pkijs.RelativeDistinguishedNames) {
    const name = Buffer.from(id.valueBeforeDecode);
    return candidates.find((candidate) => Buffer.from(candidate.subject.valueBeforeDecode).equals(name) || candidate.subject.isEqual(id));
  }
  if (id instanceof asn1js.OctetString) {
    const keyHash = Buffer.from(id.valueBlock.valueHexView);
    return candidates.find((candidate) =>
      createHash("sha1").update(candidate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest().equals(keyHash),
    );
  }
  return undefined;
}

function sameCertificate(a: pkijs.Certificate, b: pkijs.Certificate): boolean {
  return Buffer.from(spkiOf(a)).equals(spkiOf(b)) && Buffer.from(a.subject.valueBeforeDecode).equals(Buffer.from(b.subject.valueBeforeDecode));
}

/** RFC 6960 §4.2.2.2: issued (and signed) by the CA itself, id-kp-OCSPSigning, digitalSignature if KU present, valid now. */
function delegatedResponderProblem(signer: pkijs.Certificate, issuer: pkijs.Certificate, now: number, skew: number): OcspAnswer | undefined {
  let responder: X509Certificate;
  let ca: X509Certificate;
  try {
    responder = new X509Certificate(Buffer.from(signer.toSchema().toBER()));
    ca = new X509Certificate(Buffer.from(issuer.toSchema().toBER()));
  } catch {
    return failure("unauthorised-responder", "unreadable responder certificate");
  }
  if (!responder.checkIssued(ca) || !responder.verify(ca.publicKey)) {
    return failure("unauthorised-responder", `responder ${responder.subject} is not issued by the certificate's issuer`);
  }
  const eku = signer.extensions?.find((extension) => extension.extnID === "2.5.29.37")?.parsedValue as pkijs.ExtKeyUsage | undefined;
  if (!eku?.keyPurposes.includes(OID_KP_OCSP_SIGNING)) {
    return failure("unauthorised-responder", `responder ${responder.subject} lacks id-kp-OCSPSigning`);
  }
  const keyUsage = signer.extensions?.find((extension) => extension.extnID === "2.5.29.15")?.parsedValue as asn1js.BitString | undefined;
  if (keyUsage && keyUsage.valueBlock.valueHexView.length > 0 && ((keyUsage.valueBlock.valueHexView[0] ?? 0) & 0x80) === 0) {
    return failure("unauthorised-responder", `responder ${responder.subject} key usage excludes digitalSignature`);
  }
  if (now < Date.parse(responder.validFrom) - skew || now > Date.parse(responder.validTo) + skew) {
    return failure("responder-certificate-expired", `responder certificate not valid now (${responder.validFrom} – ${responder.validTo})`);
  }
  return undefined;
}

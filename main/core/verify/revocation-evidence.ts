/**
 * Revocation status of one certificate from the data the document carries (the DSS's /OCSPs and /CRLs, the CMS's
 * RevocationInfoChoices and revocationInfoArchival), checked with the same code that checks fetched answers:
 * an OCSP response must be signed by the issuer or its delegated responder and name this certificate; a CRL must
 * be signed by the issuer. Optionally, when nothing usable is embedded, the existing RevocationService is asked
 * (online, behind `VerifyOptions.online`).
 *
 * Judgment call, as EU DSS does: embedded data is judged at the times it can speak for: first the signing time
 * (best signature time), then the validation time; an answer that is current at either is used.
 */
import * as pkijs from "pkijs";
import { certIdFor, certificateUrls, checkOcspResponse, lookUpSerial, validateCrl, type RevocationResult } from "../certificates/revocation/index.js";
import type { RevocationOutcome } from "../../domain/wire/verify-report.js";

export interface EmbeddedRevocation {
  readonly dssOcsps: readonly Uint8Array[];
  readonly dssCrls: readonly Uint8Array[];
  readonly cmsOcsps: readonly Uint8Array[];
  readonly cmsCrls: readonly Uint8Array[];
  /** XAdES RevocationValues (OCSPValues, CRLValues) of an XML signature. */
  readonly xadesOcsps?: readonly Uint8Array[];
  readonly xadesCrls?: readonly Uint8Array[];
  /** Held by the caller (a CRL the organisation distributes, KySo's revocation cache), not by the document. */
  readonly suppliedOcsps?: readonly Uint8Array[];
  readonly suppliedCrls?: readonly Uint8Array[];
}

/** The part of RevocationService the verifier uses (online look-ups). */
export interface RevocationLookupService {
  check(certificate: Uint8Array, issuer: Uint8Array | undefined): Promise<RevocationResult>;
}

export async function revocationOf(
  certificate: Uint8Array,
  issuer: Uint8Array | undefined,
  embedded: EmbeddedRevocation,
  times: readonly Date[],
  online?: RevocationLookupService,
): Promise<RevocationOutcome> {
  let urls;
  try {
    urls = certificateUrls(certificate);
  } catch {
    urls = { ocsp: [], crl: [] };
  }
  if (issuer) {
    const found = fromEmbedded(certificate, issuer, embedded, times);
    if (found) return found;
  }
  if (urls.ocsp.length === 0 && urls.crl.length === 0) return { status: "none" };
  if (online && issuer) {
    const result = await online.check(certificate, issuer);
    if (result.status === "good" || result.status === "revoked") {
      return {
        status: result.status,
        source: "online",
        kind: result.source === "crl" ? "crl" : "ocsp",
        ...(result.thisUpdate ? { producedAt: result.thisUpdate.toISOString() } : {}),
        ...(result.revokedAt ? { revokedAt: result.revokedAt.toISOString() } : {}),
      };
    }
  }
  return { status: "missing" };
}

function fromEmbedded(certificate: Uint8Array, issuer: Uint8Array, embedded: EmbeddedRevocation, times: readonly Date[]): RevocationOutcome | undefined {
  let cert: pkijs.Certificate;
  let ca: pkijs.Certificate;
  try {
    cert = pkijs.Certificate.fromBER(certificate);
    ca = pkijs.Certificate.fromBER(issuer);
  } catch {
    return undefined;
  }
  const sources = [
    { source: "dss" as const, ocsps: embedded.dssOcsps, crls: embedded.dssCrls },
    { source: "cms" as const, ocsps: embedded.cmsOcsps, crls: embedded.cmsCrls },
    { source: "xades" as const, ocsps: embedded.xadesOcsps ?? [], crls: embedded.xadesCrls ?? [] },
    { source: "supplied" as const, ocsps: embedded.suppliedOcsps ?? [], crls: embedded.suppliedCrls ?? [] },
  ];
  for (const { source, ocsps, crls } of sources) {
    for (const response of ocsps) {
      for (const hash of ["sha1", "sha256"] as const) {
        const certId = certIdFor(cert, ca, hash);
        for (const now of times) {
          const answer = checkOcspResponse({ response, issuer: ca, certId, now });
          if (answer.status === "good" || answer.status === "revoked") {
            return {
              status: answer.status,
              source,
              kind: "ocsp",
              ...(answer.thisUpdate ? { producedAt: answer.thisUpdate.toISOString() } : {}),
              ...(answer.revokedAt ? { revokedAt: answer.revokedAt.toISOString() } : {}),
            };
          }
        }
      }
    }
    for (const data of crls) {
      for (const now of times) {
        const valid = validateCrl(data, ca, now);
        if (!valid.ok) continue;
        const lookup = lookUpSerial(valid.crl, cert);
        return {
          status: lookup.status,
          source,
          kind: "crl",
          producedAt: valid.thisUpdate.toISOString(),
          ...(lookup.revokedAt ? { revokedAt: lookup.revokedAt.toISOString() } : {}),
        };
      }
    }
  }
  return undefined;
}

/**
 * The revocation service: OCSP first where the certificate names a responder, else (or when OCSP gives no usable
 * answer) the CRL. Only URLs from the certificate (AIA OCSP, CRL distribution points) or from the policy are
 * fetched, through boundedFetch (http/https only, timeout, size cap, environment proxies). Answers are cached by
 * (issuer key, serial) until their nextUpdate (capped by maxCacheAgeMs), CRLs by (URL, issuer key); concurrent
 * checks of one certificate share one request. Offline mode answers from the cache only and fetches nothing.
 */
import { createHash } from "node:crypto";
import * as pkijs from "pkijs";
import { certificateUrls } from "./certificate-urls.js";
import { DEFAULT_CRL_TIMEOUT_MS, fetchCrl, lookUpSerial, MAX_CRL_BYTES, type ValidCrl } from "./crl.js";
import { DEFAULT_OCSP_TIMEOUT_MS, MAX_OCSP_RESPONSE_BYTES, queryOcsp, type OcspQueryResult } from "./ocsp-client.js";
import type { CertIdHash } from "./ocsp-request.js";
import { OCSP_CLOCK_SKEW_MS } from "./ocsp-response.js";
import { proxyFromEnvironment, type ProxySettings } from "./proxy.js";
import { spkiOf } from "./signature.js";
import type { RevocationAttempt, RevocationNote, RevocationResult } from "./types.js";
import { memoByDer } from "../der-memo.js";

/** Every request checks every candidate: each certificate is parsed once (der-memo.ts), then only read here. */
const parsedCertificate = memoByDer((der) => pkijs.Certificate.fromBER(der));

/** Cached answers are reused at most this long even when nextUpdate is further away (CRLs often say 30 days). */
export const DEFAULT_MAX_CACHE_AGE_MS = 60 * 60_000;
/** Reuse of an OCSP answer that has no nextUpdate. */
export const CACHE_AGE_WITHOUT_NEXT_UPDATE_MS = 5 * 60_000;
export const MAX_CACHE_ENTRIES = 1000;

/** Responders and CRLs named by the policy, for one issuer (SHA-256 fingerprint, hex) or for every issuer. */
export interface PolicyRevocationUrls {
  readonly issuerFingerprintSha256?: string;
  readonly ocsp?: readonly string[];
  readonly crl?: readonly string[];
}

export interface RevocationServiceOptions {
  readonly now?: () => Date;
  readonly offline?: boolean;
  /** Defaults to HTTP_PROXY/HTTPS_PROXY/NO_PROXY from the environment. */
  readonly proxy?: ProxySettings;
  readonly ocspTimeoutMs?: number;
  readonly crlTimeoutMs?: number;
  readonly maxOcspResponseBytes?: number;
  readonly maxCrlBytes?: number;
  readonly clockSkewMs?: number;
  readonly maxCacheAgeMs?: number;
  /** Tried after the certificate's own URLs. */
  readonly policyUrls?: readonly PolicyRevocationUrls[];
  readonly certIdHash?: "auto" | CertIdHash;
  /** Send an OCSP nonce (default true). */
  readonly nonce?: boolean;
}

interface CacheEntry<T> {
  readonly value: T;
  readonly until: number;
}

export class RevocationService {
  private readonly results = new Map<string, CacheEntry<RevocationResult>>();
  private readonly crls = new Map<string, CacheEntry<ValidCrl>>();
  private readonly inFlight = new Map<string, Promise<RevocationResult>>();
  private offline: boolean;
  private readonly now: () => Date;
  private readonly proxy: ProxySettings;

  constructor(private readonly options: RevocationServiceOptions = {}) {
    this.offline = options.offline ?? false;
    this.now = options.now ?? (() => new Date());
    this.proxy = options.proxy ?? proxyFromEnvironment();
  }

  setOffline(offline: boolean): void {
    this.offline = offline;
  }

  clearCache(): void {
    this.results.clear();
    this.crls.clear();
  }

  /** Status of `certificate` (DER) issued by `issuer` (DER; undefined when the chain has no issuer). */
  async check(certificate: Uint8Array, issuer: Uint8Array | undefined): Promise<RevocationResult> {
    const checkedAt = this.now();
    if (!issuer) return nothing(checkedAt, "no-issuer", "the issuer certificate is not known");
    let cert: pkijs.Certificate;
    let ca: pkijs.Certificate;
    try {
      cert = parsedCertificate(certificate);
      ca = parsedCertificate(issuer);
    } catch (error) {
      return nothing(checkedAt, "malformed", `unreadable certificate: ${String(error)}`);
    }
    const issuerKey = createHash("sha256").update(spkiOf(ca)).digest("hex");
    const key = `${issuerKey}:${Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString("hex")}`;
    const cached = this.fresh(this.results.get(key), checkedAt);
    if (cached) return { ...cached, fromCache: true };
    const cachedCrl = this.answerFromCachedCrl(certificate, cert, issuer, issuerKey, checkedAt);
    if (cachedCrl) return cachedCrl;
    if (this.offline) return nothing(checkedAt, "offline", "offline mode: nothing fetched and nothing cached");
    const running = this.inFlight.get(key);
    if (running) return running;
    const work = this.lookUp(certificate, cert, issuer, ca, issuerKey, checkedAt)
      .then((result) => {
        if (result.status !== "error") this.remember(this.results, key, result, result.nextUpdate, checkedAt);
        return result;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  private async lookUp(
    certificateDer: Uint8Array,
    cert: pkijs.Certificate,
    issuerDer: Uint8Array,
    ca: pkijs.Certificate,
    issuerKey: string,
    checkedAt: Date,
  ): Promise<RevocationResult> {
    const urls = this.urlsFor(certificateDer, issuerDer);
    if (urls.ocsp.length === 0 && urls.crl.length === 0) return nothing(checkedAt, "no-url", "the certificate names no OCSP responder or CRL");
    const attempts: RevocationAttempt[] = [];
    let unknown: OcspQueryResult | undefined;
    for (const url of urls.ocsp) {
      const answer = await queryOcsp(url, cert, ca, {
        now: this.now,
        timeoutMs: this.options.ocspTimeoutMs ?? DEFAULT_OCSP_TIMEOUT_MS,
        maxBytes: this.options.maxOcspResponseBytes ?? MAX_OCSP_RESPONSE_BYTES,
        proxy: this.proxy,
        clockSkewMs: this.options.clockSkewMs ?? OCSP_CLOCK_SKEW_MS,
        certIdHash: this.options.certIdHash ?? "auto",
        nonce: this.options.nonce ?? true,
      });
      attempts.push(attempt("ocsp", url, answer));
      if (answer.status === "good" || answer.status === "revoked") {
        return { ...pick(answer), source: "ocsp", checkedAt, url, ...(answer.evidence ? { evidence: answer.evidence } : {}), notes: answer.notes, fromCache: false, attempts };
      }
      if (answer.status === "unknown") unknown ??= answer;
    }
    const ocspTried = urls.ocsp.length > 0;
    for (const url of urls.crl) {
      const crl = await this.crlFor(url, ca, issuerKey, checkedAt);
      if (!crl.ok) {
        attempts.push({ source: "crl", url, status: "error", detail: crl.detail, message: crl.message });
        continue;
      }
      const found = lookUpSerial(crl.crl, cert);
      attempts.push({ source: "crl", url, status: found.status });
      const notes: RevocationNote[] = ocspTried ? ["ocsp-failed-crl-used"] : [];
      return crlResult(found, crl, url, checkedAt, notes, attempts);
    }
    if (unknown) {
      return { ...pick(unknown), source: "ocsp", checkedAt, url: unknown.url, ...(unknown.evidence ? { evidence: unknown.evidence } : {}), notes: unknown.notes, fromCache: false, attempts };
    }
    const last = attempts.at(-1);
    return {
      status: "error",
      source: "none",
      checkedAt,
      ...(last?.detail ? { detail: last.detail } : {}),
      message: attempts.map((item) => `${item.source} ${item.url}: ${item.message ?? item.detail ?? item.status}`).join("; "),
      notes: [],
      fromCache: false,
      attempts,
    };
  }

  /** A still-current CRL already validated for this issuer answers without a request (also in offline mode). */
  private answerFromCachedCrl(
    certificateDer: Uint8Array,
    cert: pkijs.Certificate,
    issuerDer: Uint8Array,
    issuerKey: string,
    checkedAt: Date,
  ): RevocationResult | undefined {
    const urls = this.urlsFor(certificateDer, issuerDer);
    if (!this.offline && urls.ocsp.length > 0) return undefined; // online, OCSP is asked first
    for (const url of urls.crl) {
      const crl = this.fresh(this.crls.get(`${url} ${issuerKey}`), checkedAt);
      if (!crl) continue;
      const found = lookUpSerial(crl.crl, cert);
      return { ...crlResult(found, crl, url, checkedAt, [], [{ source: "crl", url, status: found.status }]), fromCache: true };
    }
    return undefined;
  }

  private async crlFor(url: string, ca: pkijs.Certificate, issuerKey: string, checkedAt: Date): Promise<ValidCrl | { ok: false; detail: RevocationAttempt["detail"] & string; message: string }> {
    const cacheKey = `${url} ${issuerKey}`;
    const cached = this.fresh(this.crls.get(cacheKey), checkedAt);
    if (cached) return cached;
    const crl = await fetchCrl(url, ca, checkedAt, {
      timeoutMs: this.options.crlTimeoutMs ?? DEFAULT_CRL_TIMEOUT_MS,
      maxBytes: this.options.maxCrlBytes ?? MAX_CRL_BYTES,
      proxy: this.proxy,
      clockSkewMs: this.options.clockSkewMs ?? OCSP_CLOCK_SKEW_MS,
    });
    if (crl.ok) this.remember(this.crls, cacheKey, crl, crl.nextUpdate, checkedAt);
    return crl;
  }

  private urlsFor(certificateDer: Uint8Array, issuerDer: Uint8Array): { ocsp: string[]; crl: string[] } {
    const own = certificateUrls(certificateDer);
    const issuerFingerprint = createHash("sha256").update(issuerDer).digest("hex");
    const policy = (this.options.policyUrls ?? []).filter(
      (entry) => !entry.issuerFingerprintSha256 || entry.issuerFingerprintSha256.replace(/:/g, "").toLowerCase() === issuerFingerprint,
    );
    const unique = (list: readonly string[]): string[] => [...new Set(list)];
    return {
      ocsp: unique([...own.ocsp, ...policy.flatMap((entry) => entry.ocsp ?? [])]),
      crl: unique([...own.crl, ...policy.flatMap((entry) => entry.crl ?? [])]),
    };
  }

  private fresh<T>(entry: CacheEntry<T> | undefined, now: Date): T | undefined {
    return entry && now.getTime() < entry.until ? entry.value : undefined;
  }

  private remember<T>(map: Map<string, CacheEntry<T>>, key: string, value: T, nextUpdate: Date | undefined, checkedAt: Date): void {
    const maxAge = this.options.maxCacheAgeMs ?? DEFAULT_MAX_CACHE_AGE_MS;
    const cap = checkedAt.getTime() + (nextUpdate ? maxAge : Math.min(maxAge, CACHE_AGE_WITHOUT_NEXT_UPDATE_MS));
    const until = nextUpdate ? Math.min(nextUpdate.getTime(), cap) : cap;
    if (until <= checkedAt.getTime()) return;
    map.delete(key);
    map.set(key, { value, until });
    if (map.size > MAX_CACHE_ENTRIES) map.delete(map.keys().next().value as string); // oldest insertion first
  }
}

function pick(answer: OcspQueryResult): Pick<RevocationResult, "status" | "thisUpdate" | "nextUpdate" | "revokedAt" | "reason" | "detail" | "message"> {
  return {
    status: answer.status,
    ...(answer.thisUpdate ? { thisUpdate: answer.thisUpdate } : {}),
    ...(answer.nextUpdate ? { nextUpdate: answer.nextUpdate } : {}),
    ...(answer.revokedAt ? { revokedAt: answer.revokedAt } : {}),
    ...(answer.reason ? { reason: answer.reason } : {}),
    ...(answer.detail ? { detail: answer.detail } : {}),
    ...(answer.message ? { message: answer.message } : {}),
  };
}

function attempt(source: "ocsp" | "crl", url: string, answer: OcspQueryResult): RevocationAttempt {
  return { source, url, status: answer.status, ...(answer.detail ? { detail: answer.detail } : {}), ...(answer.message ? { message: answer.message } : {}) };
}

function crlResult(
  found: ReturnType<typeof lookUpSerial>,
  crl: ValidCrl,
  url: string,
  checkedAt: Date,
  notes: RevocationNote[],
  attempts: RevocationAttempt[],
): RevocationResult {
  return {
    status: found.status,
    source: "crl",
    checkedAt,
    thisUpdate: crl.thisUpdate,
    ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}),
    ...(found.revokedAt ? { revokedAt: found.revokedAt } : {}),
    ...(found.reason ? { reason: found.reason } : {}),
    url,
    evidence: crl.der,
    notes,
    fromCache: false,
    attempts,
  };
}

function nothing(checkedAt: Date, detail: RevocationResult["detail"] & string, message: string): RevocationResult {
  return { status: "error", source: "none", checkedAt, detail, message, notes: [], fromCache: false, attempts: [] };
}

/**
 * Missing intermediates fetched from the certificate's AIA caIssuers URLs (never from anything a page supplies),
 * through the revocation service's bounded HTTP client. A body may be one certificate (DER or PEM) or a PKCS#7
 * certs-only bundle (.p7c). Answers are cached per URL: found certificates for AIA_CACHE_MS, failures for
 * AIA_FAILURE_CACHE_MS so a dead URL is not asked again for every certificate.
 */
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { boundedFetch } from "../revocation/bounded-fetch.js";
import { certificateUrls } from "../revocation/certificate-urls.js";
import { proxyFromEnvironment, type ProxySettings } from "../revocation/proxy.js";
import { certificatesIn } from "./anchor-store.js";

export const AIA_CACHE_MS = 24 * 60 * 60_000;
export const AIA_FAILURE_CACHE_MS = 5 * 60_000;
export const MAX_AIA_BYTES = 256 * 1024;
export const DEFAULT_AIA_TIMEOUT_MS = 10_000;
const OID_SIGNED_DATA = "1.2.840.113549.1.7.2";

export interface AiaFetcherOptions {
  readonly proxy?: ProxySettings;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly offline?: boolean;
  readonly now?: () => Date;
}

export class AiaIssuerFetcher {
  private readonly cache = new Map<string, { readonly certificates: readonly Uint8Array[]; readonly until: number }>();
  private readonly proxy: ProxySettings;
  private readonly now: () => Date;

  constructor(private readonly options: AiaFetcherOptions = {}) {
    this.proxy = options.proxy ?? proxyFromEnvironment();
    this.now = options.now ?? (() => new Date());
  }

  /** Candidate issuer certificates of `certificate` (DER) from its caIssuers URLs; empty when none or offline. */
  async issuersOf(certificate: Uint8Array): Promise<Uint8Array[]> {
    let urls: readonly string[];
    try {
      urls = certificateUrls(certificate).caIssuers;
    } catch {
      return [];
    }
    const found: Uint8Array[] = [];
    for (const url of urls) found.push(...(await this.fetchUrl(url)));
    return found;
  }

  private async fetchUrl(url: string): Promise<readonly Uint8Array[]> {
    const at = this.now().getTime();
    const cached = this.cache.get(url);
    if (cached && at < cached.until) return cached.certificates;
    if (this.options.offline) return [];
    const reply = await boundedFetch(
      url,
      { method: "GET", accept: "application/pkix-cert, application/pkcs7-mime, */*" },
      { timeoutMs: this.options.timeoutMs ?? DEFAULT_AIA_TIMEOUT_MS, maxBytes: this.options.maxBytes ?? MAX_AIA_BYTES, proxy: this.proxy },
    );
    const certificates = reply.ok ? parseIssuerBody(reply.body) : [];
    this.cache.set(url, { certificates, until: at + (certificates.length > 0 ? AIA_CACHE_MS : AIA_FAILURE_CACHE_MS) });
    return certificates;
  }
}

/** One DER/PEM certificate, or the certificates of a PKCS#7 SignedData (DER). */
export function parseIssuerBody(body: Uint8Array): Uint8Array[] {
  const pem = certificatesIn(Buffer.from(body).toString("latin1"));
  if (pem.length > 0) return pem;
  try {
    const parsed = asn1js.fromBER(body);
    if (parsed.offset === -1 || parsed.offset !== body.length) return [];
    const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
    if (contentInfo.contentType === OID_SIGNED_DATA) {
      const signed = new pkijs.SignedData({ schema: contentInfo.content });
      return (signed.certificates ?? []).flatMap((item) =>
        item instanceof pkijs.Certificate ? [new Uint8Array(item.toSchema().toBER())] : [],
      );
    }
  } catch {
    // not a ContentInfo: a bare certificate
  }
  try {
    pkijs.Certificate.fromBER(body);
    return [body];
  } catch {
    return [];
  }
}

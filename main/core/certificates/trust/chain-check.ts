/**
 * The pre-sign chain check (Circular 15/2025: a trust path to the national root): buildTrustedChain from the
 * signer's certificate to an anchor (the bundled national roots, policy `trustAnchors`, the signed trust bundle),
 * with intermediates from the token, the bundle and AIA caIssuers; then the revocation status of each intermediate
 * CA of that chain from its issuer's OCSP/CRL, where the intermediate names one ("not-published" otherwise).
 * `chainVerdict` applies the policy: `chainCheck` for the path, `revocationCheck` for the intermediates.
 */
import { parsedX509 } from "../der-memo.js";
import type { RevocationCheckMode, RevocationResult, RevocationSource, RevocationStatusValue } from "../revocation/types.js";
import type { AiaIssuerFetcher } from "./aia-issuers.js";
import { fingerprint, type AnchorSource, type TrustAnchor } from "./anchor-store.js";
import type { NationalRootId } from "./national-roots.js";
import { buildTrustedChain } from "./trusted-chain.js";

export type ChainCheckMode = "off" | "warn" | "require";

export interface IntermediateCheck {
  /** The intermediate's CN (else its whole subject). */
  readonly name: string;
  readonly fingerprintSha256: string;
  readonly status: RevocationStatusValue | "not-published";
  readonly source: RevocationSource;
  /** The full answer (evidence); absent when not published or not checked. */
  readonly result?: RevocationResult;
}

export interface ChainCheckResult {
  readonly trusted: boolean;
  /** `source` "system": an anchor from the OS store (shown as "<name> (system store)"). */
  readonly anchor?: { readonly name: string; readonly fingerprintSha256: string; readonly nationalRoot?: NationalRootId; readonly source: AnchorSource };
  readonly reason?: "no-anchor" | "too-deep" | "unreadable";
  /** Issuers nearest first (DER), the anchor's certificate last when trusted. */
  readonly chain: readonly Uint8Array[];
  /** Each intermediate CA between the certificate and the anchor; empty when revocation was not asked for. */
  readonly intermediates: readonly IntermediateCheck[];
  readonly checkedAt: Date;
}

export interface ChainCheckerOptions {
  /** The anchors in force now (they change with the trust bundle). */
  readonly anchors: () => Promise<readonly TrustAnchor[]>;
  /** Intermediates from the bundle (DER); the token's own come with each call. */
  readonly intermediates?: () => readonly Uint8Array[];
  readonly aia?: AiaIssuerFetcher;
  /** Revocation of one certificate by its issuer (the RevocationService); absent: intermediates are not checked. */
  readonly revocation?: (certificate: Uint8Array, issuer: Uint8Array) => Promise<RevocationResult>;
  readonly now?: () => Date;
}

export class ChainChecker {
  constructor(private readonly options: ChainCheckerOptions) {}

  async check(certificate: Uint8Array, tokenChain: readonly Uint8Array[], checkIntermediates: boolean): Promise<ChainCheckResult> {
    const now = (this.options.now ?? (() => new Date()))();
    const anchors = await this.options.anchors();
    const built = await buildTrustedChain(certificate, {
      anchors,
      intermediates: [...tokenChain, ...(this.options.intermediates?.() ?? [])],
      ...(this.options.aia ? { aia: this.options.aia } : {}),
      now,
    });
    if (!built.trusted) return { trusted: false, reason: built.reason, chain: built.chain, intermediates: [], checkedAt: now };
    const anchor = built.anchor;
    // The intermediates are the chain without the anchor's own certificate; each is issued by the next element.
    const path = built.chain.filter((der) => fingerprint(der) !== anchor.fingerprintSha256);
    const issuers = [...path.slice(1), anchor.der];
    const revocation = this.options.revocation;
    const intermediates =
      checkIntermediates && revocation
        ? await Promise.all(path.map((der, index) => checkIntermediate(der, issuers[index]!, revocation)))
        : [];
    return {
      trusted: true,
      anchor: {
        name: commonName(anchor.der) ?? anchor.subject,
        fingerprintSha256: anchor.fingerprintSha256,
        source: anchor.source,
        ...(anchor.nationalRoot ? { nationalRoot: anchor.nationalRoot } : {}),
      },
      chain: built.chain,
      intermediates,
      checkedAt: now,
    };
  }
}

async function checkIntermediate(der: Uint8Array, issuer: Uint8Array, revocation: NonNullable<ChainCheckerOptions["revocation"]>): Promise<IntermediateCheck> {
  const base = { name: commonName(der) ?? "?", fingerprintSha256: fingerprint(der) };
  const result = await revocation(der, issuer).catch(() => undefined);
  if (!result) return { ...base, status: "error", source: "none" };
  if (result.status === "error" && result.detail === "no-url") return { ...base, status: "not-published", source: "none" };
  return { ...base, status: result.status, source: result.source, result };
}

/** The CN of a certificate's subject (national roots: "Vietnam National Root CA", "RootCA chuyên dùng Chính phủ G2"). */
export function commonName(der: Uint8Array): string | undefined {
  try {
    const line = parsedX509(der).subject.split("\n").find((item) => item.startsWith("CN="));
    return line?.slice(3);
  } catch {
    return undefined;
  }
}

/** `data.problems` of a refusal for the chain, next to revocation's "revoked" / "revocationUnknown". */
export type ChainProblem = "untrustedChain" | "intermediateRevoked" | "intermediateRevocationUnknown";
/** Worded by the UI as `trust.<key>` (main/domain/messages/trust-*.ts). */
export type ChainWarningKey = "chain.untrusted" | "chain.intermediateRevoked" | "chain.intermediateUnchecked";

export interface ChainVerdict {
  readonly blocking: boolean;
  readonly warning?: ChainWarningKey;
  readonly problem?: ChainProblem;
}

/**
 * No trusted path: a warning under `chainCheck: "warn"`, a refusal under `"require"`. A revoked intermediate, or
 * one that names an OCSP/CRL URL whose answer could not be had: a warning under `revocationCheck: "warn"`, a
 * refusal under `"require"` (the same rule as the signer's own status). An intermediate that publishes no status
 * is shown as such and blocks nothing: many CAs publish their intermediates' status only through the root's CRL.
 */
export function chainVerdict(result: ChainCheckResult, chainMode: ChainCheckMode, revocationMode: RevocationCheckMode): ChainVerdict {
  if (!result.trusted) {
    if (chainMode === "off") return { blocking: false };
    return { blocking: chainMode === "require", warning: "chain.untrusted", problem: "untrustedChain" };
  }
  if (revocationMode === "off") return { blocking: false };
  const blocking = revocationMode === "require";
  if (result.intermediates.some((i) => i.status === "revoked")) return { blocking, warning: "chain.intermediateRevoked", problem: "intermediateRevoked" };
  if (result.intermediates.some((i) => i.status === "unknown" || i.status === "error")) {
    return { blocking, warning: "chain.intermediateUnchecked", problem: "intermediateRevocationUnknown" };
  }
  return { blocking: false };
}

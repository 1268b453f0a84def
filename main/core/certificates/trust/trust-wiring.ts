/**
 * The core's trust parts (kyso-core.ts): the anchors in force (bundled national roots + policy `trustAnchors` + the
 * signed trust bundle's), the bundle store refreshed at start and every `trustBundle.refreshHours`, and the chain
 * checker behind the approval's chain line, `certificates.list` and the certificates page.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { CandidateChainView } from "../../app-api/approval-view.js";
import type { CertificateInfo } from "../../../domain/certificate.js";
import type { KysoPolicy } from "../../policy/policy-schema.js";
import type { RevocationService } from "../revocation/revocation-service.js";
import { AiaIssuerFetcher } from "./aia-issuers.js";
import { anchorCounts, certificatesIn, loadAnchors, MAX_ANCHOR_FILE_BYTES, type AnchorProblem, type AnchorSource, type TrustAnchor } from "./anchor-store.js";
import { readOsStore, type OsStoreOptions } from "./os-store.js";
import { ChainChecker, chainVerdict, type ChainCheckResult } from "./chain-check.js";
import { TrustBundleStore } from "./trust-bundle-store.js";
import { chainView } from "../../bridge/chain-gate.js";

export interface TrustParts {
  readonly bundles: TrustBundleStore;
  /** The anchors in force: the bundled national roots, the policy's, and the accepted signed bundle's. */
  anchors(): Promise<readonly TrustAnchor[]>;
  readonly chains: { check(certificate: CertificateInfo, checkIntermediates: boolean): Promise<ChainCheckResult> };
  /** How many anchors each source gives and what could not be used (diagnostics). */
  anchorSummary(): Promise<AnchorSummary>;
  /** The chain line of a certificate for the app's certificates page (undefined: both checks off, or not valid). */
  view(certificate: CertificateInfo): Promise<CandidateChainView | undefined>;
  /** Resolves once the stored bundle and the policy's file are read; the URL is fetched in the background. */
  start(): Promise<void>;
  stop(): void;
}

export interface AnchorSummary {
  readonly counts: Record<AnchorSource, number>;
  /** Policy `trustAnchorsOsStore`. */
  readonly osStore: boolean;
  readonly problems: readonly AnchorProblem[];
}

export interface TrustWiringOptions {
  readonly dataDir: string;
  readonly policy: KysoPolicy;
  readonly now: () => Date;
  readonly revocation: RevocationService;
  readonly ca?: string;
  /** How the OS store is read when policy `trustAnchorsOsStore` is on (tests inject a bundle file). */
  readonly osStore?: OsStoreOptions;
}

const der = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, "base64"));

export function createTrust(options: TrustWiringOptions): TrustParts {
  const { policy, now } = options;
  const bundles = new TrustBundleStore({ dataDir: options.dataDir, config: policy.trustBundle, now, ...(options.ca ? { ca: options.ca } : {}) });
  let anchors: Promise<{ readonly anchors: readonly TrustAnchor[]; readonly problems: readonly AnchorProblem[] }> | undefined;
  // The OS store is read once per process (a web-PKI store changes with OS updates, not between signatures).
  let system: ReturnType<typeof readOsStore> | undefined;
  bundles.onChange(() => {
    anchors = undefined;
  });
  // Admin-owned files, read once (small, local); one that cannot be read is a diagnostics problem, not a crash.
  const intermediateProblems: AnchorProblem[] = [];
  const policyIntermediates = policy.trustIntermediateFiles.flatMap((file) => {
    try {
      if (statSync(file).size > MAX_ANCHOR_FILE_BYTES) {
        intermediateProblems.push({ origin: file, message: "not a file of at most 1 MiB" });
        return [];
      }
      // Only what parses as a CA certificate goes into chain building (the same test as for anchors).
      const found = certificatesIn(new Uint8Array(readFileSync(file))).filter((der) => {
        try {
          return new X509Certificate(der).ca;
        } catch {
          return false;
        }
      });
      if (found.length === 0) intermediateProblems.push({ origin: file, message: "no CA certificate found" });
      return found;
    } catch (error) {
      intermediateProblems.push({ origin: file, message: `unreadable: ${(error as Error).message}` });
      return [];
    }
  });
  const load = () =>
    (anchors ??= (async () =>
      loadAnchors({
        pems: policy.trustAnchors,
        files: policy.trustAnchorFiles,
        folders: policy.trustAnchorFolders,
        trustBundle: bundles.current()?.anchors ?? [],
        ...(policy.trustAnchorsOsStore ? { system: await (system ??= readOsStore(options.osStore)) } : {}),
      }))());
  const loaded = async (): Promise<readonly TrustAnchor[]> => (await load()).anchors;
  const checker = new ChainChecker({
    anchors: loaded,
    intermediates: () => [...policyIntermediates, ...(bundles.current()?.intermediates ?? [])],
    aia: new AiaIssuerFetcher({ offline: policy.revocationOffline, now }),
    revocation: (certificate, issuer) => options.revocation.check(certificate, issuer),
    now,
  });
  const chains = { check: (c: CertificateInfo, intermediates: boolean) => checker.check(der(c.certificate), c.chain.map(der), intermediates) };
  let timer: ReturnType<typeof setInterval> | undefined;
  const refresh = (): void => void bundles.refresh().catch(() => undefined);
  return {
    bundles,
    anchors: loaded,
    async anchorSummary() {
      const { anchors: all, problems } = await load();
      return { counts: anchorCounts(all), osStore: policy.trustAnchorsOsStore, problems: [...problems, ...intermediateProblems] };
    },
    chains,
    async view(certificate) {
      if (!certificate.valid || (policy.chainCheck === "off" && policy.revocationCheck === "off")) return undefined;
      const result = await chains.check(certificate, policy.revocationCheck !== "off");
      const verdict = chainVerdict(result, policy.chainCheck, policy.revocationCheck);
      return { ...chainView(result), ...(verdict.warning ? { warning: verdict.warning } : {}) };
    },
    async start() {
      if (!policy.trustBundle || timer) return;
      await bundles.refresh({ fetch: false }).catch(() => undefined);
      if (policy.trustBundle.url) refresh();
      timer = setInterval(refresh, policy.trustBundle.refreshHours * 3_600_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

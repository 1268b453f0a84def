/**
 * The core's side of "verify a received document" (the bridge's `verify`, later the UI and the CLI): the bytes go
 * to the bounded document worker (`DocumentWorkers.verifyDocument`), never parsed on this thread, with the trust
 * anchors signing uses (the bundled national roots plus the policy's `trustAnchors`, loaded once).
 *
 * Online revocation look-ups are a request from a page to make KySo fetch URLs named in a certificate the page
 * supplied. So the look-up port handed to the worker asks the revocation service only for a certificate that
 * chains, through the issuer the worker names, to one of those anchors: the URLs are then ones a trusted CA
 * published. Anything else answers "not checked" without a request (`trustedLookups`), whatever the verifier of
 * any format asks, so a page cannot point KySo at an intranet address with a self-made certificate.
 */
import type { VerificationReport } from "../../domain/wire/verify-report.js";
import type { VerifyPort } from "../bridge/command.js";
import type { RevocationResult } from "../certificates/revocation/types.js";
import { buildTrustedChain, type TrustAnchor } from "../certificates/trust/index.js";
import type { DocumentWorkers } from "../signing/worker/document-workers.js";
import type { RevocationLookupService } from "./revocation-evidence.js";

export interface DocumentVerifierOptions {
  readonly workers: Pick<DocumentWorkers, "verifyDocument">;
  /** The anchors signing uses (trust-wiring.ts: national roots, policy, signed bundle), read at each verification. */
  readonly anchors: () => Promise<readonly TrustAnchor[]>;
  /** The core's revocation service (its cache and `revocationOffline` apply); absent: `online` asks nothing. */
  readonly revocation?: RevocationLookupService;
  readonly now: () => Date;
}

/** The worker's options object, with what the XML/CMS verifiers read (`detachedContent`) passed through. */
type WorkerVerifyOptions = Parameters<DocumentWorkers["verifyDocument"]>[1] & { readonly detachedContent?: Uint8Array };

export function createDocumentVerifier(options: DocumentVerifierOptions): VerifyPort {
  return {
    async verify(document, { detachedContent, online }): Promise<VerificationReport> {
      const loaded = await options.anchors();
      const workerOptions: WorkerVerifyOptions = { anchors: loaded, now: options.now().getTime(), ...(detachedContent ? { detachedContent } : {}) };
      const lookups = online && options.revocation ? trustedLookups(options.revocation, loaded, options.now) : undefined;
      return options.workers.verifyDocument(document, workerOptions, lookups);
    },
  };
}

/**
 * Look-ups only for a certificate whose chain, with the named issuer as the only intermediate, reaches an anchor.
 * A deeper chain (an intermediate the core does not hold) is not looked up: "not checked", never a guess.
 */
export function trustedLookups(service: RevocationLookupService, anchors: readonly TrustAnchor[], now: () => Date): RevocationLookupService {
  return {
    async check(certificate, issuer) {
      const at = now();
      const chain = await buildTrustedChain(certificate, { anchors, intermediates: issuer ? [issuer] : [], now: at });
      if (!chain.trusted) return notChecked(at);
      return service.check(certificate, issuer ?? chain.chain[0]);
    },
  };
}

function notChecked(at: Date): RevocationResult {
  return { status: "error", source: "none", checkedAt: at, detail: "url-not-allowed", message: "certificate does not chain to a trust anchor: not looked up", notes: [], fromCache: false, attempts: [] };
}

/**
 * English words of the trust checks (the chain line of the approval and the certificates page, the chain
 * refusals, the trust bundle in diagnostics): kept apart from en.ts only to keep each file short; merged into the
 * one catalogue by en.ts. The national roots are named by their own names.
 */
export const trustEn = {
  "trust.root.vn-national-root": "Vietnam National Root CA (NEAC)",
  "trust.root.vn-gov-root-g2": "RootCA chuyên dùng Chính phủ G2 (Government Cipher Committee)",
  "trust.chain.trusted": "Trust path: chains to {anchor}",
  "trust.chain.systemAnchor": "{anchor} (system store)",
  "trust.chain.untrusted": "Trust path: does not chain to a trusted root certificate",
  "trust.chain.intermediatesGood": "intermediate CAs not revoked",
  "trust.chain.intermediateRevoked": "intermediate CA {name} is revoked",
  "trust.chain.intermediateUnchecked": "the revocation status of intermediate CA {name} could not be checked",
  "trust.chain.intermediateNotPublished": "intermediate CA {name} publishes no revocation status",
  "trust.refusal.untrustedChain": "does not chain to a trusted root certificate (required by your organisation)",
  "trust.refusal.intermediateRevoked": "an intermediate CA of its chain is revoked",
  "trust.refusal.intermediateRevocationUnknown": "the revocation status of an intermediate CA could not be confirmed (required by your organisation)",
  "trust.bundle.heading": "Trust bundle",
  "trust.anchors.counts": "Trust anchors: {bundled} national roots, {policy} from the policy, {bundle} from the trust bundle, {system} from the system store",
  "trust.anchors.osStoreOn": "System certificate store: used (policy trustAnchorsOsStore)",
  "trust.anchors.osStoreOff": "System certificate store: not used",
  "trust.bundle.inUse": "Version {version}, issued {issuedAt}, valid until {expiresAt}: {anchors} root certificates, {intermediates} intermediate CAs",
  "trust.bundle.none": "No signed trust bundle in use",
  "trust.bundle.problem": "Refused ({source}): {reason}",
  "trust.bundle.reason.malformed": "not a valid trust bundle",
  "trust.bundle.reason.unknown-key": "signed by a key the policy does not name",
  "trust.bundle.reason.bad-signature": "the signature does not verify",
  "trust.bundle.reason.expired": "expired",
  "trust.bundle.reason.not-yet-valid": "issued in the future",
  "trust.bundle.reason.rollback": "older than the bundle in use",
  "trust.bundle.reason.unreadable": "the file cannot be read",
  "trust.bundle.reason.fetch-failed": "could not be downloaded",
} as const;

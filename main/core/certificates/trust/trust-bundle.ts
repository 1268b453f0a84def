/**
 * Signed trust bundle: more anchors and intermediates an organisation publishes, taken only when signed by a
 * publisher key the machine policy names (`trustBundle.publisherKeys`, PEM SubjectPublicKeyInfo). The file is a
 * JSON envelope (docs/admin.md, "Trust bundle"):
 *
 *   { "kysoTrustBundle": 1, "keyId": "<SHA-256 hex of the publisher's SPKI DER>",
 *     "payload": "<base64 of the content JSON>", "signature": "<base64 detached signature over the payload bytes>" }
 *
 * and the content `{ "version": 3, "issuedAt": ISO, "expiresAt": ISO, "anchors": [PEM], "intermediates": [PEM] }`.
 * The signature is over the exact payload bytes: ECDSA with SHA-256 (DER, as `openssl dgst -sha256 -sign`),
 * RSASSA-PSS SHA-256 with a 32-byte salt for RSA keys of at least 2048 bits (Circular 15/2025 names PSS), or
 * Ed25519. A detached signature over bytes, not CMS: nothing of the bundle is parsed before its signature holds.
 */
import { constants, createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { certificatesIn } from "./anchor-store.js";

export const MAX_TRUST_BUNDLE_BYTES = 4 * 1024 * 1024;

import type { TrustBundleRefusal } from "./trust-bundle-types.js";

export type { TrustBundleRefusal };

export interface TrustBundle {
  readonly version: number;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** PEM texts, loaded like policy `trustAnchors` (only CA certificates become anchors). */
  readonly anchors: readonly string[];
  /** DER. */
  readonly intermediates: readonly Uint8Array[];
  readonly keyId: string;
  /** The envelope as received: what is stored and re-verified at the next start. */
  readonly envelope: Uint8Array;
}

export type BundleCheck =
  | { readonly ok: true; readonly bundle: TrustBundle }
  | { readonly ok: false; readonly reason: TrustBundleRefusal; readonly message: string };

export interface PublisherKey {
  readonly keyId: string;
  readonly key: KeyObject;
}

/** The policy's publisher keys; one that cannot be read is reported (the policy is otherwise valid). */
export function publisherKeys(pems: readonly string[]): { keys: PublisherKey[]; problems: string[] } {
  const keys: PublisherKey[] = [];
  const problems: string[] = [];
  pems.forEach((pem, index) => {
    try {
      const key = createPublicKey(pem);
      const der = key.export({ type: "spki", format: "der" });
      keys.push({ keyId: createHash("sha256").update(der).digest("hex"), key });
    } catch (error) {
      problems.push(`trustBundle.publisherKeys[${index}]: not a public key: ${String(error)}`);
    }
  });
  return { keys, problems };
}

/** Verifies an envelope against the publisher keys and `now`; the content is read only once the signature holds. */
export function verifyTrustBundle(envelope: Uint8Array, keys: readonly PublisherKey[], now: Date): BundleCheck {
  const refuse = (reason: TrustBundleRefusal, message: string): BundleCheck => ({ ok: false, reason, message });
  if (envelope.length > MAX_TRUST_BUNDLE_BYTES) return refuse("malformed", `larger than ${MAX_TRUST_BUNDLE_BYTES} bytes`);
  let outer: unknown;
  try {
    outer = JSON.parse(Buffer.from(envelope).toString("utf8"));
  } catch {
    return refuse("malformed", "not JSON");
  }
  const o = outer as Record<string, unknown>;
  if (o?.kysoTrustBundle !== 1 || typeof o.keyId !== "string" || typeof o.payload !== "string" || typeof o.signature !== "string") {
    return refuse("malformed", "not a KySo trust bundle envelope (kysoTrustBundle 1, keyId, payload, signature)");
  }
  const publisher = keys.find((k) => k.keyId === (o.keyId as string).toLowerCase());
  if (!publisher) return refuse("unknown-key", `signed by key ${o.keyId}, which the policy does not name`);
  const payload = Buffer.from(o.payload, "base64");
  if (!signatureHolds(publisher.key, payload, Buffer.from(o.signature, "base64"))) {
    return refuse("bad-signature", `the signature does not verify with key ${publisher.keyId}`);
  }
  let content: Record<string, unknown>;
  try {
    content = JSON.parse(payload.toString("utf8")) as Record<string, unknown>;
  } catch {
    return refuse("malformed", "signed content is not JSON");
  }
  const issuedAt = new Date(String(content.issuedAt));
  const expiresAt = new Date(String(content.expiresAt));
  const anchors = content.anchors ?? [];
  const intermediates = content.intermediates ?? [];
  if (!Number.isSafeInteger(content.version) || (content.version as number) < 1 || Number.isNaN(issuedAt.getTime()) || Number.isNaN(expiresAt.getTime())) {
    return refuse("malformed", "version (integer >= 1), issuedAt and expiresAt (ISO times) are required");
  }
  if (!isStringArray(anchors) || !isStringArray(intermediates)) return refuse("malformed", "anchors and intermediates must be PEM strings");
  if (now.getTime() > expiresAt.getTime()) return refuse("expired", `expired at ${expiresAt.toISOString()}`);
  // A little skew allowance: the publisher's clock and this machine's differ by minutes, not days.
  if (issuedAt.getTime() > now.getTime() + 5 * 60_000) return refuse("not-yet-valid", `issued in the future (${issuedAt.toISOString()})`);
  return {
    ok: true,
    bundle: {
      version: content.version as number,
      issuedAt,
      expiresAt,
      anchors,
      intermediates: intermediates.flatMap((pem) => certificatesIn(pem)),
      keyId: publisher.keyId,
      envelope,
    },
  };
}

/** Whether `candidate` is older than `current` (version first, then issuedAt): taking it would be a rollback. */
export function isRollback(candidate: TrustBundle, current: TrustBundle | undefined): boolean {
  if (!current) return false;
  if (candidate.version !== current.version) return candidate.version < current.version;
  return candidate.issuedAt.getTime() < current.issuedAt.getTime();
}

export function sameBundle(a: TrustBundle, b: TrustBundle | undefined): boolean {
  return b !== undefined && a.version === b.version && a.issuedAt.getTime() === b.issuedAt.getTime();
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function signatureHolds(key: KeyObject, payload: Buffer, signature: Buffer): boolean {
  try {
    const type = key.asymmetricKeyType;
    if (type === "ed25519") return verify(null, payload, key, signature);
    if (type === "ec") return verify("sha256", payload, key, signature);
    if (type === "rsa" || type === "rsa-pss") {
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) return false;
      return verify("sha256", payload, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
    }
    return false;
  } catch {
    return false;
  }
}

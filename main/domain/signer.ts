import type { HashAlgorithm } from "./hash-algorithm.js";

/** How the private key turns a digest into a signature. */
export type SignatureScheme = "rsa-pkcs1" | "rsa-pss" | "ecdsa";

export type KeyAlgorithm =
  | { readonly kind: "rsa"; readonly modulusBits: number }
  | { readonly kind: "ec"; readonly curve: "P-256" | "P-384" | "P-521" };

export interface DigestSigningRequest {
  readonly hashAlgorithm: HashAlgorithm;
  /** The hash of what is signed; the token never sees the document itself. */
  readonly digest: Uint8Array;
  readonly scheme: SignatureScheme;
}

export interface SignatureValue {
  /** PKCS#1 / PSS signature for RSA; DER `ECDSA-Sig-Value` for ECDSA (what CMS and X.509 want). */
  readonly value: Uint8Array;
  /** Same as `value` for RSA; `r || s` for ECDSA (what XMLDSig and JWS want). */
  readonly raw: Uint8Array;
}

/**
 * What every signing format needs from a token, and nothing more: the formats never touch PKCS#11.
 * The token layer builds one per approved request, already logged in.
 */
export interface Signer {
  /** The signer certificate, DER. */
  readonly certificate: Uint8Array;
  /** Issuer certificates, DER, nearest first, without the signer certificate. May be empty. */
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
  signDigest(request: DigestSigningRequest): Promise<SignatureValue>;
}

/** The scheme a key signs with when the request does not choose: PKCS#1 v1.5, which every Vietnamese portal uses. */
export function defaultScheme(key: KeyAlgorithm): SignatureScheme {
  return key.kind === "rsa" ? "rsa-pkcs1" : "ecdsa";
}

/**
 * A signer that can sign several digests under one confirmation of the user: a remote account, whose provider
 * takes every hash of a batch in one transaction (one prompt on the phone instead of one per document). The
 * batch path (`signTogether`, main/core/signing/batch-together.ts) uses it when present; tokens do not need it.
 */
export interface BatchSigner extends Signer {
  /** One signature per request, in order; all or nothing (the user confirmed or refused the whole batch). */
  signDigests(requests: readonly DigestSigningRequest[]): Promise<SignatureValue[]>;
}

export function isBatchSigner(signer: Signer): signer is BatchSigner {
  return typeof (signer as Partial<BatchSigner>).signDigests === "function";
}

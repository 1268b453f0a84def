/**
 * Remote signing accounts (ký số từ xa, issue 16): the key lives in the CA's HSM, the user confirms on a phone,
 * and KySo sends only the digest it computed. Each provider is a small client behind `RemoteProvider`; the
 * `RemoteSigner` adapts one credential of one account to the `Signer` every format already takes.
 */
import type { HashAlgorithm } from "../../domain/hash-algorithm.js";
import type { KeyAlgorithm, SignatureScheme } from "../../domain/signer.js";

export type RemoteProviderKind = "csc" | "vnpt-smartca" | "neac" | "viettel-mysign";

/** The user's own account at a provider: an id the user types (a setting), never a password. */
export interface RemoteAccount {
  readonly userId: string;
  /** NEAC names the CA that holds the key (`ca_name`); other providers ignore it. */
  readonly caName?: string;
}

export interface RemoteCredential {
  /** The provider's id for the key (CSC `credentialID`, VNPT `serial_number`, NEAC certificate serial, MySign `credential_id`). */
  readonly id: string;
  /** Signer certificate, DER. */
  readonly certificate: Uint8Array;
  /** Issuer certificates, DER, nearest first. */
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
}

/** What the phone app shows the user: the document title and the portal's origin, nothing of the document. */
export interface RemoteTransaction {
  readonly description: string;
  readonly origin: string;
}

export interface RemoteSignRequest {
  readonly credentialId: string;
  readonly digest: Uint8Array;
  readonly hashAlgorithm: HashAlgorithm;
  readonly scheme: SignatureScheme;
  readonly transaction: RemoteTransaction;
}

/**
 * Several digests under one confirmation (a `signBatch`): every provider documents a list in one request (CSC
 * `hashes[]` + `numSignatures`, VNPT and NEAC `sign_files[]`, MySign `hash[]` + `numSignatures`), so the user
 * confirms once on the phone for the whole batch. The signatures come back in the order of `digests`.
 */
export interface RemoteBatchSignRequest extends Omit<RemoteSignRequest, "digest"> {
  readonly digests: readonly Uint8Array[];
}

/**
 * The typed states of one remote signature. `waiting_for_phone` is the only non-final one; every failure state
 * maps to one catalogue code (`remoteStateError`).
 */
export type RemoteSignState =
  | { readonly state: "waiting_for_phone"; readonly transactionId: string; readonly expiresAt?: number }
  | { readonly state: "success" }
  | { readonly state: "expired" }
  | { readonly state: "rejected" }
  | { readonly state: "quota_exhausted" }
  | { readonly state: "network_failure" }
  | { readonly state: "failed"; readonly reason: string };

export interface RemoteSignOptions {
  /** Told about every state change, for the "confirm on your phone" approval state (not wired yet). */
  readonly onState?: (state: RemoteSignState) => void;
  readonly signal?: AbortSignal;
  /** CSC explicit authorization: asks the user for the OTP in the approval (typed only in KySo's window, never stored). */
  readonly otp?: () => Promise<string>;
}

export interface RemoteProvider {
  readonly kind: RemoteProviderKind;
  listCredentials(account: RemoteAccount): Promise<RemoteCredential[]>;
  /** The raw signature value (PKCS#1 v1.5 for RSA, DER ECDSA-Sig-Value for EC), after the user confirmed. */
  signHash(account: RemoteAccount, request: RemoteSignRequest, options?: RemoteSignOptions): Promise<Uint8Array>;
  /** Every digest in one transaction (one phone confirmation); one signature per digest, in order. */
  signHashes?(account: RemoteAccount, request: RemoteBatchSignRequest, options?: RemoteSignOptions): Promise<Uint8Array[]>;
}

/** Time for polling, injected so tests never sleep. */
export interface RemoteClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: RemoteClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(signal.reason);
      }, { once: true });
    }),
};

/** `fetch`, injected so a provider can be pointed at a proxy or a test double; defaults to the global one. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{
  readonly status: number;
  text(): Promise<string>;
}>;

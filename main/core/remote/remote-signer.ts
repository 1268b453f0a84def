import { X509Certificate } from "node:crypto";
import { KysoError, isKysoError } from "../../domain/errors/index.js";
import { assertDigestLength } from "../../domain/hash-algorithm.js";
import type { BatchSigner, DigestSigningRequest, KeyAlgorithm, SignatureValue } from "../../domain/signer.js";
import { ecdsaDerToRaw } from "../../../native/pkcs11/ecdsa-signature.js";
import type { RemoteAccount, RemoteBatchSignRequest, RemoteClock, RemoteCredential, RemoteProvider, RemoteSignOptions, RemoteSignRequest, RemoteSignState, RemoteTransaction } from "./types.js";
import { remoteStateError } from "./errors.js";

const FIELD_BYTES = { "P-256": 32, "P-384": 48, "P-521": 66 } as const;

/** The key algorithm a provider's certificate carries, read from the certificate itself (never trusted from JSON). */
export function keyAlgorithmOf(certificate: Uint8Array): KeyAlgorithm {
  const key = new X509Certificate(certificate).publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "rsa") return { kind: "rsa", modulusBits: details.modulusLength ?? 0 };
  if (key.asymmetricKeyType === "ec") {
    const curve = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" }[details.namedCurve ?? ""];
    if (curve) return { kind: "ec", curve: curve as "P-256" | "P-384" | "P-521" };
  }
  throw new KysoError("unsupported_algorithm", `remote certificate key ${key.asymmetricKeyType ?? "unknown"}`);
}

/** One digest as a batch of one: the providers sign a single hash through their batch call (one path to test). */
export async function signOneHash(
  provider: { signHashes(account: RemoteAccount, request: RemoteBatchSignRequest, options?: RemoteSignOptions): Promise<Uint8Array[]> },
  account: RemoteAccount,
  request: RemoteSignRequest,
  options: RemoteSignOptions,
): Promise<Uint8Array> {
  const { digest, ...rest } = request;
  const [signature] = await provider.signHashes(account, { ...rest, digests: [digest] }, options);
  return signature!;
}

/**
 * One credential of one remote account as a `Signer`: the formats compute the digest (CMS signed attributes,
 * PAdES ByteRange, XML SignedInfo) and this sends only that digest to the provider.
 */
export class RemoteSigner implements BatchSigner {
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;

  constructor(
    private readonly provider: RemoteProvider,
    private readonly account: RemoteAccount,
    private readonly credential: RemoteCredential,
    private readonly transaction: RemoteTransaction,
    private readonly options: RemoteSignOptions = {},
  ) {
    this.certificate = credential.certificate;
    this.chain = credential.chain;
    this.keyAlgorithm = credential.keyAlgorithm;
  }

  async signDigest(request: DigestSigningRequest): Promise<SignatureValue> {
    assertDigestLength(request.hashAlgorithm, request.digest);
    // The Vietnamese remote services sign PKCS#1 v1.5 (RSA) or ECDSA; none documents PSS for hash signing.
    if (request.scheme === "rsa-pss") throw new KysoError("unsupported_algorithm", "remote signing services do not sign RSA-PSS");
    const value = await this.provider.signHash(
      this.account,
      { credentialId: this.credential.id, digest: request.digest, hashAlgorithm: request.hashAlgorithm, scheme: request.scheme, transaction: this.transaction },
      this.options,
    );
    return this.toSignatureValue(value);
  }

  /**
   * A batch's digests in one provider transaction (one phone confirmation), when the provider takes several
   * hashes at once and they share one algorithm and scheme (the formats sign a batch with one); otherwise one
   * transaction per digest, one after the other.
   */
  async signDigests(requests: readonly DigestSigningRequest[]): Promise<SignatureValue[]> {
    for (const request of requests) {
      assertDigestLength(request.hashAlgorithm, request.digest);
      if (request.scheme === "rsa-pss") throw new KysoError("unsupported_algorithm", "remote signing services do not sign RSA-PSS");
    }
    const [first] = requests;
    if (!first) return [];
    const uniform = requests.every((r) => r.hashAlgorithm === first.hashAlgorithm && r.scheme === first.scheme);
    if (!this.provider.signHashes || !uniform || requests.length === 1) {
      const values: SignatureValue[] = [];
      for (const request of requests) values.push(await this.signDigest(request));
      return values;
    }
    const values = await this.provider.signHashes(
      this.account,
      { credentialId: this.credential.id, digests: requests.map((r) => r.digest), hashAlgorithm: first.hashAlgorithm, scheme: first.scheme, transaction: this.transaction },
      this.options,
    );
    if (values.length !== requests.length) throw new KysoError("remote_unavailable", `${values.length} signatures for ${requests.length} digests`);
    return values.map((value) => this.toSignatureValue(value));
  }

  private toSignatureValue(value: Uint8Array): SignatureValue {
    if (this.keyAlgorithm.kind === "ec") return { value, raw: ecdsaDerToRaw(value, FIELD_BYTES[this.keyAlgorithm.curve]) };
    return { value, raw: value };
  }
}

export interface PollOptions {
  readonly provider: string;
  readonly clock: RemoteClock;
  readonly intervalMs: number;
  /** When the provider's own expiry passes without a final state, the signature is `expired`. */
  readonly deadline: number;
  readonly onState?: (state: RemoteSignState) => void;
  readonly signal?: AbortSignal;
}

/**
 * Polls `check` until a final state; returns its value on success and throws the state's catalogue error
 * otherwise. A network failure while waiting is retried until the deadline (the phone may still approve).
 */
export async function pollUntilFinal<T>(check: () => Promise<{ state: RemoteSignState; value?: T }>, options: PollOptions): Promise<T> {
  let lastNetworkFailure = false;
  for (;;) {
    if (options.signal?.aborted) throw new KysoError("user_rejected", `${options.provider}: cancelled while waiting for the phone`);
    let result: { state: RemoteSignState; value?: T };
    try {
      result = await check();
      lastNetworkFailure = false;
    } catch (error) {
      if (!isKysoError(error, "remote_unavailable")) throw error;
      lastNetworkFailure = true;
      result = { state: { state: "waiting_for_phone", transactionId: "" } };
    }
    const { state } = result;
    if (state.state !== "waiting_for_phone") options.onState?.(state);
    if (state.state === "success") {
      if (result.value === undefined) throw new KysoError("remote_unavailable", `${options.provider}: success without a signature`);
      return result.value;
    }
    if (state.state !== "waiting_for_phone") throw remoteStateError(state, options.provider);
    if (options.clock.now() >= options.deadline) {
      throw remoteStateError(lastNetworkFailure ? { state: "network_failure" } : { state: "expired" }, options.provider);
    }
    try {
      await options.clock.sleep(options.intervalMs, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw new KysoError("user_rejected", `${options.provider}: cancelled while waiting for the phone`);
      throw error;
    }
  }
}

/**
 * The Signer handed to the formats after a successful login: each signDigest is one `sign` request to the
 * token host; `close` ends the session (and the login, unless the PIN cache keeps it).
 */
import { assertDigestLength, HASH_ALGORITHMS } from "../../domain/hash-algorithm.js";
import type { DigestSigningRequest, KeyAlgorithm, SignatureValue } from "../../domain/signer.js";
import { KysoError } from "../../domain/errors/index.js";
import type { HostSupervisor } from "./host-supervisor.js";
import type { OpenedSigner } from "./token-service.js";

export interface OpenedSignerContext {
  readonly certificateId: string;
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
  readonly supervisor: HostSupervisor;
  /** Host lifetime the session belongs to: after a restart the session is gone. */
  readonly generation: number;
  readonly ref: string;
  readonly signingTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly keepLogin: () => boolean;
  readonly onClosed: () => void;
}

export function createOpenedSigner(context: OpenedSignerContext): OpenedSigner {
  let closed = false;
  return {
    certificateId: context.certificateId,
    certificate: context.certificate,
    chain: context.chain,
    keyAlgorithm: context.keyAlgorithm,
    async signDigest(request: DigestSigningRequest): Promise<SignatureValue> {
      if (closed) throw new KysoError("invalid_params", "signer already closed");
      checkRequest(request, context.keyAlgorithm);
      if (context.supervisor.generation !== context.generation) {
        throw new KysoError("signing_failed", "the token host restarted; open the signer again", { reason: "host_restarted" });
      }
      const result = await context.supervisor.request(
        "sign",
        {
          ref: context.ref,
          hashAlgorithm: request.hashAlgorithm,
          digest: Buffer.from(request.digest).toString("base64"),
          scheme: request.scheme,
        },
        context.signingTimeoutMs,
      );
      return { value: new Uint8Array(Buffer.from(result.value, "base64")), raw: new Uint8Array(Buffer.from(result.raw, "base64")) };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      try {
        if (context.supervisor.generation === context.generation && context.supervisor.running) {
          await context.supervisor.request("close", { ref: context.ref, keepLogin: context.keepLogin() }, context.closeTimeoutMs);
        }
      } catch {
        // The session is gone with the token or the host: nothing left to close.
      } finally {
        context.onClosed();
      }
    },
  };
}

/** Refuses what the token must never be asked: SHA-1 or unknown hashes, wrong digest sizes, a scheme the key cannot do. */
function checkRequest(request: DigestSigningRequest, key: KeyAlgorithm): void {
  if (!(HASH_ALGORITHMS as readonly string[]).includes(request.hashAlgorithm)) {
    throw new KysoError("unsupported_algorithm", `hash algorithm ${String(request.hashAlgorithm)}`);
  }
  assertDigestLength(request.hashAlgorithm, request.digest);
  const needs = request.scheme === "ecdsa" ? "ec" : "rsa";
  if (key.kind !== needs) throw new KysoError("unsupported_algorithm", `scheme ${request.scheme} with a ${key.kind} key`);
}

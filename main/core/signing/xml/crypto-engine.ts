/**
 * The WebCrypto-shaped engine xmldsigjs and xadesjs call. Everything goes to Node's WebCrypto except `sign` with a
 * token key: that hashes here and hands the digest to the Signer, so the token never sees the XML.
 *
 * The engine is process-global in xmldsigjs, so the token key carries its Signer (a WeakMap from the key object):
 * concurrent signatures with different tokens cannot cross.
 */
import { webcrypto } from "node:crypto";
import * as xmldsig from "xmldsigjs";
import { NODE_HASH_NAME, parseHashAlgorithm, type HashAlgorithm } from "../../../domain/hash-algorithm.js";
import type { SignatureScheme, Signer } from "../../../domain/signer.js";
import { KysoError, isKysoError } from "../../../domain/errors/index.js";
import { digest } from "../hashing.js";

interface TokenKey {
  readonly signer: Signer;
  readonly scheme: SignatureScheme;
  readonly hashAlgorithm: HashAlgorithm;
  /** Every SignedInfo digest the key signed, for the result's audit digest. */
  readonly digests: Uint8Array[];
}

const tokenKeys = new WeakMap<object, TokenKey>();
const nodeSubtle = webcrypto.subtle;

const subtle = new Proxy(nodeSubtle, {
  get(target, property) {
    if (property === "sign") {
      return async (algorithm: unknown, key: object, data: ArrayBuffer | ArrayBufferView): Promise<ArrayBuffer> => {
        const tokenKey = tokenKeys.get(key);
        if (!tokenKey) return target.sign(algorithm as webcrypto.AlgorithmIdentifier, key as webcrypto.CryptoKey, data);
        const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
        const value = digest(tokenKey.hashAlgorithm, bytes);
        tokenKey.digests.push(value);
        try {
          const result = await tokenKey.signer.signDigest({ hashAlgorithm: tokenKey.hashAlgorithm, digest: value, scheme: tokenKey.scheme });
          // XMLDSig wants raw r||s for ECDSA (RFC 4050/6931), PKCS#1 bytes for RSA.
          const out = tokenKey.scheme === "ecdsa" ? result.raw : result.value;
          return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
        } catch (error) {
          throw isKysoError(error) ? error : new KysoError("signing_failed", String(error), undefined, { cause: error });
        }
      };
    }
    const value = Reflect.get(target, property, target) as unknown;
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
  },
});

let installed = false;
function install(): void {
  if (installed) return;
  xmldsig.Application.setEngine("KySo", { subtle, getRandomValues: webcrypto.getRandomValues.bind(webcrypto) } as unknown as Parameters<typeof xmldsig.Application.setEngine>[1]);
  installed = true;
}

type SignArguments = Parameters<xmldsig.SignedXml["Sign"]>;
export type DsigAlgorithm = SignArguments[0];
export type DsigKey = SignArguments[1];
/** The DOM type xmldsigjs declares (lib.dom); at run time it is @xmldom/xmldom's. */
export type DsigDocument = Extract<SignArguments[2], { documentElement: unknown }>;

export interface XmlSigningKey {
  readonly key: DsigKey;
  /** The `algorithm` argument of SignedXml.Sign. */
  readonly algorithm: DsigAlgorithm;
  readonly digests: readonly Uint8Array[];
}

export function tokenSigningKey(signer: Signer, hashAlgorithm: HashAlgorithm, scheme: SignatureScheme): XmlSigningKey {
  install();
  parseHashAlgorithm(hashAlgorithm);
  const hash = { name: hashAlgorithm };
  const algorithm: DsigAlgorithm & Record<string, unknown> =
    scheme === "ecdsa"
      ? { name: "ECDSA", hash, namedCurve: signer.keyAlgorithm.kind === "ec" ? signer.keyAlgorithm.curve : "P-256" }
      : scheme === "rsa-pss"
        ? { name: "RSA-PSS", hash, saltLength: Number(NODE_HASH_NAME[hashAlgorithm].slice(3)) / 8 }
        : { name: "RSASSA-PKCS1-v1_5", hash };
  const digests: Uint8Array[] = [];
  const key = { algorithm, type: "private", extractable: false, usages: ["sign"] } as unknown as DsigKey;
  tokenKeys.set(key, { signer, scheme, hashAlgorithm, digests });
  return { key, algorithm, digests };
}

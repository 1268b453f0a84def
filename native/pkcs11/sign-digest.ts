import pkcs11js from "pkcs11js";
import {
  assertDigestLength,
  DIGEST_INFO_PREFIX,
  DIGEST_LENGTH,
  type HashAlgorithm,
} from "../../main/domain/hash-algorithm.js";
import type { DigestSigningRequest, KeyAlgorithm, SignatureValue } from "../../main/domain/signer.js";
import { ecdsaRawToDer } from "./ecdsa-signature.js";

const PSS_HASH: Readonly<Record<HashAlgorithm, { hashAlg: number; mgf: number }>> = {
  "SHA-256": { hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256 },
  "SHA-384": { hashAlg: pkcs11js.CKM_SHA384, mgf: pkcs11js.CKG_MGF1_SHA384 },
  "SHA-512": { hashAlg: pkcs11js.CKM_SHA512, mgf: pkcs11js.CKG_MGF1_SHA512 },
};

export interface TokenSignInput {
  /** What goes to C_SignInit. */
  readonly mechanism: pkcs11js.Mechanism;
  /** What goes to C_Sign: never the document, only its digest (wrapped in DigestInfo for PKCS#1 v1.5). */
  readonly data: Buffer;
  /** Upper bound of the signature size, for the output buffer (no two-step size query: some drivers answer 0). */
  readonly outputBytes: number;
}

/**
 * "Hash in JS, token signs the digest": the mechanism and input for one signature. Works with every token and
 * keeps documents of any size off the token (shared/notes/formats.md, token primitives).
 */
export function tokenSignInput(request: DigestSigningRequest, key: KeyAlgorithm): TokenSignInput {
  assertDigestLength(request.hashAlgorithm, request.digest);
  const digest = Buffer.from(request.digest);
  switch (request.scheme) {
    case "rsa-pkcs1":
      requireKind(key, "rsa", request.scheme);
      return {
        mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS },
        data: Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[request.hashAlgorithm], "hex"), digest]),
        outputBytes: 1024,
      };
    case "rsa-pss":
      requireKind(key, "rsa", request.scheme);
      return {
        mechanism: {
          mechanism: pkcs11js.CKM_RSA_PKCS_PSS,
          parameter: {
            type: pkcs11js.CK_PARAMS_RSA_PSS,
            ...PSS_HASH[request.hashAlgorithm],
            saltLen: DIGEST_LENGTH[request.hashAlgorithm],
          } as pkcs11js.RsaPSS,
        },
        data: digest,
        outputBytes: 1024,
      };
    case "ecdsa":
      requireKind(key, "ec", request.scheme);
      return { mechanism: { mechanism: pkcs11js.CKM_ECDSA }, data: digest, outputBytes: 256 };
  }
}

function requireKind(key: KeyAlgorithm, kind: KeyAlgorithm["kind"], scheme: string): void {
  if (key.kind !== kind) throw new TypeError(`scheme ${scheme} needs a ${kind} key, the key is ${key.kind}`);
}

/** Shapes the token's answer into both forms the formats need. */
export function signatureValue(request: DigestSigningRequest, tokenOutput: Uint8Array): SignatureValue {
  const bytes = new Uint8Array(tokenOutput);
  return request.scheme === "ecdsa" ? { value: ecdsaRawToDer(bytes), raw: bytes } : { value: bytes, raw: bytes };
}

/** C_SignInit + async C_Sign on an open, logged-in session. The caller serialises calls per token. */
export async function signDigestOnSession(
  p11: pkcs11js.PKCS11,
  session: Buffer,
  privateKey: Buffer,
  key: KeyAlgorithm,
  request: DigestSigningRequest,
  contextLogin?: () => void,
): Promise<SignatureValue> {
  const input = tokenSignInput(request, key);
  p11.C_SignInit(session, input.mechanism, privateKey);
  contextLogin?.();
  const out = await new Promise<Buffer>((resolve, reject) => {
    p11.C_Sign(session, input.data, Buffer.alloc(input.outputBytes), (error, data) => (error ? reject(error) : resolve(data)));
  });
  return signatureValue(request, out);
}

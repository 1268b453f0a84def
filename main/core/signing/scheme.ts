import { defaultScheme, type SignatureScheme, type Signer } from "../../domain/signer.js";
import { KysoError } from "../../domain/errors/index.js";

/** The scheme to sign with: the request's choice when the key can do it, else the key's default (PKCS#1 v1.5 / ECDSA). */
export function chooseScheme(signer: Signer, requested?: SignatureScheme): SignatureScheme {
  if (requested === undefined) return defaultScheme(signer.keyAlgorithm);
  const isRsa = signer.keyAlgorithm.kind === "rsa";
  if (isRsa === (requested !== "ecdsa")) return requested;
  throw new KysoError("unsupported_algorithm", `scheme ${requested} does not fit a ${signer.keyAlgorithm.kind} key`);
}

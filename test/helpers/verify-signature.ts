/**
 * Independent checks of a token signature: node:crypto and the openssl command line, neither sharing code with
 * the signer.
 */
import { execFileSync } from "node:child_process";
import { constants, createPublicKey, verify, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NODE_HASH_NAME, type HashAlgorithm } from "../../main/domain/hash-algorithm.js";
import type { SignatureScheme, SignatureValue } from "../../main/domain/signer.js";

export function verifyWithNode(certificate: Uint8Array, data: Buffer, hash: HashAlgorithm, scheme: SignatureScheme, signature: SignatureValue): boolean {
  const key = createPublicKey(new X509Certificate(certificate).publicKey.export({ format: "pem", type: "spki" }));
  if (scheme === "rsa-pss") {
    return verify(NODE_HASH_NAME[hash], data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: signature.value.length > 0 ? hashLength(hash) : 0 }, signature.value);
  }
  if (scheme === "ecdsa") {
    return (
      verify(NODE_HASH_NAME[hash], data, key, signature.value) &&
      verify(NODE_HASH_NAME[hash], data, { key, dsaEncoding: "ieee-p1363" }, signature.raw)
    );
  }
  return verify(NODE_HASH_NAME[hash], data, key, signature.value);
}

/** `openssl dgst -verify` over the data; throws with openssl's output when it does not say "Verified OK". */
export function verifyWithOpenssl(certificate: Uint8Array, data: Buffer, hash: HashAlgorithm, scheme: SignatureScheme, signature: SignatureValue): boolean {
  const dir = mkdtempSync(join(tmpdir(), "kyso-verify-"));
  try {
    const pub = join(dir, "pub.pem");
    writeFileSync(pub, new X509Certificate(certificate).publicKey.export({ format: "pem", type: "spki" }));
    writeFileSync(join(dir, "data"), data);
    writeFileSync(join(dir, "sig"), signature.value);
    const args = ["dgst", `-${NODE_HASH_NAME[hash]}`, "-verify", pub, "-signature", join(dir, "sig")];
    if (scheme === "rsa-pss") args.push("-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest");
    args.push(join(dir, "data"));
    return execFileSync("openssl", args, { encoding: "utf8" }).includes("Verified OK");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hashLength(hash: HashAlgorithm): number {
  return hash === "SHA-256" ? 32 : hash === "SHA-384" ? 48 : 64;
}

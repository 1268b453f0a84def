/**
 * A software signer for the PDF fuzzer: an RSA-2048 key and a self-signed certificate, signing PKCS#1 v1.5 over
 * DigestInfo || digest exactly as CKM_RSA_PKCS on a token does. Fast and needs no SoftHSM, so `npm run fuzz` runs
 * anywhere; the token path itself is covered by the integration suites.
 *
 * The key is derived from a fixed seed (Miller-Rabin over the fuzzer's PRNG), so the signed seed PDFs, and with
 * them every mutated case, are the same bytes on every run: `--seed S --from N --cases 1` replays a finding.
 * It signs only fuzz inputs; it protects nothing.
 */
import "reflect-metadata";
import { constants, createPrivateKey, privateEncrypt, webcrypto, type JsonWebKey } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { DIGEST_INFO_PREFIX } from "../../main/domain/hash-algorithm.js";
import type { Signer } from "../../main/domain/signer.js";
import { createPrng, type Prng } from "./prng.js";

const SMALL_PRIMES = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97].map(BigInt);
const E = 65537n;

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function randomBits(rng: Prng, bits: number): bigint {
  let value = 0n;
  for (let i = 0; i < bits / 32; i++) value = (value << 32n) | BigInt(rng.next());
  return value;
}

function isProbablePrime(n: bigint, rng: Prng): boolean {
  for (const p of SMALL_PRIMES) if (n % p === 0n) return n === p;
  let d = n - 1n;
  let r = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    r++;
  }
  for (let round = 0; round < 24; round++) {
    const a = 2n + (randomBits(rng, 1024) % (n - 4n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let composite = true;
    for (let i = 1; i < r && composite; i++) {
      x = (x * x) % n;
      if (x === n - 1n) composite = false;
    }
    if (composite) return false;
  }
  return true;
}

function prime(rng: Prng, bits: number): bigint {
  for (;;) {
    // Top two bits set (the modulus keeps its full length), odd.
    const candidate = randomBits(rng, bits) | (3n << BigInt(bits - 2)) | 1n;
    if ((candidate - 1n) % E !== 0n && isProbablePrime(candidate, rng)) return candidate;
  }
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

const b64url = (n: bigint): string => {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, "hex").toString("base64url");
};

function deterministicRsaJwk(seed: number): webcrypto.JsonWebKey {
  const rng = createPrng(seed);
  for (;;) {
    const p = prime(rng, 1024);
    const q = prime(rng, 1024);
    if (p === q) continue;
    const n = p * q;
    const d = modInverse(E, (p - 1n) * (q - 1n));
    return { kty: "RSA", n: b64url(n), e: b64url(E), d: b64url(d), p: b64url(p), q: b64url(q), dp: b64url(d % (p - 1n)), dq: b64url(d % (q - 1n)), qi: b64url(modInverse(q, p)) };
  }
}

export async function softwareSigner(commonName = "Phần mềm Kiểm thử Fuzz", seed = 0x6b79536f): Promise<Signer> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const jwk = deterministicRsaJwk(seed);
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const publicJwk = { kty: "RSA", n: jwk.n, e: jwk.e };
  const keys = {
    privateKey: await webcrypto.subtle.importKey("jwk", jwk, algorithm, true, ["sign"]),
    publicKey: await webcrypto.subtle.importKey("jwk", publicJwk, algorithm, true, ["verify"]),
  };
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01a2b3c4",
    name: `CN=${commonName}, O=KySo fuzz, C=VN`,
    notBefore: new Date(Date.UTC(2025, 0, 1)),
    notAfter: new Date(Date.UTC(2035, 0, 1)),
    keys,
    signingAlgorithm: algorithm,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true)],
  });
  const privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: "jwk" });
  return {
    certificate: new Uint8Array(certificate.rawData),
    chain: [],
    keyAlgorithm: { kind: "rsa", modulusBits: 2048 },
    async signDigest({ hashAlgorithm, digest }) {
      const value = privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[hashAlgorithm], "hex"), digest]));
      return { value, raw: value };
    },
  };
}

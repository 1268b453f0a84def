/**
 * The bridge's own TLS certificate (wss:// is needed by Safari, and by any browser that refuses mixed content).
 * At first run KySo creates a CA, issues one leaf for `127.0.0.1`, `::1` and `localhost` only, and throws the CA
 * private key away (it is generated non-extractable and never leaves this function): nobody, KySo included, can
 * issue another certificate under the CA that the user's trust stores accept. Renewal makes a new CA.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { randomBytes, webcrypto, X509Certificate } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type KeyPair = webcrypto.CryptoKeyPair;

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;
/** Leaf lifetime: under 398 days, so platform limits for TLS server certificates never bite. */
export const LEAF_VALIDITY_DAYS = 397;
/** Renew this long before expiry, so a machine that sleeps for weeks still never meets an expired certificate. */
export const RENEW_BEFORE_DAYS = 60;
export const CA_COMMON_NAME = "KySo Local CA";

export interface LocalCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
  readonly notAfter: Date;
  readonly caFingerprintSha256: string;
}

function serial(): string {
  // Positive, 16 random bytes from the CSPRNG (predictable serials were an AutoFirma finding).
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString("hex");
}

function toPem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").trimEnd();
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

export async function issueLocalCertificate(now: Date = new Date()): Promise<LocalCertificate> {
  const notBefore = new Date(now.getTime() - DAY_MS); // clock skew
  const notAfter = new Date(now.getTime() + LEAF_VALIDITY_DAYS * DAY_MS);
  const subtle = webcrypto.subtle;
  // Non-extractable: the CA key can sign only inside this function and is garbage when it returns.
  const caKeys = (await subtle.generateKey(ALGORITHM, false, ["sign", "verify"])) as KeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${CA_COMMON_NAME} ${randomBytes(4).toString("hex")}, O=KySo`,
    notBefore,
    notAfter: new Date(notAfter.getTime() + DAY_MS),
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leafKeys = (await subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as KeyPair;
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: "CN=127.0.0.1, O=KySo",
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingKey: caKeys.privateKey,
    publicKey: leafKeys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(
        [
          { type: "ip", value: "127.0.0.1" },
          { type: "ip", value: "::1" },
          { type: "dns", value: "localhost" },
        ],
        true,
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
    ],
  });
  const pkcs8 = await subtle.exportKey("pkcs8", leafKeys.privateKey);
  const caPem = ca.toString("pem") + "\n";
  return {
    certPem: leaf.toString("pem") + "\n",
    keyPem: toPem("PRIVATE KEY", pkcs8),
    caPem,
    notAfter,
    caFingerprintSha256: new X509Certificate(caPem).fingerprint256,
  };
}

export function needsRenewal(certificate: Pick<LocalCertificate, "notAfter">, now: Date): boolean {
  return certificate.notAfter.getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS;
}

const FILES = { cert: "leaf.pem", key: "leaf.key", ca: "ca.pem" } as const;

export async function readLocalCertificate(dir: string): Promise<LocalCertificate | undefined> {
  try {
    const [certPem, keyPem, caPem] = await Promise.all([
      readFile(join(dir, FILES.cert), "utf8"),
      readFile(join(dir, FILES.key), "utf8"),
      readFile(join(dir, FILES.ca), "utf8"),
    ]);
    const leaf = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return undefined;
    return { certPem, keyPem, caPem, notAfter: new Date(leaf.validTo), caFingerprintSha256: ca.fingerprint256 };
  } catch {
    return undefined;
  }
}

export async function writeLocalCertificate(dir: string, certificate: LocalCertificate): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Write then rename, so a crash never leaves a key that does not match its certificate.
  for (const [name, text] of [
    [FILES.key, certificate.keyPem],
    [FILES.cert, certificate.certPem],
    [FILES.ca, certificate.caPem],
  ] as const) {
    const temp = join(dir, `${name}.${randomBytes(6).toString("hex")}.tmp`);
    await writeFile(temp, text, { mode: 0o600 });
    await rename(temp, join(dir, name));
  }
}

export type EnsureResult = { readonly certificate: LocalCertificate; readonly renewed: boolean; readonly previous?: LocalCertificate };

/** Loads the certificate from `dir`, issuing a new one at first run or when it is due for renewal. */
export async function ensureLocalCertificate(dir: string, now: Date = new Date()): Promise<EnsureResult> {
  const existing = await readLocalCertificate(dir);
  if (existing && !needsRenewal(existing, now)) return { certificate: existing, renewed: false };
  const certificate = await issueLocalCertificate(now);
  await writeLocalCertificate(dir, certificate);
  return { certificate, renewed: true, ...(existing ? { previous: existing } : {}) };
}

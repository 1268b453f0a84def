/**
 * The bridge's own TLS certificate (wss:// is needed by Safari, and by any browser that refuses mixed content).
 * At first run KySo creates a CA, issues one leaf for `127.0.0.1`, `::1` and `localhost` only, and throws the CA
 * private key away (it is generated non-extractable and never leaves this function): nobody, KySo included, can
 * issue another certificate under the CA that the user's trust stores accept, and the CA is name-constrained to those
 * three names (name-constraints.ts) should a key ever leak. Renewal makes a new CA.
 *
 * On disk the key, the certificate and the CA are ONE file (`local-tls.json`), replaced by write-temp, fsync,
 * rename, fsync-folder: a crash leaves the old set or the new one, never a key from one renewal with the
 * certificate of another (the old three-file layout could, and the wss listener then failed to start). What is
 * loaded is checked all the same (key matches certificate, certificate chains to the CA, names 127.0.0.1); a set
 * that fails is replaced by a new one. The three-file layout of earlier versions is read once and migrated.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { createPrivateKey, randomBytes, webcrypto, X509Certificate } from "node:crypto";
import { readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { loopbackNameConstraints } from "./name-constraints.js";
import { ensurePrivateDirSync, REAL_STEPS, writePrivateFileAtomic, type AtomicWriteSteps } from "../../storage/private-files.js";

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
      loopbackNameConstraints(),
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

/** The one file holding key, certificate and CA. */
export const BUNDLE_FILE = "local-tls.json";
export const BUNDLE_FORMAT = "kyso-local-tls/1";
/** The layout before the bundle (three files, three renames): read once, then removed. */
const LEGACY_FILES = { cert: "leaf.pem", key: "leaf.key", ca: "ca.pem" } as const;

/** The file-system steps used to store the certificate; a test injects a step that fails to simulate a crash. */
export interface LocalTlsFs extends AtomicWriteSteps {
  unlink(path: string): Promise<void>;
}

export const LOCAL_TLS_FS: LocalTlsFs = { ...REAL_STEPS, unlink };

/**
 * The set as a listener will use it, or undefined when it cannot work: the key must be the certificate's, the
 * certificate must be issued and signed by the CA, the CA must be a CA, and the leaf must name 127.0.0.1.
 */
export function checkLocalCertificate(parts: { certPem: string; keyPem: string; caPem: string }): LocalCertificate | undefined {
  try {
    const leaf = new X509Certificate(parts.certPem);
    const ca = new X509Certificate(parts.caPem);
    if (!ca.ca || !leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) return undefined;
    if (!leaf.checkPrivateKey(createPrivateKey(parts.keyPem))) return undefined;
    if (leaf.checkIP("127.0.0.1") === undefined) return undefined;
    return { certPem: parts.certPem, keyPem: parts.keyPem, caPem: parts.caPem, notAfter: new Date(leaf.validTo), caFingerprintSha256: ca.fingerprint256 };
  } catch {
    return undefined;
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

type Stored = { readonly certificate: LocalCertificate | undefined; readonly layout: "bundle" | "legacy" | "none" };

async function readStored(dir: string): Promise<Stored> {
  const bundle = await readText(join(dir, BUNDLE_FILE));
  if (bundle !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(bundle);
    } catch {
      return { certificate: undefined, layout: "bundle" };
    }
    const fields = parsed as { format?: unknown; certPem?: unknown; keyPem?: unknown; caPem?: unknown };
    const ok = fields.format === BUNDLE_FORMAT && typeof fields.certPem === "string" && typeof fields.keyPem === "string" && typeof fields.caPem === "string";
    return { certificate: ok ? checkLocalCertificate(fields as { certPem: string; keyPem: string; caPem: string }) : undefined, layout: "bundle" };
  }
  const [certPem, keyPem, caPem] = await Promise.all([
    readText(join(dir, LEGACY_FILES.cert)),
    readText(join(dir, LEGACY_FILES.key)),
    readText(join(dir, LEGACY_FILES.ca)),
  ]);
  if (certPem === undefined && keyPem === undefined && caPem === undefined) return { certificate: undefined, layout: "none" };
  const complete = certPem !== undefined && keyPem !== undefined && caPem !== undefined;
  return { certificate: complete ? checkLocalCertificate({ certPem, keyPem, caPem }) : undefined, layout: "legacy" };
}

/** The stored certificate if it is complete and consistent (bundle first, else the old layout). */
export async function readLocalCertificate(dir: string): Promise<LocalCertificate | undefined> {
  return (await readStored(dir)).certificate;
}

/** Replaces the stored set in one atomic step (see the file comment). */
export async function writeLocalCertificate(dir: string, certificate: LocalCertificate, fs: LocalTlsFs = LOCAL_TLS_FS): Promise<void> {
  ensurePrivateDirSync(dir);
  const { certPem, keyPem, caPem } = certificate;
  await writePrivateFileAtomic(join(dir, BUNDLE_FILE), `${JSON.stringify({ format: BUNDLE_FORMAT, caPem, certPem, keyPem }, null, 2)}\n`, fs);
}

/**
 * After the bundle is durable: the old three files (migrated or superseded) and temp files a crash left behind.
 * Before it is durable nothing is removed, so a crash never loses the only working set.
 */
async function removeLeftovers(dir: string, fs: LocalTlsFs): Promise<void> {
  const legacy = new Set<string>(Object.values(LEGACY_FILES));
  for (const name of await readdir(dir)) {
    if (legacy.has(name) || name.endsWith(".tmp")) {
      await fs.unlink(join(dir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    }
  }
}

export type EnsureResult = { readonly certificate: LocalCertificate; readonly renewed: boolean; readonly previous?: LocalCertificate };

/**
 * Loads the certificate from `dir`, issuing a new one at first run, when it is due for renewal, or when what is
 * stored cannot work (mismatched key, broken chain, truncated). `fs` is for tests that crash a step.
 * A broken set's CA may stay in the trust stores: harmless, its private key was discarded when it was issued.
 */
export async function ensureLocalCertificate(dir: string, now: Date = new Date(), fs: LocalTlsFs = LOCAL_TLS_FS): Promise<EnsureResult> {
  ensurePrivateDirSync(dir);
  const stored = await readStored(dir);
  const existing = stored.certificate;
  if (existing && !needsRenewal(existing, now)) {
    if (stored.layout === "legacy") await writeLocalCertificate(dir, existing, fs);
    await removeLeftovers(dir, fs);
    return { certificate: existing, renewed: false };
  }
  const certificate = await issueLocalCertificate(now);
  await writeLocalCertificate(dir, certificate, fs);
  await removeLeftovers(dir, fs);
  return { certificate, renewed: true, ...(existing ? { previous: existing } : {}) };
}

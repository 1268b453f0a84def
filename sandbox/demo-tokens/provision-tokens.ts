/**
 * Builds the demo tokens and their PKI from nothing into one folder: keys are generated on SoftHSM (pkcs11-tool),
 * certificates are issued by the demo CAs (openssl) and written back to the token under the key's CKA_ID.
 * Everything lives in `dir`; the user's own SoftHSM configuration is never read or touched.
 *
 * `npm run sandbox` calls `ensureDemoTokens` (built once, kept in its data folder); the test fixtures
 * (test/fixtures/make-fixtures.ts) call `provisionDemoTokens` and add CRLs and an OCSP responder identity.
 */
import { execFile } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import type { DemoTokenManifest, ManifestCertificate } from "./manifest.js";
import { issueCertificate, makeTestPki, openssl, revokeCertificate, type TestPki } from "./openssl-pki.js";
import { CA_ON_TOKEN, CERTIFICATES, SO_PIN, SOFTHSM_MODULE, TOKENS, USER_PIN, type CertificateSpec } from "./token-spec.js";

const run = promisify(execFile);

type Env = {
  readonly SOFTHSM2_CONF: string;
  readonly OPENSSL_CONF: string;
};

async function pkcs11Tool(env: Env, token: string, args: readonly string[]): Promise<string> {
  const full = ["--module", SOFTHSM_MODULE, "--token-label", token, "--login", "--pin", USER_PIN, ...args];
  const { stdout } = await run("pkcs11-tool", full, { env: { ...process.env, ...env } });
  return stdout;
}

/** The pkcs11 engine pointed at SoftHSM directly, so a p11-kit setup on the machine cannot change the result. */
function engineConfig(): string {
  return `openssl_conf = init
[ init ]
engines = engines
[ engines ]
pkcs11 = pkcs11_section
[ pkcs11_section ]
engine_id = pkcs11
MODULE_PATH = ${SOFTHSM_MODULE}
init = 0
`;
}

function subjectArg(spec: CertificateSpec): string {
  const escape = (v: string) => v.replace(/[/\\+=]/g, (c) => `\\${c}`);
  return spec.subject.map(([type, value]) => `/${type}=${escape(value)}`).join("");
}

async function makeKeyAndCertificate(dir: string, env: Env, pki: TestPki, spec: CertificateSpec): Promise<ManifestCertificate> {
  const token = TOKENS[spec.token];
  await pkcs11Tool(env, token, ["--keypairgen", "--key-type", spec.key, "--id", spec.keyId, "--label", spec.label]);
  const csr = join(dir, "ee", `${spec.name}.csr`);
  const pem = join(dir, "ee", `${spec.name}.pem`);
  const der = join(dir, "ee", `${spec.name}.der`);
  const uri = `pkcs11:token=${encodeURIComponent(token)};id=%${spec.keyId};type=private?pin-value=${USER_PIN}`;
  // The CSR is signed by the token key, which proves the key is usable before a certificate is built on it.
  await openssl(["req", "-new", "-engine", "pkcs11", "-keyform", "engine", "-key", uri, "-utf8", "-multivalue-rdn", "-subj", subjectArg(spec), "-sha256", "-out", csr], env);
  const ca = pki.cas[spec.issuer];
  await issueCertificate(ca, csr, pem, { keyUsage: spec.keyUsage, ...(spec.expired ? { expired: true } : {}) });
  if (spec.revoked) await revokeCertificate(ca, pem);
  await openssl(["x509", "-in", pem, "-outform", "DER", "-out", der]);
  const certId = spec.certId ?? spec.keyId;
  await pkcs11Tool(env, token, ["--write-object", der, "--type", "cert", "--id", certId, "--label", spec.label]);
  const x509 = new X509Certificate(await readFile(der));
  return {
    name: spec.name,
    token,
    keyId: spec.keyId,
    certId,
    label: spec.label,
    key: spec.key,
    issuer: spec.issuer,
    subject: spec.subject.map(([type, value]) => ({ type, value })),
    keyUsage: spec.keyUsage,
    expired: spec.expired ?? false,
    revoked: spec.revoked ?? false,
    usableForSigning: spec.usableForSigning,
    serialNumber: x509.serialNumber.toLowerCase(),
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
    fingerprintSha256: createHash("sha256").update(x509.raw).digest("hex"),
    pemPath: pem,
    derPath: der,
  };
}

async function initToken(env: Env, label: string): Promise<void> {
  await run("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", USER_PIN], {
    env: { ...process.env, ...env },
  });
}

async function tokenSerials(env: Env): Promise<Record<string, string>> {
  const { stdout } = await run("softhsm2-util", ["--show-slots"], { env: { ...process.env, ...env } });
  const serials: Record<string, string> = {};
  for (const block of stdout.split(/\nSlot /)) {
    const label = /Label:\s+(.+?)\s*$/m.exec(block)?.[1];
    const serial = /Serial number:\s+(\S+)/.exec(block)?.[1];
    if (label && serial) serials[label] = serial;
  }
  return serials;
}

/** Each token's objects are made one after the other (one writer per token), the two tokens in parallel. */
async function makeTokenObjects(dir: string, env: Env, pki: TestPki, token: "A" | "B"): Promise<ManifestCertificate[]> {
  const made: ManifestCertificate[] = [];
  for (const spec of CERTIFICATES.filter((c) => c.token === token)) made.push(await makeKeyAndCertificate(dir, env, pki, spec));
  return made;
}

export interface ProvisionedTokens {
  readonly manifest: DemoTokenManifest;
  /** The demo CAs' files, for callers that issue more (CRLs, an OCSP responder). */
  readonly pki: TestPki;
}

/** Empties `dir` and builds the two tokens and the PKI in it; the caller writes the manifest it wants. */
export async function provisionDemoTokens(dir: string): Promise<ProvisionedTokens> {
  const started = Date.now();
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, "tokens"), { recursive: true });
  await mkdir(join(dir, "ee"), { recursive: true });
  const env: Env = { SOFTHSM2_CONF: join(dir, "softhsm2.conf"), OPENSSL_CONF: join(dir, "openssl-engine.cnf") };
  await writeFile(env.SOFTHSM2_CONF, `directories.tokendir = ${join(dir, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  await writeFile(env.OPENSSL_CONF, engineConfig());

  await initToken(env, TOKENS.A);
  await initToken(env, TOKENS.B);
  // The CA keys are plain files; the engine config is only for the token keys, so PKI calls skip OPENSSL_CONF.
  const pki = await makeTestPki(join(dir, "pki"));
  const [onA, onB] = await Promise.all([makeTokenObjects(dir, env, pki, "A"), makeTokenObjects(dir, env, pki, "B")]);

  const caDer = join(dir, "pki", "public", "ca.der");
  await openssl(["x509", "-in", pki.cas.public.cert, "-outform", "DER", "-out", caDer]);
  await pkcs11Tool(env, TOKENS[CA_ON_TOKEN.token], ["--write-object", caDer, "--type", "cert", "--id", CA_ON_TOKEN.id, "--label", CA_ON_TOKEN.label]);

  const serials = await tokenSerials(env);
  const manifest: DemoTokenManifest = {
    createdAt: new Date().toISOString(),
    buildMs: Date.now() - started,
    modulePath: SOFTHSM_MODULE,
    softhsmConf: env.SOFTHSM2_CONF,
    tokenDir: join(dir, "tokens"),
    userPin: USER_PIN,
    soPin: SO_PIN,
    tokens: Object.values(TOKENS).map((label) => ({ label, serial: serials[label] ?? "" })),
    caOnToken: { ...CA_ON_TOKEN, token: TOKENS[CA_ON_TOKEN.token] },
    objects: Object.fromEntries([...onA, ...onB].map((c) => [c.name, c])),
    pki: { rootPem: pki.root.cert, govCaPem: pki.cas.gov.cert, publicCaPem: pki.cas.public.cert },
  };
  return { manifest, pki };
}

export const MANIFEST_FILE = "manifest.json";

/**
 * The sandbox's demo tokens in `dir`: built on first use (a few seconds), then reused, so a developer's pairings
 * and settings keep pointing at the same token serials from one run to the next.
 */
export async function ensureDemoTokens(dir: string, onProvision?: () => void): Promise<DemoTokenManifest> {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) {
    onProvision?.();
    const { manifest } = await provisionDemoTokens(dir);
    await writeFile(file, JSON.stringify(manifest, null, 2));
  }
  return JSON.parse(await readFile(file, "utf8")) as DemoTokenManifest;
}

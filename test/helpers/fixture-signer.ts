/**
 * A Signer on a fixture token key, in the test process, for suites that test what sits above the token layer
 * (the signing formats). The keys are real SoftHSM keys; only the process isolation of the token host is skipped.
 */
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import pkcs11js from "pkcs11js";
import type { KeyAlgorithm, Signer } from "../../main/domain/signer.js";
import { signDigestOnSession } from "../../native/pkcs11/sign-digest.js";
import { copyFixtureTokens, type ManifestCertificate, type TokenCopy } from "../fixtures/index.js";

export interface FixtureSigner extends Signer {
  readonly fixture: ManifestCertificate;
  /** Issuer chain as PEM files, for verifiers (`-CAfile`). */
  readonly caFile: string;
  readonly rootPem: string;
}

export interface FixtureSigners {
  readonly tokens: TokenCopy;
  signer(name: string): Promise<FixtureSigner>;
  close(): Promise<void>;
}

function keyAlgorithmOf(fixture: ManifestCertificate): KeyAlgorithm {
  if (fixture.key === "EC:prime256v1") return { kind: "ec", curve: "P-256" };
  return { kind: "rsa", modulusBits: fixture.key === "rsa:3072" ? 3072 : 2048 };
}

async function pemToDer(path: string): Promise<Uint8Array> {
  return new Uint8Array(new X509Certificate(await readFile(path)).raw);
}

/** Loads SoftHSM once in this process on a private copy of the fixture tokens. Call `close()` in afterAll. */
export async function openFixtureSigners(): Promise<FixtureSigners> {
  const tokens = await copyFixtureTokens();
  process.env.SOFTHSM2_CONF = tokens.softhsmConf;
  const p11 = new pkcs11js.PKCS11();
  p11.load(tokens.manifest.modulePath);
  p11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  const sessions: Buffer[] = [];
  // SoftHSM serialises per session; one session per signer and one signature at a time per signer is enough here.
  const queues = new Map<string, Promise<unknown>>();

  async function signer(name: string): Promise<FixtureSigner> {
    const fixture = tokens.cert(name);
    const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === fixture.token);
    if (!slot) throw new Error(`fixture token ${fixture.token} not found`);
    const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    sessions.push(session);
    try {
      p11.C_Login(session, pkcs11js.CKU_USER, tokens.manifest.userPin);
    } catch (error) {
      // Several signers on one token share the login state of the token.
      if ((error as { code?: number }).code !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN) throw error;
    }
    p11.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: Buffer.from(fixture.keyId, "hex") },
    ]);
    const key = p11.C_FindObjects(session);
    p11.C_FindObjectsFinal(session);
    if (!key) throw new Error(`no private key with id ${fixture.keyId}`);
    const issuerPem = fixture.issuer === "gov" ? tokens.manifest.pki.govCaPem : tokens.manifest.pki.publicCaPem;
    const keyAlgorithm = keyAlgorithmOf(fixture);
    return {
      fixture,
      caFile: issuerPem,
      rootPem: tokens.manifest.pki.rootPem,
      certificate: new Uint8Array(await readFile(fixture.derPath)),
      chain: [await pemToDer(issuerPem), await pemToDer(tokens.manifest.pki.rootPem)],
      keyAlgorithm,
      signDigest(request) {
        const previous = queues.get(name) ?? Promise.resolve();
        const next = previous.catch(() => undefined).then(() => signDigestOnSession(p11, session, key, keyAlgorithm, request));
        queues.set(name, next);
        return next;
      },
    };
  }

  return {
    tokens,
    signer,
    async close() {
      await Promise.allSettled(queues.values());
      for (const session of sessions) p11.C_CloseSession(session);
      p11.C_Finalize();
      p11.close();
      await tokens.cleanup();
    },
  };
}

/** Shared set-up of the remote signing suites: a SoftHSM key behind the local remote-signing server. */
import { createHash, createPublicKey, verify as nodeVerify, X509Certificate } from "node:crypto";
import { expect, it } from "vitest";
import { isKysoError, type ErrorCode } from "../../../main/domain/errors/index.js";
import { RemoteSigner, type RemoteAccount, type RemoteClock, type RemoteProvider, type RemoteTransaction } from "../../../main/core/remote/index.js";
import { sign } from "../../../main/core/signing/index.js";
import type { Signer } from "../../../main/domain/signer.js";
import { opensslCmsVerify } from "../../verifiers/cli-verifiers.js";
import { openHarness, type Harness } from "../signing/harness.js";
import { startRemoteSigningServer, type RemoteSigningServer } from "../../../sandbox/remote-server/remote-signing-server.js";
import type { CertificateSummary } from "../../../sdk/src/protocol.js";
import type { Client } from "../bridge/bridge-harness.js";

/** Made up per run; the redaction tests look for them in every error. */
export const SECRETS = {
  spId: "kyso-test-sp-7f3a91",
  spPassword: "S3cr3t-sp-password-9c41e2",
  cscClientId: "kyso-desktop",
  otp: "482913",
  clientSecret: "csc-client-secret-d81f77a0",
};

/** What the phone does (the server's hook) and the catalogue code each provider must turn it into. */
export const PHONE_OUTCOMES = [
  ["reject", "user_rejected"],
  ["expire", "timeout"],
  ["quota", "remote_quota_exceeded"],
  ["network", "remote_unavailable"],
] as const;

export const DOCUMENT = new TextEncoder().encode("Quyết định số 123/QĐ-UBND: tài liệu chỉ nằm trên máy này.\n".repeat(40));

export interface RemoteSuite {
  readonly h: Harness;
  readonly server: RemoteSigningServer;
  readonly rootPem: string;
  close(): Promise<void>;
}

/** One SoftHSM per process: a second suite in the same file passes the first one's harness. */
export async function openRemoteSuite(fixture = "personRsa", shared?: Harness): Promise<RemoteSuite> {
  const h = shared ?? (await openHarness());
  const key = await h.signer(fixture);
  const server = await startRemoteSigningServer(key, SECRETS);
  return {
    h,
    server,
    rootPem: key.rootPem,
    async close() {
      await server.close();
      if (!shared) await h.close();
    },
  };
}

/** Polling without waiting: `sleep` moves the clock on and resolves at once. */
export function fakeClock(): RemoteClock & { slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
}

export function verifiesDigest(certificate: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey(new X509Certificate(certificate).publicKey.export({ format: "pem", type: "spki" }));
  return nodeVerify("sha256", data, key, signature);
}

export const sha256 = (data: Uint8Array): Uint8Array => new Uint8Array(createHash("sha256").update(data).digest());

/** CAdES through the existing CMS code with the remote signer, checked by `openssl cms -verify`. */
export async function expectCmsVerifies(suite: RemoteSuite, signer: Signer, name: string): Promise<void> {
  const result = await sign({ format: "cms", document: DOCUMENT, options: { detached: true } }, signer);
  if (result.kind !== "signature") throw new Error("expected a signature");
  const sigFile = await suite.h.file(`${name}.p7s`, result.signature);
  const dataFile = await suite.h.file(`${name}.txt`, DOCUMENT);
  const ossl = await opensslCmsVerify({ signature: sigFile, content: dataFile, caFile: suite.rootPem });
  expect(ossl.stderr).toContain("Verification successful");
  expect(ossl.ok).toBe(true);
}

/** No recorded body holds the document, any 64-byte run of it, or its base64/hex forms. */
export function expectNoDocumentBytes(server: RemoteSigningServer): void {
  expect(server.requests.length).toBeGreaterThan(0);
  const doc = Buffer.from(DOCUMENT);
  for (const { body } of server.requests) {
    for (let i = 0; i + 64 <= doc.length; i += 64) {
      const run = doc.subarray(i, i + 64);
      expect(body.includes(run.toString("utf8"))).toBe(false);
      expect(body.includes(run.toString("hex"))).toBe(false);
      expect(body.includes(run.toString("base64").slice(0, 40))).toBe(false);
    }
  }
}

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(isKysoError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  const text = `${(error as Error).message} ${JSON.stringify((error as { details?: unknown }).details ?? {})}`;
  for (const secret of [SECRETS.spId, SECRETS.spPassword, SECRETS.clientSecret, SECRETS.otp]) expect(text).not.toContain(secret);
  return error as Error;
}

/** What the shared provider cases need, read when each case runs (the suite opens in `beforeAll`). */
interface ProviderCase {
  readonly suite: RemoteSuite;
  readonly provider: RemoteProvider;
  readonly account: RemoteAccount;
  readonly transaction: RemoteTransaction;
}

/**
 * The cases every provider whose user confirms on the phone shares (VNPT SmartCA, NEAC): CAdES made through the CMS
 * format with a RemoteSigner passes `openssl cms -verify` with only hashes sent, and each phone outcome ends as its
 * catalogue code (PHONE_OUTCOMES), with no secret in the error. Called inside the provider's `describe`.
 */
export function itSignsOnThePhone(name: string, setup: () => ProviderCase): void {
  it("CAdES made through the CMS format with a RemoteSigner passes openssl cms -verify; only hashes left the machine", async () => {
    const { suite, provider, account, transaction } = setup();
    const [credential] = await provider.listCredentials(account);
    await expectCmsVerifies(suite, new RemoteSigner(provider, account, credential!, transaction), name);
    expectNoDocumentBytes(suite.server);
  });

  it.each(PHONE_OUTCOMES)("phone %s -> %s, with no secret in the error", async (outcome, code) => {
    const { suite, provider, account, transaction } = setup();
    const [credential] = await provider.listCredentials(account);
    suite.server.phone = outcome;
    await expectCode(provider.signHash(account, { credentialId: credential!.id, digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256", scheme: "rsa-pkcs1", transaction }), code);
  });
}

/** The CSC sign-in's browser step, for the bridge suites: follow the authorize URL to its redirect and hand back the code. */
export async function cscAuthorize(url: string): Promise<string> {
  const response = await fetch(url, { redirect: "manual" });
  return new URL(response.headers.get("location") ?? "").searchParams.get("code") ?? "";
}

/** The certificate a page sees for remote provider `id` (its first), through the bridge's `certificates.list`. */
export async function remoteCertificate(client: Client, id: string): Promise<CertificateSummary> {
  const listed = await client.call("certificates.list", { filter: { tokenId: `remote:${id}` } });
  return ("result" in listed ? (listed.result as CertificateSummary[]) : [])[0]!;
}

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { KysoError } from "../../../main/domain/errors/index.js";
import { CscProvider, cscTokenKey, MemorySecretStore, RemoteSigner, type OAuthTokens, type SecretStore } from "../../../main/core/remote/index.js";
import { REMOTE_TEST_USER } from "../../../sandbox/remote-server/remote-signing-server.js";
import { DOCUMENT, expectCmsVerifies, expectCode, expectNoDocumentBytes, fakeClock, openRemoteSuite, SECRETS, sha256, verifiesDigest, type RemoteSuite } from "./remote-harness.js";

let suite: RemoteSuite;
let ecSuite: RemoteSuite;
beforeAll(async () => {
  suite = await openRemoteSuite();
  ecSuite = await openRemoteSuite("personEc", suite.h);
});
afterAll(async () => {
  await ecSuite?.close();
  await suite?.close();
});
beforeEach(() => {
  suite.server.phone = "approve";
});

const account = { userId: REMOTE_TEST_USER };
const transaction = { description: "Hợp đồng 45/2025", origin: "https://portal.example.vn" };
const redirectUri = "http://127.0.0.1:53682/callback";

/** Stands in for the system browser: follows the authorize URL and reads the code off the redirect. */
function browser(log: string[] = []) {
  return async (url: string, state: string): Promise<string> => {
    log.push(url);
    const reply = await fetch(url, { redirect: "manual" });
    const location = new URL(reply.headers.get("location") ?? "");
    expect(location.searchParams.get("state")).toBe(state);
    return location.searchParams.get("code") ?? "";
  };
}

function provider(s: RemoteSuite, options: { tokens?: SecretStore; log?: string[]; otp?: string; clientSecret?: string } = {}) {
  return new CscProvider({
    baseUrl: s.server.cscBase,
    clientId: SECRETS.cscClientId,
    redirectUri,
    authorize: browser(options.log),
    otp: async () => options.otp ?? SECRETS.otp,
    secretStore: options.tokens ?? new MemorySecretStore(),
    operationMode: "sync",
    clock: fakeClock(),
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
  });
}

describe("CSC API v2 against the local server", () => {
  it("info, sign-in with PKCE (S256) as a public client, credentials/list and credentials/info with the chain", async () => {
    const log: string[] = [];
    const p = provider(suite, { log });
    expect((await p.info()).specs).toBe("2.0.0.2");
    const [credential] = await p.listCredentials(account);
    expect(credential?.id).toBe("cred-1");
    expect(credential?.chain).toHaveLength(2);
    expect(log).toHaveLength(1);
    const url = new URL(log[0]!);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const token = suite.server.requests.findLast((r) => r.path.endsWith("oauth2/token"))!.body;
    expect(new URLSearchParams(token).get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new URLSearchParams(token).has("client_secret")).toBe(false);
  });

  it("signs a SHA-256 digest through credentials/authorize (explicit, OTP) and signatures/signHash", async () => {
    const p = provider(suite);
    const [credential] = await p.listCredentials(account);
    const signature = await p.signHash(account, { credentialId: credential!.id, digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256", scheme: "rsa-pkcs1", transaction });
    expect(verifiesDigest(credential!.certificate, DOCUMENT, signature)).toBe(true);
    const authorize = JSON.parse(suite.server.requests.findLast((r) => r.path.endsWith("credentials/authorize"))!.body) as Record<string, unknown>;
    expect(authorize.hashes).toEqual([Buffer.from(sha256(DOCUMENT)).toString("base64")]);
    expect(authorize.numSignatures).toBe(1);
  });

  it("an expired access token is refreshed with the refresh token, without a second browser sign-in", async () => {
    const log: string[] = [];
    const tokens = new MemorySecretStore();
    const p = provider(suite, { tokens, log });
    await p.listCredentials(account);
    const key = cscTokenKey({ baseUrl: suite.server.cscBase, clientId: SECRETS.cscClientId });
    const stored = JSON.parse((await tokens.get(key))!) as OAuthTokens;
    await tokens.set(key, JSON.stringify({ ...stored, expiresAt: 0 }));
    await p.listCredentials(account);
    expect(log).toHaveLength(1);
    expect(new URLSearchParams(suite.server.requests.findLast((r) => r.path.endsWith("oauth2/token"))!.body).get("grant_type")).toBe("refresh_token");
  });

  it("CAdES through the CMS format with a RemoteSigner passes openssl cms -verify; only hashes left the machine", async () => {
    const p = provider(suite);
    const [credential] = await p.listCredentials(account);
    await expectCmsVerifies(suite, new RemoteSigner(p, account, credential!, transaction), "csc-rsa");
    expectNoDocumentBytes(suite.server);
  });

  it("an ECDSA P-256 credential: CMS verifies with openssl (DER signature value from signHash)", async () => {
    const p = provider(ecSuite);
    const [credential] = await p.listCredentials(account);
    expect(credential?.keyAlgorithm).toEqual({ kind: "ec", curve: "P-256" });
    await expectCmsVerifies(ecSuite, new RemoteSigner(p, account, credential!, transaction), "csc-ec");
    expectNoDocumentBytes(ecSuite.server);
  });

  it.each([
    ["reject", "user_rejected"],
    ["expire", "timeout"],
    ["quota", "remote_quota_exceeded"],
    ["network", "remote_unavailable"],
  ] as const)("phone %s -> %s, with no secret (client secret, OTP, tokens) in the error", async (outcome, code) => {
    const tokens = new MemorySecretStore();
    const p = provider(suite, { tokens, clientSecret: SECRETS.clientSecret });
    const [credential] = await p.listCredentials(account);
    suite.server.phone = outcome;
    const error = await expectCode(p.signHash(account, { credentialId: credential!.id, digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256", scheme: "rsa-pkcs1", transaction }), code);
    const stored = JSON.parse((await tokens.get(cscTokenKey({ baseUrl: suite.server.cscBase, clientId: SECRETS.cscClientId })))!) as OAuthTokens;
    expect(error.message).not.toContain(stored.accessToken);
    expect(error.message).not.toContain(stored.refreshToken);
  });

  it("a wrong OTP is its own typed failure (remote_otp_incorrect, signing_failed on the wire) and signHash is never called", async () => {
    const p = provider(suite, { otp: "000000" });
    const [credential] = await p.listCredentials(account);
    const before = suite.server.requests.filter((r) => r.path.endsWith("signHash")).length;
    const error = await expectCode(p.signHash(account, { credentialId: credential!.id, digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256", scheme: "rsa-pkcs1", transaction }), "remote_otp_incorrect");
    expect(JSON.stringify((error as KysoError).toPayload("en"))).not.toContain("000000");
    expect(suite.server.requests.filter((r) => r.path.endsWith("signHash")).length).toBe(before);
  });

  it("a code exchanged without the right PKCE verifier is refused by the server (the fixture checks S256)", async () => {
    const p = new CscProvider({
      baseUrl: suite.server.cscBase,
      clientId: SECRETS.cscClientId,
      redirectUri,
      // A code obtained for a different challenge (an intercepted code) must not be redeemable.
      authorize: async (url, state) => browser()(url.replace(/code_challenge=[^&]+/, "code_challenge=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), state),
      clock: fakeClock(),
    });
    await expectCode(p.listCredentials(account), "signing_failed");
  });
});

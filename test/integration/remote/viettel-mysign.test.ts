import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MemorySecretStore, RemoteSigner, ViettelMySignProvider, type RemoteSignState } from "../../../main/core/remote/index.js";
import { REMOTE_TEST_USER } from "../../../sandbox/remote-server/remote-signing-server.js";
import { DOCUMENT, expectCmsVerifies, expectCode, expectNoDocumentBytes, fakeClock, openRemoteSuite, PHONE_OUTCOMES, sha256, verifiesDigest, type RemoteSuite } from "./remote-harness.js";

/** The fixture's defaults (remote-signing-server.ts): made up, and looked for in every error. */
const CLIENT_ID = "kyso-mysign-client";
const CLIENT_SECRET = "mysign-client-secret-0000";

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
  suite.server.waitingPolls = 2;
});

const account = { userId: REMOTE_TEST_USER };
const transaction = { description: "Tờ khai 01/GTGT", origin: "https://thuedientu.example.gov.vn" };
const request = (credentialId: string) => ({ credentialId, digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256" as const, scheme: "rsa-pkcs1" as const, transaction });

function provider(s: RemoteSuite = suite, overrides: Partial<ConstructorParameters<typeof ViettelMySignProvider>[0]> = {}) {
  return new ViettelMySignProvider({ baseUrl: s.server.mysignBase, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, profileId: "adss:ras:profile:001", clock: fakeClock(), pollIntervalMs: 2000, ...overrides });
}

function lastBody(path: string): Record<string, unknown> {
  return JSON.parse(suite.server.requests.findLast((r) => r.path.endsWith(path))!.body) as Record<string, unknown>;
}

describe("Viettel MySign against the local server", () => {
  it("logs in, lists the credential with its chain from certificates/info (a JSON array, CR/LF-wrapped base64)", async () => {
    const [credential, ...rest] = await provider().listCredentials(account);
    expect(rest).toEqual([]);
    expect(credential?.id).toBe("mysign-cred-1");
    expect(credential?.chain).toHaveLength(2);
    expect(credential?.keyAlgorithm.kind).toBe("rsa");
    expect(lastBody("ras/v1/login")).toMatchObject({ client_id: CLIENT_ID, user_id: REMOTE_TEST_USER, profile_id: "adss:ras:profile:001" });
  });

  it("signs with async signHash and requests/status polling; the signature verifies; the app shows title and origin", async () => {
    const clock = fakeClock();
    const p = provider(suite, { clock });
    const [credential] = await p.listCredentials(account);
    const states: RemoteSignState[] = [];
    const signature = await p.signHash(account, request(credential!.id), { onState: (s) => states.push(s) });
    expect(verifiesDigest(credential!.certificate, DOCUMENT, signature)).toBe(true);
    expect(clock.slept).toEqual([2000, 2000]);
    expect(states.map((s) => s.state)).toEqual(["waiting_for_phone", "success"]);
    expect(states[0]).toMatchObject({ expiresAt: 1_000_000 + 300_000 });
    const body = lastBody("signHash");
    expect(body).toMatchObject({ async: 1, numSignatures: 1, hashAlgo: "2.16.840.1.101.3.4.2.1", signAlgo: "1.2.840.113549.1.1.1", hash: [Buffer.from(sha256(DOCUMENT)).toString("base64")] });
    expect((body.documents as { document_name: string }[])[0]?.document_name).toBe(`${transaction.description} (${transaction.origin})`);
    expect(JSON.stringify(body)).not.toContain(CLIENT_SECRET);
  });

  it("client credentials: one organisation token from ras/v1/authenticate, kept in the SecretStore and reused", async () => {
    const store = new MemorySecretStore();
    const p = provider(suite, { auth: "client-credentials", secretStore: store });
    const before = suite.server.requests.filter((r) => r.path.endsWith("ras/v1/authenticate")).length;
    const [credential] = await p.listCredentials(account);
    await p.signHash(account, request(credential!.id));
    expect(suite.server.requests.filter((r) => r.path.endsWith("ras/v1/authenticate")).length - before).toBe(1);
    expect(store.size).toBe(1);
  });

  it("a session the gateway dropped (401) signs in again once and carries on", async () => {
    const store = new MemorySecretStore();
    const p = provider(suite, { secretStore: store });
    await p.listCredentials(account);
    suite.server.mysign.tokens.clear();
    const logins = suite.server.requests.filter((r) => r.path.endsWith("ras/v1/login")).length;
    const [credential] = await p.listCredentials(account);
    expect(credential?.id).toBe("mysign-cred-1");
    expect(suite.server.requests.filter((r) => r.path.endsWith("ras/v1/login")).length).toBe(logins + 1);
  });

  it("CAdES through the CMS format with a RemoteSigner passes openssl cms -verify (RSA and P-256); only hashes left", async () => {
    const p = provider();
    const [credential] = await p.listCredentials(account);
    await expectCmsVerifies(suite, new RemoteSigner(p, account, credential!, transaction), "mysign-rsa");
    expectNoDocumentBytes(suite.server);
    const ec = provider(ecSuite);
    const [ecCredential] = await ec.listCredentials(account);
    expect(ecCredential?.keyAlgorithm).toEqual({ kind: "ec", curve: "P-256" });
    await expectCmsVerifies(ecSuite, new RemoteSigner(ec, account, ecCredential!, transaction), "mysign-ec");
    expectNoDocumentBytes(ecSuite.server);
  });

  it.each(PHONE_OUTCOMES)("phone %s -> %s, with neither the client secret nor the session token in the error", async (outcome, code) => {
    const store = new MemorySecretStore();
    const p = provider(suite, { secretStore: store });
    const [credential] = await p.listCredentials(account);
    suite.server.phone = outcome;
    const error = await expectCode(p.signHash(account, request(credential!.id)), code);
    const token = (JSON.parse((await store.get(p.tokenKey(account)))!) as { accessToken: string }).accessToken;
    for (const secret of [CLIENT_SECRET, token]) expect(`${error.message} ${JSON.stringify((error as { details?: unknown }).details)}`).not.toContain(secret);
  });

  it("a phone that never answers times out at the expiry; cancel while waiting is user_rejected", async () => {
    const clock = fakeClock();
    const p = provider(suite, { clock, pollIntervalMs: 60_000, expiryMs: 300_000 });
    const [credential] = await p.listCredentials(account);
    suite.server.waitingPolls = 1_000;
    await expectCode(p.signHash(account, request(credential!.id)), "timeout");
    expect(clock.slept).toHaveLength(5);

    const controller = new AbortController();
    const cancelling = fakeClock();
    const sleep = cancelling.sleep;
    cancelling.sleep = async (ms) => {
      controller.abort();
      return sleep(ms, controller.signal);
    };
    await expectCode(provider(suite, { clock: cancelling }).signHash(account, request(credential!.id), { signal: controller.signal }), "user_rejected");
  });

  it("a refused client secret is a typed failure that never echoes it; an unreachable gateway is remote_unavailable", async () => {
    const error = await expectCode(provider(suite, { clientSecret: `${CLIENT_SECRET}-wrong` }).listCredentials(account), "signing_failed");
    expect(error.message).not.toContain(CLIENT_SECRET);
    await expectCode(provider(suite, { baseUrl: "http://127.0.0.1:9/mysign/" }).listCredentials(account), "remote_unavailable");
  });
});

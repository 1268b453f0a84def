import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAuditLog } from "../../../main/core/audit/audit-log.js";
import { CscProvider, cscTokenKey, MemorySecretStore, RemoteSigner, type OAuthTokens, type RemoteSignState } from "../../../main/core/remote/index.js";
import { sign } from "../../../main/core/signing/index.js";
import { isKysoError } from "../../../main/domain/errors/index.js";
import { REMOTE_TEST_USER } from "../../../sandbox/remote-server/remote-signing-server.js";
import { DOCUMENT, expectCode, expectNoDocumentBytes, fakeClock, openRemoteSuite, PHONE_OUTCOMES, SECRETS, sha256, verifiesDigest, type RemoteSuite } from "./remote-harness.js";

let suite: RemoteSuite;
beforeAll(async () => {
  suite = await openRemoteSuite();
});
afterAll(async () => suite?.close());
beforeEach(() => {
  suite.server.phone = "approve";
  suite.server.waitingPolls = 3;
  suite.server.cscAsync = true;
});

const account = { userId: REMOTE_TEST_USER };
const transaction = { description: "Hợp đồng 45/2025", origin: "https://portal.example.vn" };
const request = (credentialId: string) => ({ credentialId, digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256" as const, scheme: "rsa-pkcs1" as const, transaction });

async function browser(url: string): Promise<string> {
  const reply = await fetch(url, { redirect: "manual" });
  return new URL(reply.headers.get("location") ?? "").searchParams.get("code") ?? "";
}

function provider(options: { store?: MemorySecretStore; clock?: ReturnType<typeof fakeClock>; clientSecret?: string; operationMode?: "auto" | "sync" | "async" } = {}) {
  return new CscProvider({
    baseUrl: suite.server.cscBase,
    clientId: SECRETS.cscClientId,
    redirectUri: "http://127.0.0.1:53682/callback",
    authorize: browser,
    otp: async () => SECRETS.otp,
    secretStore: options.store ?? new MemorySecretStore(),
    clock: options.clock ?? fakeClock(),
    pollIntervalMs: 1000,
    expiryMs: 120_000,
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
    ...(options.operationMode ? { operationMode: options.operationMode } : {}),
  });
}

describe("CSC v2 asynchronous signHash with signatures/signPolling", () => {
  it("info advertises the asynchronous mode: signHash goes out with operationMode A, polled to a verifying signature", async () => {
    const clock = fakeClock();
    const p = provider({ clock });
    const [credential] = await p.listCredentials(account);
    const states: RemoteSignState[] = [];
    const signature = await p.signHash(account, request(credential!.id), { onState: (s) => states.push(s) });
    expect(verifiesDigest(credential!.certificate, DOCUMENT, signature)).toBe(true);
    const signHash = JSON.parse(suite.server.requests.findLast((r) => r.path.endsWith("signatures/signHash"))!.body) as Record<string, unknown>;
    expect(signHash).toMatchObject({ operationMode: "A", validity_period: 120 });
    // Three pending polls (400 "not yet completed" and 202 alternately), one sleep before each next poll.
    expect(clock.slept).toEqual([1000, 1000, 1000]);
    expect(suite.server.requests.filter((r) => r.path.endsWith("signatures/signPolling")).length).toBeGreaterThanOrEqual(4);
    expect(states.map((s) => s.state)).toEqual(["waiting_for_phone", "waiting_for_phone", "success"]);
    expect(states[1]).toMatchObject({ expiresAt: 1_000_000 + 120_000 });
    expectNoDocumentBytes(suite.server);
  });

  it("operationMode 'sync' keeps the synchronous call even when the service offers the asynchronous one", async () => {
    const p = provider({ operationMode: "sync" });
    const [credential] = await p.listCredentials(account);
    const before = suite.server.requests.filter((r) => r.path.endsWith("signPolling")).length;
    const signature = await p.signHash(account, request(credential!.id));
    expect(verifiesDigest(credential!.certificate, DOCUMENT, signature)).toBe(true);
    expect(suite.server.requests.filter((r) => r.path.endsWith("signPolling")).length).toBe(before);
  });

  it.each(PHONE_OUTCOMES.filter(([outcome]) => outcome !== "network"))("phone %s at polling time -> %s, with no token or client secret in the error", async (outcome, code) => {
    const store = new MemorySecretStore();
    const p = provider({ store, clientSecret: SECRETS.clientSecret });
    const [credential] = await p.listCredentials(account);
    suite.server.phone = outcome;
    const error = await expectCode(p.signHash(account, request(credential!.id)), code);
    const tokens = JSON.parse((await store.get(cscTokenKey({ baseUrl: suite.server.cscBase, clientId: SECRETS.cscClientId })))!) as OAuthTokens;
    expect(error.message).not.toContain(tokens.accessToken);
  });

  it("a service that stops answering while pending ends as remote_unavailable at the deadline, on the injected clock", async () => {
    const clock = fakeClock();
    const sleep = clock.sleep;
    clock.sleep = async (ms, signal) => {
      suite.server.phone = "network";
      return sleep(ms, signal);
    };
    const p = provider({ clock });
    const [credential] = await p.listCredentials(account);
    await expectCode(p.signHash(account, request(credential!.id)), "remote_unavailable");
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(120_000);
  });

  it("cancel through the signal while polling ends the wait as user_rejected and stops polling", async () => {
    const controller = new AbortController();
    const clock = fakeClock();
    const sleep = clock.sleep;
    clock.sleep = async (ms) => {
      controller.abort();
      return sleep(ms, controller.signal);
    };
    suite.server.waitingPolls = 1_000;
    const p = provider({ clock });
    const [credential] = await p.listCredentials(account);
    const polls = () => suite.server.requests.filter((r) => r.path.endsWith("signPolling")).length;
    const before = polls();
    await expectCode(p.signHash(account, request(credential!.id), { signal: controller.signal }), "user_rejected");
    expect(polls() - before).toBe(1);
  });
});

describe("OAuth tokens only through the SecretStore", () => {
  it("no token appears in any file the core writes when using the in-memory store (audit log, signed output)", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kyso-remote-secrets-"));
    try {
      const store = new MemorySecretStore();
      const audit = createAuditLog(dataDir);
      const p = provider({ store, clientSecret: SECRETS.clientSecret });
      const [credential] = await p.listCredentials(account);
      const signer = new RemoteSigner(p, account, credential!, transaction);
      const result = await sign({ format: "cms", document: DOCUMENT, options: { detached: true } }, signer);
      if (result.kind !== "signature") throw new Error("expected a signature");
      await audit.append({ time: new Date(0).toISOString(), origin: transaction.origin, method: "sign", format: "cms", decision: "approved", result: "ok" });
      suite.server.phone = "reject";
      const failure = await signer.signDigest({ digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256", scheme: "rsa-pkcs1" }).catch((e: unknown) => e);
      expect(isKysoError(failure, "user_rejected")).toBe(true);
      await audit.append({ time: new Date(1).toISOString(), origin: transaction.origin, method: "sign", format: "cms", decision: "approved", result: (failure as { code: string }).code });
      await audit.flush();

      const tokens = JSON.parse((await store.get(cscTokenKey({ baseUrl: suite.server.cscBase, clientId: SECRETS.cscClientId })))!) as OAuthTokens;
      const sads = suite.server.requests.filter((r) => r.path.endsWith("signatures/signHash")).map((r) => (JSON.parse(r.body) as { SAD: string }).SAD);
      const secrets = [tokens.accessToken, tokens.refreshToken!, SECRETS.clientSecret, SECRETS.otp, ...sads];
      const names = await readdir(dataDir, { recursive: true });
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const text = (await readFile(join(dataDir, name)).catch(() => Buffer.alloc(0))).toString("latin1");
        for (const secret of secrets) expect(text.includes(secret), `${name} holds a secret`).toBe(false);
      }
      expect(Buffer.from(result.signature).toString("latin1").includes(tokens.accessToken)).toBe(false);
      expect(store.size).toBe(1);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

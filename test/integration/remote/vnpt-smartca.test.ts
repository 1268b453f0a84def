import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { VnptSmartCaProvider, type RemoteSignState } from "../../../main/core/remote/index.js";
import { REMOTE_TEST_USER } from "../../../sandbox/remote-server/remote-signing-server.js";
import { DOCUMENT, expectCode, fakeClock, itSignsOnThePhone, openRemoteSuite, SECRETS, sha256, verifiesDigest, type RemoteSuite } from "./remote-harness.js";

let suite: RemoteSuite;
beforeAll(async () => {
  suite = await openRemoteSuite();
});
afterAll(async () => suite?.close());
beforeEach(() => {
  suite.server.phone = "approve";
  suite.server.waitingPolls = 2;
});

const account = { userId: REMOTE_TEST_USER };
const transaction = { description: "Quyết định 123/QĐ-UBND.pdf", origin: "https://dichvucong.example.gov.vn" };
function provider(clock = fakeClock(), overrides: Partial<{ spPassword: string; baseUrl: string }> = {}) {
  return new VnptSmartCaProvider({ baseUrl: suite.server.vnptBase, spId: SECRETS.spId, spPassword: SECRETS.spPassword, clock, pollIntervalMs: 2000, ...overrides });
}

describe("VNPT SmartCA sp769 v1 against the local server", () => {
  it("lists the account's certificate with its chain", async () => {
    const [credential, ...rest] = await provider().listCredentials(account);
    expect(rest).toEqual([]);
    expect(credential?.id).toBe("5401F0E1A2B3C4D5");
    expect(credential?.chain).toHaveLength(2);
    expect(credential?.keyAlgorithm.kind).toBe("rsa");
  });

  it("signs a SHA-256 digest after two 'waiting' polls; the signature verifies against the returned certificate", async () => {
    const clock = fakeClock();
    const p = provider(clock);
    const [credential] = await p.listCredentials(account);
    const states: RemoteSignState[] = [];
    const signature = await p.signHash(account, { credentialId: credential!.id, digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256", scheme: "rsa-pkcs1", transaction }, { onState: (s) => states.push(s) });
    expect(verifiesDigest(credential!.certificate, DOCUMENT, signature)).toBe(true);
    expect(clock.slept).toEqual([2000, 2000]);
    expect(states.map((s) => s.state)).toEqual(["waiting_for_phone", "success"]);
    const signBody = JSON.parse(suite.server.requests.findLast((r) => r.path.endsWith("signatures/sign"))!.body) as Record<string, unknown>;
    expect(signBody.transaction_desc).toBe(`${transaction.description} (${transaction.origin})`);
  });

  itSignsOnThePhone("vnpt", () => ({ suite, provider: provider(), account, transaction }));

  it("a phone that never answers times out at the provider's expiry, polling on the injected clock only", async () => {
    const clock = fakeClock();
    const p = new VnptSmartCaProvider({ baseUrl: suite.server.vnptBase, spId: SECRETS.spId, spPassword: SECRETS.spPassword, clock, pollIntervalMs: 60_000, expiryMs: 300_000 });
    const [credential] = await p.listCredentials(account);
    suite.server.waitingPolls = 1_000;
    await expectCode(p.signHash(account, { credentialId: credential!.id, digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256", scheme: "rsa-pkcs1", transaction }), "timeout");
    expect(clock.slept).toHaveLength(5);
  });

  it("cancelling while the phone is pending ends the wait as user_rejected", async () => {
    const controller = new AbortController();
    const clock = fakeClock();
    const sleep = clock.sleep;
    // The user presses cancel during the first wait between polls.
    clock.sleep = async (ms) => {
      controller.abort();
      return sleep(ms, controller.signal);
    };
    const p = provider(clock);
    const [credential] = await p.listCredentials(account);
    suite.server.waitingPolls = 1_000;
    await expectCode(p.signHash(account, { credentialId: credential!.id, digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256", scheme: "rsa-pkcs1", transaction }, { signal: controller.signal }), "user_rejected");
  });

  it("a refused sp_password and an unreachable service never echo the secrets", async () => {
    await expectCode(provider(fakeClock(), { spPassword: `${SECRETS.spPassword}-wrong` }).listCredentials(account), "signing_failed");
    await expectCode(provider(fakeClock(), { baseUrl: "http://127.0.0.1:9/vnpt/" }).listCredentials(account), "remote_unavailable");
  });
});

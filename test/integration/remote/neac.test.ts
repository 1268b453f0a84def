import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { NeacProvider, type FetchLike } from "../../../main/core/remote/index.js";
import { REMOTE_TEST_USER } from "../../../sandbox/remote-server/remote-signing-server.js";
import { DOCUMENT, expectCode, fakeClock, itSignsOnThePhone, openRemoteSuite, SECRETS, sha256, verifiesDigest, type RemoteSuite } from "./remote-harness.js";

let suite: RemoteSuite;
beforeAll(async () => {
  suite = await openRemoteSuite();
});
afterAll(async () => suite?.close());
beforeEach(() => {
  suite.server.phone = "approve";
});

const account = { userId: REMOTE_TEST_USER, caName: "KYSO-TEST-CA" };
const transaction = { description: "Tờ khai 01/GTGT", origin: "https://thuedientu.example.gov.vn" };
const provider = (fetch?: FetchLike) =>
  new NeacProvider({ baseUrl: suite.server.neacBase, spId: SECRETS.spId, spPassword: SECRETS.spPassword, clock: fakeClock(), ...(fetch ? { fetch } : {}) });

describe("NEAC eSign gateway sign_v2 against the local server", () => {
  it("lists the certificate and signs a SHA-256 digest with sign_type hash", async () => {
    const p = provider();
    const [credential] = await p.listCredentials(account);
    expect(credential?.chain).toHaveLength(2);
    const signature = await p.signHash(account, { credentialId: credential!.id, digest: sha256(DOCUMENT), hashAlgorithm: "SHA-256", scheme: "rsa-pkcs1", transaction });
    expect(verifiesDigest(credential!.certificate, DOCUMENT, signature)).toBe(true);
    const body = JSON.parse(suite.server.requests.findLast((r) => r.path.endsWith("sign_v2/sign"))!.body) as { ca_name: string; sign_files: { sign_type: string; data_to_be_signed: string }[] };
    expect(body.ca_name).toBe("KYSO-TEST-CA");
    expect(body.sign_files).toHaveLength(1);
    expect(body.sign_files[0]?.sign_type).toBe("hash");
    expect(body.sign_files[0]?.data_to_be_signed).toBe(Buffer.from(sha256(DOCUMENT)).toString("hex"));
  });

  itSignsOnThePhone("neac", () => ({ suite, provider: provider(), account, transaction }));

  it("a gateway that echoes sp_id and sp_password in its message: the error carries neither (redaction)", async () => {
    // A real fetch to the real server, whose reply is then rewritten to echo what was sent, as a careless gateway would.
    const echoing: FetchLike = async (url, init) => {
      const sent = JSON.parse(init.body) as { sp_id: string; sp_password: string };
      await fetch(url, init);
      return { status: 200, text: async () => JSON.stringify({ status_code: 4004, message: `sign failed for ${sent.sp_id}/${sent.sp_password} ${encodeURIComponent(sent.sp_password)}` }) };
    };
    const error = await expectCode(provider(echoing).listCredentials(account), "signing_failed");
    expect(error.message).toContain("[redacted]");
  });

  it("SHA-384 is refused before anything is sent (the gateway documents SHA-256 hashes only)", async () => {
    const before = suite.server.requests.length;
    await expectCode(provider().signHash(account, { credentialId: "x", digest: new Uint8Array(48), hashAlgorithm: "SHA-384", scheme: "rsa-pkcs1", transaction }), "unsupported_algorithm");
    expect(suite.server.requests.length).toBe(before);
  });
});

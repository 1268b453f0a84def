/**
 * Regression: a second signer opened on a token while a first one held the login used to ride on that login
 * (C_Login answers CKR_USER_ALREADY_LOGGED_IN), so a wrong PIN was accepted. A token now has one signer at a
 * time: the second waits for the first to close and then logs in with its own PIN.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import { openTokenHarness, type TokenHarness } from "../../helpers/token-service-harness.js";

let harness: TokenHarness;
let personRsa: CertificateInfo;
let orgRsa: CertificateInfo;
let personB: CertificateInfo;

beforeAll(async () => {
  harness = await openTokenHarness();
  const certificates = await harness.service.listCertificates();
  const byName = (name: string): CertificateInfo => {
    const found = certificates.find((info) => info.fingerprintSha256 === harness.tokens.cert(name).fingerprintSha256);
    if (!found) throw new Error(name);
    return found;
  };
  personRsa = byName("personRsa");
  orgRsa = byName("orgRsa3072");
  personB = byName("personB");
});
afterAll(() => harness?.close());

const rightPin = (): Buffer => Buffer.from(harness.tokens.manifest.userPin);
const digest = createHash("sha256").update("lease").digest();

/** Resolves once a signer waits in `tokenId`'s line: the service's own queue event, instead of a sleep. */
function queued(tokenId: string): Promise<void> {
  return new Promise((resolve) => {
    if (harness.service.queue(tokenId).waiting > 0) return resolve();
    const off = harness.service.onQueueChange((state) => {
      if (state.tokenId === tokenId && state.waiting > 0) {
        off();
        resolve();
      }
    });
  });
}

describe("one signer per token at a time", () => {
  it("a wrong PIN is refused even while another signer on the same token is logged in", async () => {
    const first = await harness.service.openSigner({ certificateId: personRsa.id, pin: rightPin() });
    const second = harness.service.openSigner({ certificateId: orgRsa.id, pin: Buffer.from("0000") });
    const secondOutcome = second.then(
      () => "opened",
      (error: { code?: string }) => error.code,
    );
    let answered = false;
    void secondOutcome.then(() => (answered = true));
    // The second waits for the first: it joins the token's line and is not answered while the first is open.
    await queued(orgRsa.tokenId);
    expect(answered).toBe(false);
    await first.signDigest({ hashAlgorithm: "SHA-256", digest, scheme: "rsa-pkcs1" });
    expect(answered).toBe(false);
    await first.close();
    expect(await secondOutcome).toBe("pin_incorrect");
  });

  it("signers on different tokens do not wait for each other", async () => {
    const onA = await harness.service.openSigner({ certificateId: personRsa.id, pin: rightPin() });
    const onB = await harness.service.openSigner({ certificateId: personB.id, pin: rightPin() });
    await Promise.all([onA.signDigest({ hashAlgorithm: "SHA-256", digest, scheme: "rsa-pkcs1" }), onB.signDigest({ hashAlgorithm: "SHA-256", digest, scheme: "rsa-pkcs1" })]);
    await Promise.all([onA.close(), onB.close()]);
  });

  it("a waiting signer gives up with `busy` when its signal aborts", async () => {
    const first = await harness.service.openSigner({ certificateId: personRsa.id, pin: rightPin() });
    const controller = new AbortController();
    const second = harness.service.openSigner({ certificateId: orgRsa.id, pin: rightPin(), signal: controller.signal });
    await queued(orgRsa.tokenId); // abort a signer that is really waiting, not one that has not joined the line yet
    controller.abort();
    await expect(second).rejects.toMatchObject({ code: "busy" });
    await first.close();
    const third = await harness.service.openSigner({ certificateId: orgRsa.id, pin: rightPin() });
    await third.close();
  });
});

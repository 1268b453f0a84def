import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { RevocationService, revocationVerdict, NO_PROXY, type RevocationServiceOptions } from "../../../main/core/certificates/revocation/index.js";
import { startPkiHarness, type PkiHarness } from "./pki-harness.js";

let h: PkiHarness;
beforeAll(async () => {
  h = await startPkiHarness();
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  h.router.ocspMode = "relay";
  h.router.crlMode = "pem";
  h.router.responderUrl = h.responder.url;
  h.router.resetCounts();
});

const service = (options: RevocationServiceOptions = {}): RevocationService => new RevocationService({ proxy: NO_PROXY, ...options });

describe("OCSP against openssl ocsp", () => {
  it("good: signed by the delegated responder, nonce echoed, evidence kept", async () => {
    const result = await service().check(h.pki.der.good, h.pki.der.ca);
    expect(result).toMatchObject({ status: "good", source: "ocsp", fromCache: false, url: `${h.router.baseUrl}/ocsp` });
    expect(result.notes).toEqual([]);
    expect(result.evidence?.length).toBeGreaterThan(100);
    expect(result.nextUpdate!.getTime()).toBeGreaterThan(result.thisUpdate!.getTime());
    expect(revocationVerdict(result, "require")).toEqual({ blocking: false });
  });
});

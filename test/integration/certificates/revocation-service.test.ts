import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  boundedFetch,
  NO_PROXY,
  RevocationService,
  revocationVerdict,
  type RevocationServiceOptions,
} from "../../../main/core/certificates/revocation/index.js";
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

  it("revoked: time and reason from the responder; refused under require, warned under warn", async () => {
    const result = await service().check(h.pki.der.revoked, h.pki.der.ca);
    expect(result).toMatchObject({ status: "revoked", source: "ocsp", reason: "keyCompromise" });
    expect(result.revokedAt).toBeInstanceOf(Date);
    expect(revocationVerdict(result, "require")).toEqual({ blocking: true, warning: "revocation.revoked" });
    expect(revocationVerdict(result, "warn")).toEqual({ blocking: false, warning: "revocation.revoked" });
    expect(revocationVerdict(result, "off")).toEqual({ blocking: false });
  });

  it("a response signed by the CA itself is accepted", async () => {
    h.router.responderUrl = (await h.startResponder("ca")).url;
    expect((await service().check(h.pki.der.good, h.pki.der.ca)).status).toBe("good");
  });

  it("unknown to the responder: SHA-256 then SHA-1 CertID asked, then the CRL; without a CRL the answer stays unknown", async () => {
    h.router.crlMode = "missing";
    const result = await service().check(h.pki.der.unknown, h.pki.der.ca);
    expect(result).toMatchObject({ status: "unknown", source: "ocsp" });
    expect(result.notes).toContain("sha1-cert-id");
    expect(h.router.count("/ocsp")).toBe(2);
    expect(revocationVerdict(result, "warn")).toEqual({ blocking: false, warning: "revocation.unknown" });
    expect(revocationVerdict(result, "require").blocking).toBe(true);
  });

  it("a tampered response is rejected (bad signature)", async () => {
    h.router.ocspMode = "tamper";
    h.router.crlMode = "missing";
    const result = await service().check(h.pki.der.good, h.pki.der.ca);
    expect(result.status).toBe("error");
    expect(result.attempts[0]).toMatchObject({ source: "ocsp", status: "error", detail: "bad-signature" });
  });

  it("a stale response (nextUpdate passed on an injected clock) is rejected", async () => {
    h.router.crlMode = "missing";
    const later = new Date(Date.now() + 2 * 86_400_000);
    const result = await service({ now: () => later }).check(h.pki.der.good, h.pki.der.ca);
    expect(result.status).toBe("error");
    expect(result.attempts[0]).toMatchObject({ source: "ocsp", detail: "stale" });
  });

  it("a replayed response (wrong nonce) is rejected", async () => {
    h.router.ocspMode = "replay";
    h.router.crlMode = "missing";
    expect((await service().check(h.pki.der.good, h.pki.der.ca)).status).toBe("good"); // recorded
    const replayed = await service().check(h.pki.der.good, h.pki.der.ca);
    expect(replayed.status).toBe("error");
    expect(replayed.attempts[0]).toMatchObject({ detail: "nonce-mismatch" });
  });

  it("a responder that ignores the nonce is accepted and the gap noted", async () => {
    h.router.ocspMode = "strip-nonce";
    const result = await service().check(h.pki.der.good, h.pki.der.ca);
    expect(result.status).toBe("good");
    expect(result.notes).toContain("nonce-not-echoed");
  });

  it.each(["noEku", "foreign"] as const)("a response signed by an unauthorised certificate (%s) is rejected", async (signer) => {
    h.router.responderUrl = (await h.startResponder(signer)).url;
    h.router.crlMode = "missing";
    const result = await service().check(h.pki.der.good, h.pki.der.ca);
    expect(result.status).toBe("error");
    expect(result.attempts[0]).toMatchObject({ detail: "unauthorised-responder" });
  });

  it("an oversized response is cut off", async () => {
    h.router.ocspMode = "huge";
    h.router.crlMode = "missing";
    const result = await service().check(h.pki.der.good, h.pki.der.ca);
    expect(result.attempts[0]).toMatchObject({ detail: "too-large" });
  });
});

describe("responder down or slow", () => {
  it("down (connection reset), no CRL: warn shows could-not-check, require refuses", async () => {
    h.router.ocspMode = "reset";
    h.router.crlMode = "missing";
    const result = await service().check(h.pki.der.good, h.pki.der.ca);
    expect(result).toMatchObject({ status: "error", source: "none" });
    expect(result.attempts.map((a) => [a.source, a.detail])).toEqual([["ocsp", "network"], ["crl", "http-status"]]);
    expect(revocationVerdict(result, "warn")).toEqual({ blocking: false, warning: "revocation.unchecked" });
    expect(revocationVerdict(result, "require")).toEqual({ blocking: true, warning: "revocation.unchecked" });
  });

  it("slow: the per-request timeout ends the wait", async () => {
    h.router.ocspMode = "hang";
    h.router.crlMode = "missing";
    const result = await service({ ocspTimeoutMs: 150 }).check(h.pki.der.good, h.pki.der.ca);
    expect(result.attempts[0]).toMatchObject({ source: "ocsp", detail: "timeout" });
    expect(h.router.count("/ocsp")).toBe(1);
  });

  it("nothing listening at a policy-given responder URL", async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const { port } = dead.address() as AddressInfo;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const result = await service({ policyUrls: [{ ocsp: [`http://127.0.0.1:${port}/`] }] }).check(h.pki.der.noUrls, h.pki.der.ca);
    expect(result.attempts).toEqual([expect.objectContaining({ source: "ocsp", detail: "network" })]);
  });

  it("OCSP down, CRL up: the CRL answers and the fallback is noted", async () => {
    h.router.ocspMode = "reset";
    const result = await service().check(h.pki.der.revoked, h.pki.der.ca);
    expect(result).toMatchObject({ status: "revoked", source: "crl", reason: "keyCompromise" });
    expect(result.notes).toContain("ocsp-failed-crl-used");
  });
});

describe("CRL", () => {
  it.each(["pem", "der"] as const)("a %s CRL from the issuer answers good and revoked", async (mode) => {
    h.router.crlMode = mode;
    const checker = service();
    expect(await checker.check(h.pki.der.crlOnly, h.pki.der.ca)).toMatchObject({ status: "good", source: "crl" });
    expect(h.router.count("/ocsp")).toBe(0);
  });

  it("a CRL with the issuer's name signed by another key is ignored", async () => {
    h.router.crlMode = "rogue";
    const result = await service().check(h.pki.der.crlOnly, h.pki.der.ca);
    expect(result.status).toBe("error");
    expect(result.attempts[0]).toMatchObject({ source: "crl", detail: "crl-not-from-issuer" });
  });

  it("a CRL past its nextUpdate is refused", async () => {
    const later = new Date(Date.now() + 31 * 86_400_000);
    const result = await service({ now: () => later }).check(h.pki.der.crlOnly, h.pki.der.ca);
    expect(result.attempts[0]).toMatchObject({ detail: "stale" });
  });
});

describe("cache, offline mode, URLs", () => {
  it("a cached answer is reused until its time is up, without a request", async () => {
    let now = new Date();
    const checker = service({ now: () => now });
    const first = await checker.check(h.pki.der.good, h.pki.der.ca);
    const second = await checker.check(h.pki.der.good, h.pki.der.ca);
    expect(second).toMatchObject({ status: "good", fromCache: true, checkedAt: first.checkedAt });
    expect(h.router.count("/ocsp")).toBe(1);
    now = new Date(now.getTime() + 2 * 3_600_000); // past DEFAULT_MAX_CACHE_AGE_MS, before nextUpdate
    expect((await checker.check(h.pki.der.good, h.pki.der.ca)).fromCache).toBe(false);
    expect(h.router.count("/ocsp")).toBe(2);
  });

  it("concurrent checks of one certificate share one request", async () => {
    const checker = service();
    const results = await Promise.all([1, 2, 3].map(() => checker.check(h.pki.der.good, h.pki.der.ca)));
    expect(results.map((r) => r.status)).toEqual(["good", "good", "good"]);
    expect(h.router.count("/ocsp")).toBe(1);
  });

  it("a CRL fetched once answers for other certificates of the issuer", async () => {
    const checker = service();
    await checker.check(h.pki.der.crlOnly, h.pki.der.ca);
    h.router.ocspMode = "reset";
    const revoked = await checker.check(h.pki.der.revoked, h.pki.der.ca);
    expect(revoked).toMatchObject({ status: "revoked", source: "crl" });
    expect(h.router.count("/crl/ca.crl")).toBe(1);
  });

  it("offline mode fetches nothing, answers from the cache only", async () => {
    const checker = service({ offline: true });
    const result = await checker.check(h.pki.der.good, h.pki.der.ca);
    expect(result).toMatchObject({ status: "error", source: "none", detail: "offline" });
    expect(revocationVerdict(result, "warn")).toEqual({ blocking: false, warning: "revocation.offline" });
    expect(h.router.counts.size).toBe(0);
    checker.setOffline(false);
    await checker.check(h.pki.der.good, h.pki.der.ca);
    checker.setOffline(true);
    expect(await checker.check(h.pki.der.good, h.pki.der.ca)).toMatchObject({ status: "good", fromCache: true });
    expect(h.router.count("/ocsp")).toBe(1);
  });

  it("a certificate without URLs and no policy URL: nothing fetched", async () => {
    const result = await service().check(h.pki.der.noUrls, h.pki.der.ca);
    expect(result).toMatchObject({ status: "error", detail: "no-url" });
    expect(h.router.counts.size).toBe(0);
  });

  it("a redirect to another scheme is refused", async () => {
    const reply = await boundedFetch(`${h.router.baseUrl}/redirect-file`, { method: "GET" }, { timeoutMs: 2000, maxBytes: 1000, proxy: NO_PROXY });
    expect(reply).toMatchObject({ ok: false, detail: "redirect-refused" });
  });
});

describe("proxies", () => {
  let proxy: Server;
  let proxied = 0;
  beforeAll(async () => {
    // A forward proxy for absolute-form http requests, as a corporate proxy would be.
    proxy = createServer((req, res) => {
      proxied++;
      const upstream = httpRequest(req.url ?? "", { method: req.method, headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      });
      upstream.on("error", () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  });

  it("HTTP_PROXY carries the OCSP request; NO_PROXY bypasses it", async () => {
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    proxied = 0;
    expect((await service({ proxy: { httpProxy: url } }).check(h.pki.der.good, h.pki.der.ca)).status).toBe("good");
    expect(proxied).toBe(1);
    expect((await service({ proxy: { httpProxy: url, noProxy: "localhost,127.0.0.1" } }).check(h.pki.der.good, h.pki.der.ca)).status).toBe("good");
    expect(proxied).toBe(1);
  });
});

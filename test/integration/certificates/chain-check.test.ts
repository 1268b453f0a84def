/**
 * The pre-sign chain check (issue 13 §1, §3): the trust path to an anchor with the anchor named, and the revocation
 * of the chain's intermediate CAs from the root's real CRL served on 127.0.0.1 (test/fixtures/chain-pki.ts), with
 * the policy verdict (`chainCheck` for the path, `revocationCheck` for the intermediates).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_PROXY, RevocationService } from "../../../main/core/certificates/revocation/index.js";
import { BUNDLED_ANCHOR_PEMS, certificatesIn, ChainChecker, chainVerdict, commonName, loadAnchors, type TrustAnchor } from "../../../main/core/certificates/trust/index.js";
import { makeChainPki, type ChainPki } from "../../fixtures/chain-pki.js";

let dir: string;
let pki: ChainPki;
let anchors: readonly TrustAnchor[];
const online = new RevocationService({ proxy: NO_PROXY });
const checker = (service: RevocationService = online, own: readonly TrustAnchor[] = anchors): ChainChecker =>
  new ChainChecker({ anchors: async () => own, revocation: (c, i) => service.check(c, i) });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-chain-"));
  pki = await makeChainPki(dir);
  anchors = (await loadAnchors({ pems: [pki.rootPem], bundled: false })).anchors;
});
afterAll(async () => {
  await pki?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("chain check before the approval", () => {
  it("trusted: names the anchor; the intermediate's status comes from the root's CRL (good)", async () => {
    const result = await checker().check(pki.der.underGood, [pki.der.goodCa], true);
    expect(result).toMatchObject({ trusted: true, anchor: { name: "KySo Chain Test Root" } });
    expect(result.intermediates).toMatchObject([{ name: "Good Intermediate CA", status: "good", source: "crl" }]);
    for (const mode of ["warn", "require"] as const) expect(chainVerdict(result, mode, mode)).toEqual({ blocking: false });
  });

  it("a revoked intermediate: warned under revocationCheck warn, refused under require", async () => {
    const result = await checker().check(pki.der.underRevoked, [pki.der.revokedCa], true);
    expect(result.trusted).toBe(true);
    expect(result.intermediates).toMatchObject([{ name: "Revoked Intermediate CA", status: "revoked", source: "crl" }]);
    expect(chainVerdict(result, "warn", "warn")).toEqual({ blocking: false, warning: "chain.intermediateRevoked", problem: "intermediateRevoked" });
    expect(chainVerdict(result, "warn", "require")).toMatchObject({ blocking: true, problem: "intermediateRevoked" });
    expect(chainVerdict(result, "warn", "off")).toEqual({ blocking: false });
  });

  it("an intermediate whose CRL cannot be had (offline): 'could not check', refused only under require", async () => {
    const result = await checker(new RevocationService({ proxy: NO_PROXY, offline: true })).check(pki.der.underGood, [pki.der.goodCa], true);
    expect(result.intermediates).toMatchObject([{ status: "error" }]);
    expect(chainVerdict(result, "warn", "warn")).toMatchObject({ blocking: false, warning: "chain.intermediateUnchecked" });
    expect(chainVerdict(result, "warn", "require")).toMatchObject({ blocking: true, problem: "intermediateRevocationUnknown" });
  });

  it("an intermediate that publishes no status: shown as such, blocks nothing; not asked at all when revocation is off", async () => {
    const before = pki.served();
    const result = await checker().check(pki.der.underSilent, [pki.der.silentCa], true);
    expect(result.intermediates).toMatchObject([{ name: "Silent Intermediate CA", status: "not-published", source: "none" }]);
    expect(chainVerdict(result, "require", "require")).toEqual({ blocking: false });
    const unasked = await checker().check(pki.der.underRevoked, [pki.der.revokedCa], false);
    expect(unasked.intermediates).toEqual([]);
    expect(pki.served() - before).toBe(0); // the root's CRL was cached from the first tests; nothing else is fetched
  });

  it("no trusted path (the root is not an anchor): a warning under chainCheck warn, a refusal under require, nothing when off", async () => {
    const result = await checker(online, []).check(pki.der.underGood, [pki.der.goodCa], true);
    expect(result).toMatchObject({ trusted: false, reason: "no-anchor" });
    expect(result.intermediates).toEqual([]);
    expect(chainVerdict(result, "warn", "require")).toEqual({ blocking: false, warning: "chain.untrusted", problem: "untrustedChain" });
    expect(chainVerdict(result, "require", "warn")).toMatchObject({ blocking: true, problem: "untrustedChain" });
    expect(chainVerdict(result, "off", "require")).toEqual({ blocking: false });
  });

  it("the two national roots are anchors by default and named by their CN", async () => {
    const loaded = await loadAnchors({});
    expect(loaded.anchors.map((a) => [a.nationalRoot, commonName(a.der)])).toEqual([
      ["vn-national-root", "Vietnam National Root CA"],
      ["vn-gov-root-g2", "RootCA chuyên dùng Chính phủ G2"],
    ]);
    // A national root certificate checked as if it were the signer: it chains to itself, the anchor named by CN.
    const root = certificatesIn(BUNDLED_ANCHOR_PEMS[1]!)[0]!;
    const self = await new ChainChecker({ anchors: async () => loaded.anchors }).check(root, [], false);
    expect(self).toMatchObject({ trusted: true, anchor: { name: "RootCA chuyên dùng Chính phủ G2", nationalRoot: "vn-gov-root-g2" } });
  });
});

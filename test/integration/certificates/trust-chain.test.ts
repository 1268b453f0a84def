import { mkdtemp, rm, writeFile, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_PROXY } from "../../../main/core/certificates/revocation/index.js";
import { AiaIssuerFetcher, buildTrustedChain, fingerprint, loadAnchors, type TrustAnchor } from "../../../main/core/certificates/trust/index.js";
import { startPkiHarness, type PkiHarness } from "./pki-harness.js";

let h: PkiHarness;
let folder: string;
let root: TrustAnchor;
beforeAll(async () => {
  h = await startPkiHarness();
  folder = await mkdtemp(join(tmpdir(), "kyso-anchors-"));
  await copyFile(h.pki.root.cert, join(folder, "root.pem"));
  await copyFile(h.pki.responders.delegated.cert, join(folder, "responder.crt")); // not a CA: reported
  await writeFile(join(folder, "notes.txt"), "ignored: not a certificate extension");
  const loaded = await loadAnchors({ folders: [folder], bundled: false });
  root = loaded.anchors[0]!;
});
afterAll(async () => {
  await h?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe("trust anchors", () => {
  it("loads CA certificates from a folder and reports what it cannot use", async () => {
    const loaded = await loadAnchors({ folders: [folder], files: [join(folder, "missing.pem")], bundled: false });
    expect(loaded.anchors.map((a) => [a.source, a.fingerprintSha256])).toEqual([["file", fingerprint(h.pki.der.root)]]);
    expect(loaded.anchors[0]?.nationalRoot).toBeUndefined();
    expect(loaded.problems.map((p) => p.origin)).toEqual([join(folder, "missing.pem"), join(folder, "responder.crt")]) // named files, then folder entries;
  });
});

describe("chain to an anchor", () => {
  it("names the anchor; the missing intermediate comes from AIA caIssuers once, then from the cache", async () => {
    h.router.resetCounts();
    const aia = new AiaIssuerFetcher({ proxy: NO_PROXY });
    const chain = await buildTrustedChain(h.pki.der.good, { anchors: [root], aia });
    expect(chain.trusted).toBe(true);
    if (!chain.trusted) return;
    expect(chain.anchor.fingerprintSha256).toBe(fingerprint(h.pki.der.root));
    expect(chain.chain.map(fingerprint)).toEqual([fingerprint(h.pki.der.ca), fingerprint(h.pki.der.root)]);
    expect(chain.fetched.map(fingerprint)).toEqual([fingerprint(h.pki.der.ca)]);
    await buildTrustedChain(h.pki.der.revoked, { anchors: [root], aia });
    expect(h.router.count("/aia/ca.der")).toBe(1);
  });

  it("uses intermediates it is given without fetching", async () => {
    h.router.resetCounts();
    const chain = await buildTrustedChain(h.pki.der.good, { anchors: [root], intermediates: [h.pki.der.ca], aia: new AiaIssuerFetcher({ proxy: NO_PROXY }) });
    expect(chain.trusted).toBe(true);
    expect(h.router.counts.size).toBe(0);
  });

  it("without the intermediate and without AIA, or offline, there is no path", async () => {
    expect(await buildTrustedChain(h.pki.der.good, { anchors: [root] })).toMatchObject({ trusted: false, reason: "no-anchor" });
    h.router.resetCounts();
    const offline = new AiaIssuerFetcher({ proxy: NO_PROXY, offline: true });
    expect(await buildTrustedChain(h.pki.der.good, { anchors: [root], aia: offline })).toMatchObject({ trusted: false });
    expect(h.router.counts.size).toBe(0);
  });

  it("another CA as the only anchor does not make the chain trusted", async () => {
    const other = (await loadAnchors({ pems: [pem(h.pki.der.otherCa)], bundled: false })).anchors;
    const chain = await buildTrustedChain(h.pki.der.good, { anchors: other, intermediates: [h.pki.der.ca] });
    expect(chain).toMatchObject({ trusted: false, reason: "no-anchor" });
    expect(chain.chain.map(fingerprint)).toEqual([fingerprint(h.pki.der.ca)]);
  });
});

function pem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n")}\n-----END CERTIFICATE-----\n`;
}

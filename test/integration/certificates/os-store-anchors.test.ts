/**
 * Policy `trustAnchorsOsStore` on Linux, for real: a temporary PEM bundle file stands for the distribution's
 * (`/etc/ssl/certs/ca-certificates.crt`; the machine's own store is never touched), read by the Linux reader of
 * os-store.ts through the core's trust wiring. Off by default: the same root in the same bundle anchors nothing.
 * On: the chain check reaches it, the anchor is labelled "system", and diagnostics counts it per source.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portalChainStatus } from "../../../main/core/bridge/chain-gate.js";
import { parseCertificateInfo } from "../../../main/core/certificates/parse-certificate.js";
import { NO_PROXY, RevocationService } from "../../../main/core/certificates/revocation/index.js";
import { BUNDLED_ANCHOR_PEMS } from "../../../main/core/certificates/trust/index.js";
import { readOsStore } from "../../../main/core/certificates/trust/os-store.js";
import { createTrust } from "../../../main/core/certificates/trust/trust-wiring.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import { makeChainPki, type ChainPki } from "../../fixtures/chain-pki.js";

let dir: string;
let pki: ChainPki;
let bundle: string;
let signer: CertificateInfo;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-os-store-"));
  pki = await makeChainPki(join(dir, "pki"));
  // A distribution bundle: the test root among other roots (the national roots stand for the web PKI's).
  bundle = join(dir, "ca-certificates.crt");
  await writeFile(bundle, [BUNDLED_ANCHOR_PEMS[0]!, pki.rootPem, BUNDLED_ANCHOR_PEMS[1]!].join("\n"));
  signer = await parseCertificateInfo(pki.der.underGood, { tokenId: "t", tokenSerial: "t", label: "signer", hasPrivateKey: true, caCertificates: [pki.der.goodCa] });
});
afterAll(async () => {
  await pki?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function trust(osStore: boolean) {
  return createTrust({
    dataDir: join(dir, osStore ? "on" : "off"),
    policy: policySchema.parse({ trustAnchorsOsStore: osStore }),
    now: () => new Date(),
    revocation: new RevocationService({ proxy: NO_PROXY }),
    osStore: { bundlePaths: ["/nonexistent/kyso-test-bundle.crt", bundle] },
  });
}

describe("the OS store as a trust-anchor source (Linux bundle)", () => {
  it("the Linux reader takes the first bundle that exists, every certificate in it", async () => {
    const read = await readOsStore({ platform: "linux", bundlePaths: ["/nonexistent/a.crt", bundle] });
    expect(read).toMatchObject({ origin: bundle });
    expect(read.certificates).toHaveLength(3);
    expect(await readOsStore({ platform: "linux", bundlePaths: ["/nonexistent/a.crt"] })).toMatchObject({ certificates: [], problem: expect.stringContaining("no bundle found") });
  });

  it("off by default: the root in the OS store anchors nothing, diagnostics counts no system anchor", async () => {
    expect(policySchema.parse({}).trustAnchorsOsStore).toBe(false);
    const off = trust(false);
    const result = await off.chains.check(signer, false);
    expect(result).toMatchObject({ trusted: false, reason: "no-anchor" });
    expect(await off.anchorSummary()).toMatchObject({ osStore: false, counts: { bundled: 2, system: 0 } });
  });

  it("on: the chain reaches the root from the OS store, labelled '(system store)'; diagnostics counts per source", async () => {
    const on = trust(true);
    const result = await on.chains.check(signer, true);
    expect(result).toMatchObject({ trusted: true, anchor: { name: "KySo Chain Test Root", source: "system" } });
    expect(result.intermediates).toMatchObject([{ name: "Good Intermediate CA", status: "good" }]);
    expect(portalChainStatus(result, { chainCheck: "require", revocationCheck: "require" })).toEqual({ trusted: true, anchor: "KySo Chain Test Root (system store)", blocking: false });
    expect(await on.view(signer)).toMatchObject({ trusted: true, anchor: "KySo Chain Test Root", anchorSource: "system" });
    // The national roots in the same bundle stay "bundled" (first source wins); only the test root is "system".
    expect(await on.anchorSummary()).toEqual({ osStore: true, counts: { bundled: 2, policy: 0, file: 0, "trust-bundle": 0, system: 1 }, problems: [] });
  });
});

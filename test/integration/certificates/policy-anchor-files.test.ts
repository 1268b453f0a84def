/**
 * Issue 13: "any policy-configured anchors and intermediates (PEM files or a folder)". Policy `trustAnchorFiles`,
 * `trustAnchorFolders` and `trustIntermediateFiles` through the core's trust wiring, on real files: the chain reaches
 * the test root from a file or a folder (labelled `file`), an intermediate the token does not hold comes from the
 * policy's file, and a file that is missing or holds no certificate is a diagnostics problem, never a crash.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCertificateInfo } from "../../../main/core/certificates/parse-certificate.js";
import { NO_PROXY, RevocationService } from "../../../main/core/certificates/revocation/index.js";
import { createTrust } from "../../../main/core/certificates/trust/trust-wiring.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import { makeChainPki, type ChainPki } from "../../fixtures/chain-pki.js";

let dir: string;
let pki: ChainPki;
let withChain: CertificateInfo;
let alone: CertificateInfo;
const pem = (der: Uint8Array): string => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END CERTIFICATE-----\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-anchor-files-"));
  pki = await makeChainPki(join(dir, "pki"));
  await writeFile(join(dir, "root.pem"), pki.rootPem);
  await writeFile(join(dir, "intermediate.crt"), pem(pki.der.goodCa));
  await mkdir(join(dir, "anchors"));
  await writeFile(join(dir, "anchors", "root.cer"), pki.der.root);
  await writeFile(join(dir, "anchors", "readme.txt"), "not a certificate, not read");
  await writeFile(join(dir, "empty.pem"), "no certificate here");
  const info = { tokenId: "t", tokenSerial: "t", label: "signer", hasPrivateKey: true };
  withChain = await parseCertificateInfo(pki.der.underGood, { ...info, caCertificates: [pki.der.goodCa] });
  alone = await parseCertificateInfo(pki.der.underGood, { ...info, caCertificates: [] });
});
afterAll(async () => {
  await pki?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function trust(policy: Record<string, unknown>) {
  // Offline: no AIA fetch, so an intermediate can only come from the token or the policy's files.
  return createTrust({
    dataDir: join(dir, "data"),
    policy: policySchema.parse({ revocationOffline: true, ...policy }),
    now: () => new Date(),
    revocation: new RevocationService({ proxy: NO_PROXY, offline: true }),
  });
}

describe("policy anchors and intermediates from files and folders", () => {
  it("an anchor file (PEM) and an anchor folder (DER .cer; other files ignored) both reach the root, labelled 'file'", async () => {
    for (const policy of [{ trustAnchorFiles: [join(dir, "root.pem")] }, { trustAnchorFolders: [join(dir, "anchors")] }]) {
      const parts = trust(policy);
      expect(await parts.chains.check(withChain, false)).toMatchObject({ trusted: true, anchor: { name: "KySo Chain Test Root", source: "file" } });
      expect(await parts.anchorSummary()).toMatchObject({ counts: { file: 1 }, problems: [] });
    }
    expect(await trust({}).chains.check(withChain, false)).toMatchObject({ trusted: false });
  });

  it("an intermediate the token does not hold comes from trustIntermediateFiles", async () => {
    const anchors = { trustAnchorFiles: [join(dir, "root.pem")] };
    expect(await trust(anchors).chains.check(alone, false)).toMatchObject({ trusted: false });
    expect(await trust({ ...anchors, trustIntermediateFiles: [join(dir, "intermediate.crt")] }).chains.check(alone, false)).toMatchObject({ trusted: true });
  });

  it("a missing file, a file without a certificate and a missing folder are diagnostics problems, and the rest still works", async () => {
    const parts = trust({
      trustAnchorFiles: [join(dir, "missing.pem"), join(dir, "empty.pem"), join(dir, "root.pem")],
      trustAnchorFolders: [join(dir, "no-such-folder")],
      trustIntermediateFiles: [join(dir, "missing-intermediate.pem"), join(dir, "empty.pem")],
    });
    expect(await parts.chains.check(withChain, false)).toMatchObject({ trusted: true });
    const { problems } = await parts.anchorSummary();
    expect(problems.map((p) => p.origin).sort()).toEqual(
      [join(dir, "empty.pem"), join(dir, "empty.pem"), join(dir, "missing-intermediate.pem"), join(dir, "missing.pem"), join(dir, "no-such-folder")].sort(),
    );
  });

  it("policy revocationUrls: per issuer (SHA-256) or for all, http(s) only, validated at the boundary", () => {
    const fingerprint = "a".repeat(64);
    expect(policySchema.parse({ revocationUrls: [{ issuerFingerprintSha256: fingerprint, ocsp: ["http://ocsp.example.vn/"] }, { crl: ["https://crl.example.vn/ca.crl"] }] }).revocationUrls).toHaveLength(2);
    expect(policySchema.safeParse({ revocationUrls: [{ ocsp: ["file:///etc/passwd"] }] }).success).toBe(false);
    expect(policySchema.safeParse({ revocationUrls: [{ issuerFingerprintSha256: "ABC", crl: ["https://crl.example.vn/"] }] }).success).toBe(false);
  });
});

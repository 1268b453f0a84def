/**
 * The local CA is name-constrained to 127.0.0.1, ::1 and localhost: checked with OpenSSL (`openssl verify`) on a CA
 * made here with a key the test keeps, so a leaf for another name can be issued and must be refused.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { execFileSync } from "node:child_process";
import { webcrypto, X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { issueLocalCertificate } from "../../../../main/core/bridge/local-tls/local-certificate.js";
import { loopbackNameConstraints } from "../../../../main/core/bridge/local-tls/name-constraints.js";

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

function opensslVerify(caPem: string, leafPem: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "kyso-nc-"));
  try {
    writeFileSync(join(dir, "ca.pem"), caPem);
    writeFileSync(join(dir, "leaf.pem"), leafPem);
    const output = execFileSync("openssl", ["verify", "-CAfile", join(dir, "ca.pem"), join(dir, "leaf.pem")], { encoding: "utf8", stdio: "pipe" });
    return { ok: true, output };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: unknown }).stderr ?? error) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("local CA name constraints", () => {
  it("the issued CA carries a critical nameConstraints permitting exactly 127.0.0.1, ::1 and localhost; its leaf verifies", async () => {
    const issued = await issueLocalCertificate(new Date());
    const ca = new x509.X509Certificate(issued.caPem);
    const nc = ca.getExtension("2.5.29.30");
    expect(nc?.critical).toBe(true);
    const text = execFileSync("openssl", ["x509", "-noout", "-ext", "nameConstraints"], { input: issued.caPem, encoding: "utf8" });
    expect(text.replace(/\s+/g, " ")).toContain("Permitted: IP:127.0.0.1/255.255.255.255 IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF DNS:localhost");
    expect(opensslVerify(issued.caPem, issued.certPem).ok).toBe(true);
    expect(new X509Certificate(issued.caPem).ca).toBe(true);
  });

  it("a leaf for any other name under such a CA is refused (permitted subtree violation)", async () => {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
    const now = new Date();
    const later = new Date(now.getTime() + 86_400_000);
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: "01",
      name: "CN=test constrained CA",
      notBefore: now,
      notAfter: later,
      keys: caKeys,
      signingAlgorithm: ALG,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true), loopbackNameConstraints()],
    });
    const leafFor = async (names: x509.JsonGeneralName[]) => {
      const keys = (await webcrypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: "02",
        subject: "CN=leaf",
        issuer: ca.subject,
        notBefore: now,
        notAfter: later,
        signingKey: caKeys.privateKey,
        publicKey: keys.publicKey,
        signingAlgorithm: ALG,
        extensions: [new x509.SubjectAlternativeNameExtension(names, false), new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])],
      });
      return opensslVerify(ca.toString("pem"), leaf.toString("pem"));
    };
    expect((await leafFor([{ type: "ip", value: "127.0.0.1" }, { type: "dns", value: "localhost" }])).ok).toBe(true);
    // RFC 5280: a DNS constraint also permits its subdomains, so `x.localhost` passes; browsers resolve every
    // *.localhost to loopback (RFC 6761), so that is still only this machine.
    expect((await leafFor([{ type: "dns", value: "x.localhost" }])).ok).toBe(true);
    for (const names of [[{ type: "dns", value: "dichvucong.gov.vn" }], [{ type: "ip", value: "10.0.0.1" }], [{ type: "dns", value: "localhost.evil.example" }]] as x509.JsonGeneralName[][]) {
      const result = await leafFor(names);
      expect(result.ok, JSON.stringify(names)).toBe(false);
      expect(result.output).toMatch(/subtree violation/);
    }
  });
});

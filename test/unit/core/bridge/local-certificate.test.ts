import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ensureLocalCertificate, issueLocalCertificate, needsRenewal } from "../../../../main/core/bridge/local-tls/local-certificate.js";
import { installCa, removeCa, type Run } from "../../../../main/core/bridge/local-tls/trust-store.js";

describe("local TLS certificate", () => {
  it("leaf names only 127.0.0.1, ::1 and localhost, is issued by a CA, and the CA key is not kept", async () => {
    const issued = await issueLocalCertificate(new Date());
    const leaf = new X509Certificate(issued.certPem);
    const ca = new X509Certificate(issued.caPem);
    expect(leaf.subjectAltName).toBe("IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost");
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(ca.ca).toBe(true);
    expect(Object.keys(issued).sort()).toEqual(["caFingerprintSha256", "caPem", "certPem", "keyPem", "notAfter"]);
    expect(leaf.checkPrivateKey((await import("node:crypto")).createPrivateKey(issued.keyPem))).toBe(true);
  });

  it("first run issues, second run reuses, renewal 60 days before expiry issues a new CA", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kyso-tls-"));
    try {
      const now = new Date("2026-01-01T00:00:00Z");
      const first = await ensureLocalCertificate(dir, now);
      expect(first.renewed).toBe(true);
      const again = await ensureLocalCertificate(dir, now);
      expect(again.renewed).toBe(false);
      expect(again.certificate.caPem).toBe(first.certificate.caPem);
      const late = new Date(first.certificate.notAfter.getTime() - 59 * 86_400_000);
      expect(needsRenewal(first.certificate, late)).toBe(true);
      const renewed = await ensureLocalCertificate(dir, late);
      expect(renewed.renewed).toBe(true);
      expect(renewed.previous?.caPem).toBe(first.certificate.caPem);
      expect(renewed.certificate.caFingerprintSha256).not.toBe(first.certificate.caFingerprintSha256);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("trust store commands are argument arrays per platform", async () => {
    const { caPem } = await issueLocalCertificate();
    const calls: [string, readonly string[]][] = [];
    const run: Run = async (file, args) => {
      calls.push([file, args]);
      return { stdout: "" };
    };
    await installCa(caPem, { platform: "win32", home: "/h", run });
    await installCa(caPem, { platform: "darwin", home: "/h", run });
    await removeCa(caPem, { platform: "win32", home: "/h", run });
    expect(calls[0]?.[0]).toBe("certutil");
    expect(calls[0]?.[1].slice(0, 4)).toEqual(["-user", "-f", "-addstore", "Root"]);
    expect(calls[1]?.[0]).toBe("security");
    expect(calls[1]?.[1].slice(0, 5)).toEqual(["add-trusted-cert", "-r", "trustRoot", "-k", "/h/Library/Keychains/login.keychain-db"]);
    expect(calls[2]?.[1].slice(0, 3)).toEqual(["-user", "-delstore", "Root"]);
  });

  it("Linux: installs into a fresh ~/.pki/nssdb with real certutil and removes it again", async () => {
    const home = await mkdtemp(join(tmpdir(), "kyso-home-"));
    try {
      const { caPem } = await issueLocalCertificate();
      const { isCaTrusted } = await import("../../../../main/core/bridge/local-tls/trust-store.js");
      await installCa(caPem, { platform: "linux", home });
      expect(await isCaTrusted(caPem, { platform: "linux", home })).toBe(true);
      await removeCa(caPem, { platform: "linux", home });
      expect(await isCaTrusted(caPem, { platform: "linux", home })).toBe(false);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

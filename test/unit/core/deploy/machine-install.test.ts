/**
 * The per-machine install (`KySo --machine-install` / `--machine-uninstall`): Linux written for real into a
 * temporary root; Windows and macOS commands recorded and their .reg/.mobileconfig compared with recorded files
 * (expected/, reviewed by hand). Uninstall leaves nothing KySo wrote.
 */
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readLocalCertificate } from "../../../../main/core/bridge/local-tls/local-certificate.js";
import { ensureBridgeCertificate } from "../../../../main/core/bridge/local-tls/machine-certificate.js";
import type { Run } from "../../../../main/core/deploy/browser-policy-writer.js";
import { machineInstall, machineUninstall, readManifest } from "../../../../main/core/deploy/machine-install.js";
import { machineTlsDir, type MachineTarget } from "../../../../main/core/deploy/machine-paths.js";
import { policySchema } from "../../../../main/core/policy/policy-schema.js";

const POLICY = policySchema.parse({ allowedOrigins: ["https://thuedientu.gdt.gov.vn", "https://dichvucong.gov.vn"], browserPolicy: "write" });
const EXPECTED = join(import.meta.dirname, "expected");
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "kyso-machine-"));
  roots.push(root);
  return root;
}

function recorder(): { run: Run; calls: string[][] } {
  const calls: string[][] = [];
  return { calls, run: async (file, args) => (calls.push([file, ...args]), { stdout: "" }) };
}

/** Every file under root, relative, sorted. */
function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

describe("Linux, written for real into a temporary root", () => {
  it("certificate, system anchor, Chrome/Chromium/Edge/Firefox policies; an admin's own Firefox file is kept; uninstall removes exactly that", async () => {
    const root = tempRoot();
    const target: MachineTarget = { platform: "linux", root };
    mkdirSync(join(root, "usr/local/share/ca-certificates"), { recursive: true });
    const { run, calls } = recorder();
    const result = await machineInstall(POLICY, target, run);
    expect(tree(root)).toEqual([
      "etc/chromium/policies/managed/kyso.json",
      "etc/firefox/policies/policies.json",
      "etc/opt/chrome/policies/managed/kyso.json",
      "etc/opt/edge/policies/managed/kyso.json",
      "usr/local/share/ca-certificates/kyso-local-ca.crt",
      "var/lib/kyso/machine-install.json",
      "var/lib/kyso/tls/kyso-local-ca.pem",
      "var/lib/kyso/tls/local-tls.json",
    ]);
    expect(calls).toEqual([["update-ca-certificates"]]);
    const chromium = JSON.parse(readFileSync(join(root, "etc/chromium/policies/managed/kyso.json"), "utf8")) as Record<string, string[]>;
    expect(chromium.LoopbackNetworkAllowedForUrls).toEqual(["https://dichvucong.gov.vn", "https://thuedientu.gdt.gov.vn"]);
    const firefox = JSON.parse(readFileSync(join(root, "etc/firefox/policies/policies.json"), "utf8")) as { policies: unknown };
    expect(firefox.policies).toEqual({ LocalNetworkAccess: { Enabled: true, SkipDomains: ["dichvucong.gov.vn", "thuedientu.gdt.gov.vn"] } });
    // Users' KySo must read the set (0644); the anchor is the CA the bridge will serve under.
    expect(statSync(join(root, "var/lib/kyso/tls/local-tls.json")).mode & 0o777).toBe(0o644);
    const machineSet = (await readLocalCertificate(machineTlsDir(target)))!;
    expect(readFileSync(join(root, "usr/local/share/ca-certificates/kyso-local-ca.crt"), "utf8")).toBe(machineSet.caPem);
    expect(result.log.some((line) => line.startsWith("local CA trusted machine-wide"))).toBe(true);

    // A user's KySo serves the machine's set while it is good.
    const userTls = join(tempRoot(), "tls");
    const served = await ensureBridgeCertificate(userTls, machineTlsDir(target), new Date());
    expect([served.machine, served.certificate.caPem]).toEqual([true, machineSet.caPem]);

    // Re-install (upgrade): nothing re-trusted, same CA.
    calls.length = 0;
    await machineInstall(POLICY, target, run);
    expect(calls).toEqual([]);
    expect((await readLocalCertificate(machineTlsDir(target)))!.caPem).toBe(machineSet.caPem);

    calls.length = 0;
    await machineUninstall(target, run);
    expect(tree(root)).toEqual([]);
    expect(calls).toEqual([["update-ca-certificates", "--fresh"]]);
  });

  it("an admin's own Firefox policies.json is never overwritten nor removed; browserPolicy off removes what an earlier install wrote", async () => {
    const root = tempRoot();
    const target: MachineTarget = { platform: "linux", root };
    const firefox = join(root, "etc/firefox/policies/policies.json");
    mkdirSync(join(root, "etc/firefox/policies"), { recursive: true });
    writeFileSync(firefox, '{"policies":{"DisableTelemetry":true}}\n');
    const { run } = recorder();
    const result = await machineInstall(POLICY, target, run);
    expect(result.manifest.browserPolicies?.skipped).toEqual(["Firefox: /etc/firefox/policies/policies.json exists and is not KySo's"]);
    expect(readFileSync(firefox, "utf8")).toBe('{"policies":{"DisableTelemetry":true}}\n');
    await machineInstall({ ...POLICY, browserPolicy: "off" as const }, target, run);
    expect(existsSync(join(root, "etc/opt/chrome/policies/managed/kyso.json"))).toBe(false);
    expect(readManifest(target)?.browserPolicies).toBeUndefined();
    await machineUninstall(target, run);
    expect(tree(root)).toEqual(["etc/firefox/policies/policies.json"]);
  });
});

describe("Windows (commands recorded)", () => {
  it("certutil into the machine Root store, reg import of the recorded .reg; uninstall deletes the CA by serial and exactly the imported keys", async () => {
    const programData = tempRoot();
    const target: MachineTarget = { platform: "win32", root: "/", programData };
    const { run, calls } = recorder();
    await machineInstall(POLICY, target, run);
    const tls = join(programData, "KySo", "tls");
    const reg = join(programData, "KySo", "kyso-browsers.reg");
    expect(calls).toEqual([
      ["certutil", "-f", "-addstore", "Root", join(tls, "kyso-local-ca.pem")],
      ["reg", "import", reg],
    ]);
    expect(readFileSync(reg, "utf8")).toBe(readFileSync(join(EXPECTED, "kyso-browsers.reg"), "utf8"));
    const serial = new X509Certificate(readFileSync(join(tls, "kyso-local-ca.pem"))).serialNumber;
    calls.length = 0;
    await machineUninstall(target, run);
    const keys = ["Google\\Chrome", "Microsoft\\Edge"].flatMap((v) => ["LoopbackNetworkAllowedForUrls", "LocalNetworkAccessAllowedForUrls"].map((p) => `HKLM\\SOFTWARE\\Policies\\${v}\\${p}`));
    expect(calls).toEqual([["certutil", "-delstore", "Root", serial], ...keys.map((k) => ["reg", "delete", k, "/f"])]);
    expect(tree(programData)).toEqual([]);
  });
});

describe("macOS (commands recorded)", () => {
  it("System keychain trust; the recorded .mobileconfig left for the MDM; Firefox's distribution policies when Firefox is there", async () => {
    const root = tempRoot();
    mkdirSync(join(root, "Applications/Firefox.app/Contents/Resources"), { recursive: true });
    const target: MachineTarget = { platform: "darwin", root };
    const { run, calls } = recorder();
    await machineInstall(POLICY, target, run);
    const dir = join(root, "Library/Application Support/KySo");
    expect(calls).toEqual([["security", "add-trusted-cert", "-d", "-r", "trustRoot", "-k", "/Library/Keychains/System.keychain", join(dir, "tls/kyso-local-ca.pem")]]);
    expect(readFileSync(join(dir, "kyso-browsers.mobileconfig"), "utf8")).toBe(readFileSync(join(EXPECTED, "kyso-browsers.mobileconfig"), "utf8"));
    expect(existsSync(join(root, "Applications/Firefox.app/Contents/Resources/distribution/policies.json"))).toBe(true);
    const sha1 = new X509Certificate(readFileSync(join(dir, "tls/kyso-local-ca.pem"))).fingerprint.replaceAll(":", "");
    calls.length = 0;
    await machineUninstall(target, run);
    expect(calls).toEqual([["security", "delete-certificate", "-Z", sha1, "/Library/Keychains/System.keychain"]]);
    expect(tree(root)).toEqual([]);
  });
});

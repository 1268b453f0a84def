/**
 * `KySo --machine-install` / `--machine-uninstall`: what the per-machine installers (NSIS `/allusers`, deb/rpm
 * postinst/prerm, macOS pkg postinstall) run, as administrator/root, through the packaged app itself (the fuses
 * forbid running it as Node, and one generator serves the installers and `npm run browser-policies`).
 *
 * Install: the machine's local certificate (machine-certificate.ts) with its name-constrained CA trusted
 * machine-wide, and, when the machine policy says `browserPolicy: "write"`, the browser policies. Everything
 * written is recorded in `machine-install.json`; uninstall removes exactly that, then the record.
 * Commands run with argument arrays only (trust-store.ts rule), never a shell string.
 */
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureMachineCertificate, removeMachineCertificate } from "../bridge/local-tls/machine-certificate.js";
import type { KysoPolicy } from "../policy/policy-schema.js";
import { removeBrowserPolicies, writeBrowserPolicies, type BrowserPolicyRecord, type Run } from "./browser-policy-writer.js";
import { machineDir, machineManifestPath, machineTlsDir, underRoot, type MachineTarget } from "./machine-paths.js";

const MANIFEST_FORMAT = "kyso-machine-install/1";

export interface TrustedCa {
  readonly sha256: string;
  readonly sha1: string;
  readonly serial: string;
  /** Linux: the anchor file added to the system store. */
  readonly anchorFile?: string;
}

export interface MachineManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly trustedCa?: TrustedCa;
  readonly browserPolicies?: BrowserPolicyRecord;
}

/** The system CA stores on Linux: Debian/Ubuntu, then Fedora/RHEL/SUSE. */
const LINUX_ANCHORS = [
  { dir: "/usr/local/share/ca-certificates", file: "kyso-local-ca.crt", update: "update-ca-certificates" },
  { dir: "/etc/pki/ca-trust/source/anchors", file: "kyso-local-ca.pem", update: "update-ca-trust" },
] as const;

const hex = (fingerprint: string) => fingerprint.replaceAll(":", "");

async function trustMachineWide(caPem: string, caFile: string, target: MachineTarget, run: Run): Promise<TrustedCa> {
  const ca = new X509Certificate(caPem);
  const base = { sha256: hex(ca.fingerprint256), sha1: hex(ca.fingerprint), serial: ca.serialNumber };
  switch (target.platform) {
    case "win32":
      await run("certutil", ["-f", "-addstore", "Root", caFile]);
      return base;
    case "darwin":
      await run("security", ["add-trusted-cert", "-d", "-r", "trustRoot", "-k", "/Library/Keychains/System.keychain", caFile]);
      return base;
    default: {
      const store = LINUX_ANCHORS.find((s) => existsSync(underRoot(target, s.dir))) ?? LINUX_ANCHORS[0];
      const anchorFile = underRoot(target, join(store.dir, store.file));
      mkdirSync(underRoot(target, store.dir), { recursive: true, mode: 0o755 });
      writeFileSync(anchorFile, caPem, { mode: 0o644 });
      await run(store.update, []).catch(() => undefined);
      return { ...base, anchorFile };
    }
  }
}

async function untrust(trusted: TrustedCa, target: MachineTarget, run: Run): Promise<void> {
  switch (target.platform) {
    case "win32":
      await run("certutil", ["-delstore", "Root", trusted.serial]).catch(() => undefined);
      return;
    case "darwin":
      await run("security", ["delete-certificate", "-Z", trusted.sha1, "/Library/Keychains/System.keychain"]).catch(() => undefined);
      return;
    default: {
      if (trusted.anchorFile) rmSync(trusted.anchorFile, { force: true });
      const store = LINUX_ANCHORS.find((s) => trusted.anchorFile?.endsWith(s.file)) ?? LINUX_ANCHORS[0];
      await run(store.update, store.update === "update-ca-certificates" ? ["--fresh"] : []).catch(() => undefined);
    }
  }
}

export function readManifest(target: MachineTarget): MachineManifest | undefined {
  try {
    const parsed = JSON.parse(readFileSync(machineManifestPath(target), "utf8")) as MachineManifest;
    return parsed.format === MANIFEST_FORMAT ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function writeManifest(target: MachineTarget, manifest: MachineManifest): void {
  mkdirSync(machineDir(target), { recursive: true, mode: 0o755 });
  writeFileSync(machineManifestPath(target), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o644 });
}

export interface MachineInstallResult {
  readonly manifest: MachineManifest;
  /** One line per step, for the installer's log. */
  readonly log: readonly string[];
}

/**
 * Idempotent (every install and upgrade runs it): a still-good certificate is kept, a due one replaced (the old CA
 * untrusted), and browser policies rewritten from the current policy (or removed when it no longer asks).
 */
export async function machineInstall(policy: Pick<KysoPolicy, "allowedOrigins" | "compatibility" | "browserPolicy">, target: MachineTarget, run: Run, now = new Date()): Promise<MachineInstallResult> {
  const log: string[] = [];
  const before = readManifest(target);
  const ensured = await ensureMachineCertificate(machineTlsDir(target), now);
  let trustedCa = before?.trustedCa;
  if (ensured.renewed || !trustedCa || trustedCa.sha256 !== hex(new X509Certificate(ensured.certificate.caPem).fingerprint256)) {
    if (trustedCa) await untrust(trustedCa, target, run);
    const caFile = join(machineTlsDir(target), "kyso-local-ca.pem");
    writeFileSync(caFile, ensured.certificate.caPem, { mode: 0o644 });
    trustedCa = await trustMachineWide(ensured.certificate.caPem, caFile, target, run);
    log.push(`local CA trusted machine-wide (SHA-256 ${trustedCa.sha256})`);
  } else {
    log.push("local CA already trusted machine-wide");
  }
  if (before?.browserPolicies) await removeBrowserPolicies(before.browserPolicies, run);
  let browserPolicies: BrowserPolicyRecord | undefined;
  if (policy.browserPolicy === "write") {
    browserPolicies = await writeBrowserPolicies(policy, target, run);
    log.push(...browserPolicies.files.map((f) => `browser policy written: ${f}`), ...browserPolicies.skipped.map((s) => `browser policy skipped: ${s}`));
  } else {
    log.push('browser policies not written (machine policy browserPolicy is not "write")');
  }
  const manifest: MachineManifest = { format: MANIFEST_FORMAT, trustedCa, ...(browserPolicies ? { browserPolicies } : {}) };
  writeManifest(target, manifest);
  return { manifest, log };
}

/** Removes what the record names, the machine certificate and the record; the admin's policy file stays. */
export async function machineUninstall(target: MachineTarget, run: Run): Promise<readonly string[]> {
  const log: string[] = [];
  const manifest = readManifest(target);
  if (manifest?.trustedCa) {
    await untrust(manifest.trustedCa, target, run);
    log.push(`local CA removed from the machine store (SHA-256 ${manifest.trustedCa.sha256})`);
  }
  if (manifest?.browserPolicies) {
    await removeBrowserPolicies(manifest.browserPolicies, run);
    log.push(...manifest.browserPolicies.files.map((f) => `browser policy removed: ${f}`), ...manifest.browserPolicies.registryKeys.map((k) => `registry key removed: ${k}`));
  }
  removeMachineCertificate(machineTlsDir(target));
  for (const leftover of ["kyso-browsers.reg", "kyso-browsers.mobileconfig"]) rmSync(join(machineDir(target), leftover), { force: true });
  rmSync(machineManifestPath(target), { force: true });
  return log;
}

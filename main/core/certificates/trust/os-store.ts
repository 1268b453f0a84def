/**
 * The operating system's root certificates as a trust-anchor source (policy `trustAnchorsOsStore`, off by default).
 * Off by default because the OS store is a web-PKI store: a root trusted for TLS must not silently become an anchor
 * for signing decisions; an administrator turns it on where the organisation manages that store (e.g. a Windows
 * domain that deploys its own CA into `LocalMachine\Root`).
 *
 * Read with Node's `tls.getCACertificates("system")` where this Node has it (Node >= 22.15 / 23.10), else per OS:
 * Linux the distribution's PEM bundle, macOS `security find-certificate -a -p` on the system keychains, Windows a
 * PowerShell export of `Cert:\LocalMachine\Root`. Anchors read here are labelled "system" in the chain result.
 */
import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import * as tls from "node:tls";
import { certificatesIn } from "./anchor-store.js";

/** The PEM bundles of the common Linux distributions (Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine/Arch). */
export const LINUX_BUNDLE_PATHS = [
  "/etc/ssl/certs/ca-certificates.crt",
  "/etc/pki/tls/certs/ca-bundle.crt",
  "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
  "/etc/ssl/ca-bundle.pem",
  "/etc/ssl/cert.pem",
] as const;
/** A distribution bundle is ~200 KiB; anything past this is not one. */
export const MAX_OS_BUNDLE_BYTES = 8 * 1024 * 1024;
const COMMAND_TIMEOUT_MS = 15_000;
const COMMAND_MAX_BUFFER = 16 * 1024 * 1024;

export const MAC_KEYCHAINS = ["/Library/Keychains/System.keychain", "/System/Library/Keychains/SystemRootCertificates.keychain"] as const;
/** One base64 DER a line: what `parseWindowsRootExport` reads. */
export const WINDOWS_ROOT_EXPORT = "Get-ChildItem -Path Cert:\\LocalMachine\\Root | ForEach-Object { [Convert]::ToBase64String($_.RawData) }";

export interface OsStoreRead {
  /** DER certificates as read (the anchor loader keeps only CA certificates). */
  readonly certificates: readonly Uint8Array[];
  /** Where they came from, for the chain result and diagnostics. */
  readonly origin: string;
  /** Why nothing (or not everything) was read. */
  readonly problem?: string;
}

export type RunCommand = (file: string, args: readonly string[]) => Promise<string>;

export interface OsStoreOptions {
  readonly platform?: NodeJS.Platform;
  /** Linux bundle files tried in order (tests inject a temporary one; the machine's store is never written). */
  readonly bundlePaths?: readonly string[];
  readonly run?: RunCommand;
  /** `tls.getCACertificates` when present (injectable: tests force the per-OS readers). */
  readonly getCACertificates?: ((type: "system") => string[]) | null;
}

const defaultRun: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: COMMAND_TIMEOUT_MS, maxBuffer: COMMAND_MAX_BUFFER, windowsHide: true }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });

function nodeSystemReader(): ((type: "system") => string[]) | null {
  const candidate = (tls as unknown as { getCACertificates?: (type: "system") => string[] }).getCACertificates;
  return typeof candidate === "function" ? candidate : null;
}

/** `security find-certificate -a -p` output: PEM blocks, one per certificate. */
export function parseMacSecurityOutput(stdout: string): Uint8Array[] {
  return certificatesIn(stdout);
}

/** The PowerShell export: one base64 DER a line; anything else on a line is skipped. */
export function parseWindowsRootExport(stdout: string): Uint8Array[] {
  return stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => /^[A-Za-z0-9+/]+={0,2}$/.test(line) && line.length >= 64)
    .map((line) => new Uint8Array(Buffer.from(line, "base64")));
}

async function readLinuxBundle(paths: readonly string[]): Promise<OsStoreRead> {
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    if (info.size > MAX_OS_BUNDLE_BYTES) return { certificates: [], origin: path, problem: "larger than 8 MiB" };
    return { certificates: certificatesIn(await readFile(path, "latin1")), origin: path };
  }
  return { certificates: [], origin: "linux", problem: `no bundle found (${paths.join(", ")})` };
}

/** The OS store's certificates; never throws (a store that cannot be read is a `problem`, and no anchor). */
export async function readOsStore(options: OsStoreOptions = {}): Promise<OsStoreRead> {
  const platform = options.platform ?? process.platform;
  const run = options.run ?? defaultRun;
  try {
    // An injected bundle path is the Linux reader by definition (tests); otherwise Node's own reader first.
    const system = options.bundlePaths ? null : options.getCACertificates === undefined ? nodeSystemReader() : options.getCACertificates;
    if (system) return { certificates: system("system").flatMap((pem) => certificatesIn(pem)), origin: "node:tls system" };
    if (platform === "darwin") return { certificates: parseMacSecurityOutput(await run("security", ["find-certificate", "-a", "-p", ...MAC_KEYCHAINS])), origin: "macOS system keychains" };
    if (platform === "win32") {
      const stdout = await run("powershell.exe", ["-NoProfile", "-NonInteractive", "-Command", WINDOWS_ROOT_EXPORT]);
      return { certificates: parseWindowsRootExport(stdout), origin: "Windows Cert:\\LocalMachine\\Root" };
    }
    return await readLinuxBundle(options.bundlePaths ?? LINUX_BUNDLE_PATHS);
  } catch (error) {
    return { certificates: [], origin: platform, problem: `not readable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

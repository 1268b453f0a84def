/**
 * Installs and removes the local CA in the user's trust stores. Every command runs through `execFile` with an
 * argument array (never a shell string: security.md, AutoFirma command injection), and only with paths and a
 * fixed nickname, never with anything a page sent.
 *
 * - Windows: the current user's Root store (`certutil -user -addstore Root`).
 * - macOS: the login keychain (`security add-trusted-cert -r trustRoot`).
 * - Linux: every NSS database of the user — Chromium's `~/.pki/nssdb` (created when missing) and Firefox
 *   profiles (`~/.mozilla/firefox/*`, snap) — through NSS `certutil`.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { X509Certificate } from "node:crypto";
import { CA_COMMON_NAME } from "./local-certificate.js";

export type Run = (file: string, args: readonly string[]) => Promise<{ stdout: string }>;

export const runFile: Run = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: 30_000, windowsHide: true }, (error, stdout) => (error ? reject(error) : resolve({ stdout })));
  });

export interface TrustStoreEnvironment {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  readonly run?: Run;
}

/** The NSS nickname; one fixed string so removal finds exactly what KySo added. */
export const NSS_NICKNAME = CA_COMMON_NAME;

/** NSS databases of this user: Chromium's (always, created if needed) and each Firefox profile found. */
export function nssDatabases(home: string): string[] {
  const dirs = [join(home, ".pki", "nssdb")];
  for (const root of [join(home, ".mozilla", "firefox"), join(home, "snap", "firefox", "common", ".mozilla", "firefox")]) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(root, entry.name, "cert9.db"))) dirs.push(join(root, entry.name));
    }
  }
  return dirs;
}

async function withPemFile<T>(pem: string, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "kyso-ca-"));
  try {
    const file = join(dir, "kyso-ca.pem");
    await writeFile(file, pem, { mode: 0o600 });
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function removeFromNss(run: Run, db: string): Promise<void> {
  // Several certificates may share the nickname after renewals: delete until none is left (bounded).
  for (let i = 0; i < 16; i++) {
    try {
      await run("certutil", ["-D", "-d", `sql:${db}`, "-n", NSS_NICKNAME]);
    } catch {
      return;
    }
  }
}

export async function installCa(caPem: string, environment: TrustStoreEnvironment): Promise<void> {
  const run = environment.run ?? runFile;
  await withPemFile(caPem, async (file) => {
    switch (environment.platform) {
      case "win32":
        await run("certutil", ["-user", "-f", "-addstore", "Root", file]);
        return;
      case "darwin":
        await run("security", [
          "add-trusted-cert",
          "-r",
          "trustRoot",
          "-k",
          join(environment.home, "Library", "Keychains", "login.keychain-db"),
          file,
        ]);
        return;
      default: {
        const chromium = join(environment.home, ".pki", "nssdb");
        if (!existsSync(join(chromium, "cert9.db"))) {
          await mkdir(chromium, { recursive: true, mode: 0o700 });
          await run("certutil", ["-N", "-d", `sql:${chromium}`, "--empty-password"]);
        }
        for (const db of nssDatabases(environment.home)) {
          await removeFromNss(run, db);
          await run("certutil", ["-A", "-d", `sql:${db}`, "-t", "C,,", "-n", NSS_NICKNAME, "-i", file]);
        }
      }
    }
  });
}

/** Removes the given CA (by serial / hash) or, on Linux, every certificate with KySo's nickname. */
export async function removeCa(caPem: string, environment: TrustStoreEnvironment): Promise<void> {
  const run = environment.run ?? runFile;
  const certificate = new X509Certificate(caPem);
  switch (environment.platform) {
    case "win32":
      await run("certutil", ["-user", "-delstore", "Root", certificate.serialNumber]);
      return;
    case "darwin":
      await run("security", ["delete-certificate", "-Z", certificate.fingerprint.replace(/:/g, "")]);
      return;
    default:
      for (const db of nssDatabases(environment.home)) if (existsSync(join(db, "cert9.db"))) await removeFromNss(run, db);
  }
}

/** Whether the CA is in Chromium's NSS database (Linux), for the tray health check. Other platforms: unknown. */
export async function isCaTrusted(caPem: string, environment: TrustStoreEnvironment): Promise<boolean | undefined> {
  if (environment.platform !== "linux") return undefined;
  const run = environment.run ?? runFile;
  const db = join(environment.home, ".pki", "nssdb");
  if (!existsSync(join(db, "cert9.db"))) return false;
  try {
    const { stdout } = await run("certutil", ["-L", "-d", `sql:${db}`, "-n", NSS_NICKNAME, "-a"]);
    const wanted = new X509Certificate(caPem).fingerprint256;
    const found = stdout.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    return found.some((pem) => new X509Certificate(pem).fingerprint256 === wanted);
  } catch {
    return false;
  }
}

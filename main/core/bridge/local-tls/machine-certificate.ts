/**
 * The per-machine local certificate: made once by the per-machine installer (`KySo --machine-install`, running as
 * administrator/root), its CA trusted in the machine store, and served by every user's KySo, so no user is asked
 * to trust anything (Windows shows a warning for `certutil -user -addstore Root`).
 *
 * Same rules as the per-user one (local-certificate.ts): the CA key is discarded once the leaf is issued and the CA
 * is name-constrained to 127.0.0.1, ::1 and localhost. The difference is that the leaf key must be readable by
 * every user (each user's KySo serves it), so the set is written 0644 in an admin-owned folder; see
 * docs/threat-model.md, "Local TLS", for what that allows a local user and why it is accepted.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUNDLE_FILE, BUNDLE_FORMAT, ensureLocalCertificate, issueLocalCertificate, needsRenewal, readLocalCertificate, type EnsureResult, type LocalCertificate } from "./local-certificate.js";

export type BridgeCertificate = EnsureResult & { readonly machine: boolean };

/**
 * The machine's set when it is there, consistent and not due for renewal; otherwise the user's own (issued or
 * renewed as before). A machine set past its renewal date is not used: the user's KySo cannot renew it (the folder
 * is admin-owned), so it falls back to its own until the next install or upgrade renews the machine's.
 */
export async function ensureBridgeCertificate(tlsDir: string, machineTlsDir: string | undefined, now: Date): Promise<BridgeCertificate> {
  if (machineTlsDir) {
    const machine = await readLocalCertificate(machineTlsDir).catch(() => undefined);
    if (machine && !needsRenewal(machine, now)) return { certificate: machine, renewed: false, machine: true };
  }
  return { ...(await ensureLocalCertificate(tlsDir, now)), machine: false };
}

/** Writes the machine set readable by all (0644 file in a 0755 folder), replacing the old one by rename. */
export function writeMachineCertificate(dir: string, certificate: LocalCertificate): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const { certPem, keyPem, caPem } = certificate;
  const temp = join(dir, `${BUNDLE_FILE}.tmp`);
  writeFileSync(temp, `${JSON.stringify({ format: BUNDLE_FORMAT, caPem, certPem, keyPem }, null, 2)}\n`, { mode: 0o644 });
  chmodSync(temp, 0o644);
  renameSync(temp, join(dir, BUNDLE_FILE));
}

/** The machine set to trust: the existing one when still good, else a new one (returned with the one it replaces). */
export async function ensureMachineCertificate(dir: string, now: Date): Promise<{ certificate: LocalCertificate; previous?: LocalCertificate; renewed: boolean }> {
  const existing = await readLocalCertificate(dir).catch(() => undefined);
  if (existing && !needsRenewal(existing, now)) return { certificate: existing, renewed: false };
  const certificate = await issueLocalCertificate(now);
  writeMachineCertificate(dir, certificate);
  return { certificate, renewed: true, ...(existing ? { previous: existing } : {}) };
}

export function removeMachineCertificate(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Trust anchors: the bundled set (national-roots.ts) plus PEM files and folders named by the policy or the user.
 * Only CA certificates (basicConstraints cA) become anchors; every file that cannot be used is reported, not
 * silently skipped, so an administrator sees why a chain does not reach the root they installed.
 */
import { createHash, X509Certificate } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { BUNDLED_ANCHOR_PEMS, nationalRootByFingerprint, type NationalRootId } from "./national-roots.js";

/** Files larger than this are not certificate bundles. */
export const MAX_ANCHOR_FILE_BYTES = 1024 * 1024;
const ANCHOR_EXTENSIONS = new Set([".pem", ".crt", ".cer", ".der"]);

/** `system`: the OS certificate store (os-store.ts, policy `trustAnchorsOsStore`); `trust-bundle`: the signed bundle. */
export type AnchorSource = "bundled" | "policy" | "file" | "trust-bundle" | "system";

export interface TrustAnchor {
  readonly der: Uint8Array;
  readonly fingerprintSha256: string;
  readonly subject: string;
  readonly source: AnchorSource;
  /** Where it was read from (file path, "policy[3]", "bundled[0]"). */
  readonly origin: string;
  /** Set when the fingerprint is one of the national roots. */
  readonly nationalRoot?: NationalRootId;
}

export interface AnchorProblem {
  readonly origin: string;
  readonly message: string;
}

export interface LoadedAnchors {
  readonly anchors: readonly TrustAnchor[];
  readonly problems: readonly AnchorProblem[];
}

export interface AnchorSources {
  /** PEM texts (policy `trustAnchors`). */
  readonly pems?: readonly string[];
  /** PEM or DER files. */
  readonly files?: readonly string[];
  /** Folders: every .pem/.crt/.cer/.der directly inside. */
  readonly folders?: readonly string[];
  /** Include BUNDLED_ANCHOR_PEMS (default true). */
  readonly bundled?: boolean;
  /** PEM texts of the accepted signed trust bundle. */
  readonly trustBundle?: readonly string[];
  /** The OS store as read (os-store.ts), when policy `trustAnchorsOsStore` is on. */
  readonly system?: { readonly certificates: readonly Uint8Array[]; readonly origin: string; readonly problem?: string };
}

/** How many anchors each source gave (diagnostics). */
export function anchorCounts(anchors: readonly TrustAnchor[]): Record<AnchorSource, number> {
  const counts: Record<AnchorSource, number> = { bundled: 0, policy: 0, file: 0, "trust-bundle": 0, system: 0 };
  for (const anchor of anchors) counts[anchor.source] += 1;
  return counts;
}

export function fingerprint(der: Uint8Array): string {
  return createHash("sha256").update(der).digest("hex");
}

/** Every certificate in a PEM text, or the one DER certificate. */
export function certificatesIn(data: Uint8Array | string): Uint8Array[] {
  const text = typeof data === "string" ? data : Buffer.from(data).toString("latin1");
  if (text.includes("-----BEGIN CERTIFICATE-----")) {
    return [...text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g)].map(
      (match) => new Uint8Array(Buffer.from((match[1] ?? "").replace(/\s+/g, ""), "base64")),
    );
  }
  return typeof data === "string" ? [] : [data];
}

export async function loadAnchors(sources: AnchorSources): Promise<LoadedAnchors> {
  const anchors: TrustAnchor[] = [];
  const problems: AnchorProblem[] = [];
  const seen = new Set<string>();
  const addAll = (found: readonly Uint8Array[], source: AnchorSource, origin: string): void => {
    if (found.length === 0) problems.push({ origin, message: "no certificate found" });
    for (const der of found) {
      let parsed: X509Certificate;
      try {
        parsed = new X509Certificate(der);
      } catch (error) {
        problems.push({ origin, message: `unreadable certificate: ${String(error)}` });
        continue;
      }
      if (!parsed.ca) {
        // An OS store holds old v1 roots without basicConstraints: skipped quietly, they are not CA certificates.
        if (source === "system") continue;
        problems.push({ origin, message: `${parsed.subject.replace(/\n/g, ", ")} is not a CA certificate` });
        continue;
      }
      const fp = fingerprint(der);
      if (seen.has(fp)) continue;
      seen.add(fp);
      const national = nationalRootByFingerprint(fp);
      anchors.push({
        der,
        fingerprintSha256: fp,
        subject: parsed.subject.replace(/\n/g, ", "),
        source,
        origin,
        ...(national ? { nationalRoot: national.id } : {}),
      });
    }
  };
  const add = (data: Uint8Array | string, source: AnchorSource, origin: string): void => addAll(certificatesIn(data), source, origin);
  if (sources.bundled ?? true) BUNDLED_ANCHOR_PEMS.forEach((pem, index) => add(pem, "bundled", `bundled[${index}]`));
  (sources.pems ?? []).forEach((pem, index) => add(pem, "policy", `policy[${index}]`));
  (sources.trustBundle ?? []).forEach((pem, index) => add(pem, "trust-bundle", `trust-bundle[${index}]`));
  if (sources.system) {
    if (sources.system.problem) problems.push({ origin: sources.system.origin, message: sources.system.problem });
    if (sources.system.certificates.length > 0 || !sources.system.problem) addAll(sources.system.certificates, "system", sources.system.origin);
  }
  const files = [...(sources.files ?? [])];
  for (const folder of sources.folders ?? []) {
    try {
      const entries = await readdir(folder);
      files.push(...entries.filter((name) => ANCHOR_EXTENSIONS.has(extname(name).toLowerCase())).sort().map((name) => join(folder, name)));
    } catch (error) {
      problems.push({ origin: folder, message: `folder not readable: ${String(error)}` });
    }
  }
  for (const file of files) {
    try {
      const info = await stat(file);
      if (!info.isFile() || info.size > MAX_ANCHOR_FILE_BYTES) {
        problems.push({ origin: file, message: "not a file of at most 1 MiB" });
        continue;
      }
      add(new Uint8Array(await readFile(file)), "file", file);
    } catch (error) {
      problems.push({ origin: file, message: `not readable: ${String(error)}` });
    }
  }
  return { anchors, problems };
}

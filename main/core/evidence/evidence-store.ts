/**
 * Evidence of the certificate check behind every signature (Circular 15/2025: keep the certificate, the revocation
 * data at signing time and the check result). Stored next to the audit log in `<dataDir>/evidence/`:
 *
 * - content-addressed: every object is one file named by the SHA-256 of its bytes, `<hex>.der` for certificates,
 *   OCSP responses and CRLs, `<hex>.json` for a check record (which names its objects by id). The same
 *   certificate, OCSP response or CRL is written once however many signatures used it; a check record holds no
 *   per-signature field, so signatures made on the same check share it too. The audit line names the record.
 * - written atomically (temp file + fsync + rename, 0600 in a 0700 folder: storage/private-files.ts).
 * - size-capped with rotation: each use of an object sets its modification time (on the injectable clock), and
 *   when the folder is over `maxBytes` the least recently used objects go first; objects used in the last
 *   `keepDays` days are kept even over `maxBytes`, unless the folder passes `hardMaxBytes` (then the oldest go
 *   regardless, never the ones just written). A check record goes before the objects it names on a tie, so a kept
 *   record rarely points at a removed object; the export lists whatever is missing.
 * - read back verified: an object whose bytes no longer hash to its name is reported as altered, not served.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { ensurePrivateDirSync, EVIDENCE_FOLDER, writePrivateFileAtomic } from "../storage/private-files.js";
import { usableEvidence, type RevocationData } from "../certificates/revocation/revocation-data.js";
import type { RevocationCheckMode, RevocationResult, RevocationVerdict } from "../certificates/revocation/types.js";

export { EVIDENCE_FOLDER };
/** 256 MiB: a few thousand OCSP-checked signatures, or a handful of large national CRLs. */
export const DEFAULT_EVIDENCE_MAX_BYTES = 256 * 1024 * 1024;
/** The evidence of the last 30 days survives the soft cap (a dispute is usually raised within weeks). */
export const DEFAULT_EVIDENCE_KEEP_DAYS = 30;
/** Past this even recent evidence is rotated out, oldest first: the disk must not fill up. */
export const DEFAULT_EVIDENCE_HARD_MAX_BYTES = 1024 * 1024 * 1024;
const DAY_MS = 86_400_000;
const ID = /^[0-9a-f]{64}$/;

export type EvidenceId = string;

/** The revocation answer as kept: every field of the check except the bytes (stored as objects) and the cache flag. */
export interface RevocationRecord {
  readonly status: RevocationResult["status"];
  readonly source: RevocationResult["source"];
  readonly checkedAt: string;
  readonly thisUpdate?: string;
  readonly nextUpdate?: string;
  readonly revokedAt?: string;
  readonly reason?: string;
  readonly detail?: string;
  readonly message?: string;
  readonly url?: string;
  readonly notes: readonly string[];
  readonly attempts: RevocationResult["attempts"];
}

/** The answer about one intermediate CA of the chain: which certificate, its OCSP response or CRL, the result. */
export interface EvidenceIntermediate {
  readonly certificate: EvidenceId;
  readonly ocspResponses: readonly EvidenceId[];
  readonly crls: readonly EvidenceId[];
  readonly revocation: RevocationRecord;
}

/** One check record (`<id>.json`). */
export interface EvidenceCheckRecord {
  readonly kind: "kyso-certificate-check";
  readonly version: 1;
  /** Object ids (SHA-256 of the DER). */
  readonly certificate: EvidenceId;
  readonly chain: readonly EvidenceId[];
  /** The signer's OCSP response / CRL. */
  readonly ocspResponses: readonly EvidenceId[];
  readonly crls: readonly EvidenceId[];
  /** Each intermediate CA's answer (absent in records written before intermediates were kept). */
  readonly intermediates?: readonly EvidenceIntermediate[];
  readonly check: {
    /** The certificate could sign (validity, key usage, algorithms). */
    readonly valid: boolean;
    readonly problems: readonly string[];
    /** Policy `revocationCheck` in force. */
    readonly revocationCheck: RevocationCheckMode;
    readonly verdict?: RevocationVerdict;
    readonly revocation?: RevocationRecord;
  };
}

export interface EvidenceInput {
  readonly data: RevocationData;
  readonly valid: boolean;
  readonly problems: readonly string[];
  readonly revocationCheck: RevocationCheckMode;
  readonly verdict?: RevocationVerdict;
}

export type EvidenceObject =
  | { readonly state: "ok"; readonly id: EvidenceId; readonly kind: "der" | "json"; readonly bytes: Uint8Array }
  | { readonly state: "missing" | "altered"; readonly id: EvidenceId };

export interface EvidenceStoreOptions {
  readonly maxBytes?: number;
  readonly hardMaxBytes?: number;
  readonly keepDays?: number;
  readonly now?: () => Date;
}

/** Policy `evidence` (MiB and days, what an admin writes) as store options; the hard cap is never below the soft one. */
export function evidenceOptionsOf(limits: { readonly maxMegabytes: number; readonly hardMaxMegabytes: number; readonly keepDays: number }): EvidenceStoreOptions {
  const MiB = 1024 * 1024;
  return { maxBytes: limits.maxMegabytes * MiB, hardMaxBytes: Math.max(limits.maxMegabytes, limits.hardMaxMegabytes) * MiB, keepDays: limits.keepDays };
}

export interface EvidenceStore {
  /** Writes the objects and the check record; resolves with the record's id once every file is durable. */
  record(input: EvidenceInput): Promise<EvidenceId>;
  /** One object by id, verified against its name. */
  read(id: string): Promise<EvidenceObject>;
  /** Bytes and files in the folder now. */
  usage(): Promise<{ readonly bytes: number; readonly files: number }>;
  readonly dir: string;
}

interface Entry {
  readonly name: string;
  bytes: number;
  usedMs: number;
}

export function evidenceId(bytes: Uint8Array | string): EvidenceId {
  return createHash("sha256").update(bytes).digest("hex");
}

function iso(date: Date | undefined): string | undefined {
  return date?.toISOString();
}

export function revocationRecord(result: RevocationResult): RevocationRecord {
  const optional: Record<string, string | undefined> = {
    thisUpdate: iso(result.thisUpdate),
    nextUpdate: iso(result.nextUpdate),
    revokedAt: iso(result.revokedAt),
    reason: result.reason,
    detail: result.detail,
    message: result.message,
    url: result.url,
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined));
  return { status: result.status, source: result.source, checkedAt: result.checkedAt.toISOString(), ...present, notes: [...result.notes], attempts: result.attempts };
}

export function createEvidenceStore(dataDir: string, options: EvidenceStoreOptions = {}): EvidenceStore {
  const dir = join(dataDir, EVIDENCE_FOLDER);
  const maxBytes = options.maxBytes ?? DEFAULT_EVIDENCE_MAX_BYTES;
  const hardMaxBytes = Math.max(maxBytes, options.hardMaxBytes ?? DEFAULT_EVIDENCE_HARD_MAX_BYTES);
  const keepMs = (options.keepDays ?? DEFAULT_EVIDENCE_KEEP_DAYS) * DAY_MS;
  const now = options.now ?? (() => new Date());
  let index: Map<string, Entry> | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  /** Serialised: two signatures never race on one object or on the cap. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work);
    chain = next.catch(() => undefined);
    return next;
  };

  async function load(): Promise<Map<string, Entry>> {
    if (index) return index;
    ensurePrivateDirSync(dir);
    const found = new Map<string, Entry>();
    for (const name of await readdir(dir)) {
      // A temp file left by a crash between write and rename is garbage, never evidence.
      if (name.startsWith(".") && name.endsWith(".tmp")) {
        await rm(join(dir, name), { force: true });
        continue;
      }
      if (!/^[0-9a-f]{64}\.(der|json)$/.test(name)) continue;
      const info = await stat(join(dir, name)).catch(() => undefined);
      if (info?.isFile()) found.set(name, { name, bytes: info.size, usedMs: info.mtimeMs });
    }
    index = found;
    return found;
  }

  async function put(entries: Map<string, Entry>, bytes: Uint8Array | string, ext: "der" | "json", at: Date): Promise<EvidenceId> {
    const id = evidenceId(bytes);
    const name = `${id}.${ext}`;
    const file = join(dir, name);
    const known = entries.get(name);
    if (!known) await writePrivateFileAtomic(file, bytes);
    // The use time drives rotation: an object used again is as recent as its newest use.
    await utimes(file, at, at);
    const size = typeof bytes === "string" ? Buffer.byteLength(bytes) : bytes.length;
    entries.set(name, { name, bytes: size, usedMs: at.getTime() });
    return id;
  }

  async function enforceCap(entries: Map<string, Entry>, keep: ReadonlySet<string>, at: Date): Promise<void> {
    let total = 0;
    for (const entry of entries.values()) total += entry.bytes;
    if (total <= maxBytes) return;
    const protectedFrom = at.getTime() - keepMs;
    // Oldest use first; on a tie the check record (.json) before the objects it names.
    const order = [...entries.values()].sort((a, b) => a.usedMs - b.usedMs || (a.name.endsWith(".json") ? -1 : 0) - (b.name.endsWith(".json") ? -1 : 0));
    for (const entry of order) {
      if (total <= maxBytes) return;
      if (keep.has(entry.name)) continue;
      if (entry.usedMs >= protectedFrom && total <= hardMaxBytes) return;
      await rm(join(dir, entry.name), { force: true });
      entries.delete(entry.name);
      total -= entry.bytes;
    }
  }

  return {
    dir,
    record(input) {
      return serial(async () => {
        const entries = await load();
        const at = now();
        const written = new Set<string>();
        const der = async (bytes: Uint8Array): Promise<EvidenceId> => {
          const id = await put(entries, bytes, "der", at);
          written.add(`${id}.der`);
          return id;
        };
        const [certificate, ...chainIds] = await sequential(input.data.certificates, der);
        const answer = async (result: RevocationResult | undefined): Promise<{ ocspResponses: EvidenceId[]; crls: EvidenceId[] }> => {
          const { ocsp, crl } = usableEvidence(result);
          return { ocspResponses: ocsp ? [await der(ocsp)] : [], crls: crl ? [await der(crl)] : [] };
        };
        const signer = await answer(input.data.result);
        // Each intermediate's answer names its certificate; an object shared with the signer's is written once.
        const intermediates = await sequential(input.data.intermediates ?? [], async (item): Promise<EvidenceIntermediate> => ({
          certificate: await der(item.certificate),
          ...(await answer(item.result)),
          revocation: revocationRecord(item.result),
        }));
        const record: EvidenceCheckRecord = {
          kind: "kyso-certificate-check",
          version: 1,
          certificate: certificate ?? "",
          chain: chainIds,
          ...signer,
          ...(intermediates.length > 0 ? { intermediates } : {}),
          check: {
            valid: input.valid,
            problems: [...input.problems],
            revocationCheck: input.revocationCheck,
            ...(input.verdict ? { verdict: input.verdict } : {}),
            ...(input.data.result ? { revocation: revocationRecord(input.data.result) } : {}),
          },
        };
        const id = await put(entries, `${JSON.stringify(record, null, 2)}\n`, "json", at);
        written.add(`${id}.json`);
        await enforceCap(entries, written, at);
        return id;
      });
    },
    async read(id) {
      if (!ID.test(id)) return { state: "missing", id };
      for (const kind of ["json", "der"] as const) {
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(await readFile(join(dir, `${id}.${kind}`)));
        } catch {
          continue;
        }
        return evidenceId(bytes) === id ? { state: "ok", id, kind, bytes } : { state: "altered", id };
      }
      return { state: "missing", id };
    },
    usage() {
      return serial(async () => {
        const entries = await load();
        let bytes = 0;
        for (const entry of entries.values()) bytes += entry.bytes;
        return { bytes, files: entries.size };
      });
    },
  };
}

async function sequential<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await work(item));
  return out;
}

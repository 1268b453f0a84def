/**
 * Append-only audit log: one JSON line per bridge request (or per coalesced batch of refusals), written with
 * O_APPEND and fsync'd before `append` resolves, so a line whose `append` resolved survives a crash or SIGKILL.
 * It never holds a PIN or a document: only the fingerprint of the certificate and the SHA-256 of what was signed.
 *
 * Two files, rotated and capped separately (threat model, "Audit"), so refusals can never push consent out:
 *
 * - consent records, lines where the user was asked (`decision` ≠ `none`: every signature, every refused or
 *   withdrawn approval, every pairing decision): `audit.jsonl`, rotated at `AUDIT_ROTATE_BYTES` into
 *   `audit.1.jsonl` … `audit.<AUDIT_KEEP_FILES>.jsonl`;
 * - every other line (requests refused before any prompt, listings, coalesced refusal counts):
 *   `audit-requests.jsonl`, rotated at `REQUESTS_ROTATE_BYTES`, keeping `REQUESTS_KEEP_FILES` old files.
 *
 * `list()` merges both, newest first; when refusals would take more than half of the `limit`, at least half the
 * answer is consent records (all of them if there are fewer), so the app's newest-1000 view always shows them.
 */
import { open, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import type { AuditEntryView } from "../app-api/views.js";
import type { Language } from "../../domain/errors/kyso-error.js";
import { buildAuditCsv } from "./audit-csv.js";
import { SIGNING_METHODS } from "./audit-words.js";

export type AuditEntry = AuditEntryView;

export interface AuditQuery {
  /** Exactly this origin. */
  readonly origin?: string;
  /** The origin contains this text (case-insensitive): the history's "search by site". */
  readonly site?: string;
  readonly result?: string;
  /** `signing`: only `sign`/`signBatch` lines (the history's default); `all` (default here): every line. */
  readonly kind?: "signing" | "all";
  /** ISO instants: `from` ≤ time < `to`. */
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
}

/** Longest page-supplied document name kept in a line. */
export const AUDIT_NAME_MAX = 200;

/**
 * The document name a page gave (`display.fileName`, else `display.title`), as stored in the log: a claim, with
 * control and bidi-override characters removed and at most AUDIT_NAME_MAX characters.
 */
export function documentNameClaim(display: { readonly fileName?: string | undefined; readonly title?: string | undefined } | undefined): string | undefined {
  return cleanText(display?.fileName?.trim() ? display.fileName : display?.title);
}

function cleanText(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, " ").trim();
  return clean === "" ? undefined : [...clean].slice(0, AUDIT_NAME_MAX).join("");
}

/** Everything `list` can filter on, as one predicate. */
export function auditFilter(query: AuditQuery): (e: AuditEntryView) => boolean {
  const site = query.site?.trim().toLowerCase();
  const from = query.from === undefined ? undefined : new Date(query.from).toISOString();
  const to = query.to === undefined ? undefined : new Date(query.to).toISOString();
  return (e) =>
    (query.origin === undefined || e.origin === query.origin) &&
    (!site || e.origin.toLowerCase().includes(site)) &&
    (query.result === undefined || e.result === query.result) &&
    (query.kind !== "signing" || SIGNING_METHODS.has(e.method)) &&
    (from === undefined || e.time >= from) &&
    (to === undefined || e.time < to);
}

export interface AuditLog {
  /** Resolves once the line is durable (fsync'd). */
  append(entry: AuditEntry): Promise<void>;
  /** Newest first, both files. */
  list(query?: AuditQuery): Promise<readonly AuditEntry[]>;
  /** Every line matching `query` (no limit), oldest first, as a spreadsheet-safe CSV (audit-csv.ts). */
  exportCsv(query?: Omit<AuditQuery, "limit">, language?: Language, options?: { readonly timeZone?: string }): Promise<string>;
  /** The consent record with this `id` (signature lines carry one), searching every kept file. */
  find(id: string): Promise<AuditEntry | undefined>;
  /** Waits for every pending write. */
  flush(): Promise<void>;
  /** The current consent-record file. */
  readonly file: string;
  /** The current file of the other lines. */
  readonly requestsFile: string;
}

/** Consent records: 4 MiB per file (about 13,000 signature lines), the current file and 9 old ones. */
export const AUDIT_ROTATE_BYTES = 4 * 1024 * 1024;
export const AUDIT_KEEP_FILES = 9;
/** Everything else: 1 MiB per file, the current file and 2 old ones. */
export const REQUESTS_ROTATE_BYTES = 1024 * 1024;
export const REQUESTS_KEEP_FILES = 2;
export const DEFAULT_LIST_LIMIT = 1000;

export interface RotationLimits {
  readonly rotateBytes: number;
  readonly keepFiles: number;
}

export interface AuditLogOptions {
  readonly consent?: RotationLimits;
  readonly requests?: RotationLimits;
}

const STORED_KEYS = ["time", "origin", "method", "format", "certificateFingerprint", "certificateName", "documentSha256", "documentName", "decision", "result", "verdict", "count"] as const;
const CAPPED_TEXT: ReadonlySet<string> = new Set(["documentName", "certificateName"]);

/** Only the listed keys reach the disk, whatever the caller passes in (no stray PIN or document field); names capped. */
function sanitise(entry: AuditEntry): AuditEntry {
  const clean: Record<string, unknown> = {};
  if (typeof entry.id === "string") clean.id = entry.id;
  for (const key of STORED_KEYS) {
    const value = CAPPED_TEXT.has(key) ? cleanText(entry[key]) : entry[key];
    if (value !== undefined) clean[key] = value;
  }
  // Evidence ids are SHA-256 names of files in the evidence folder: nothing else is kept.
  const evidence = Array.isArray(entry.evidence) ? entry.evidence.filter((item) => /^[0-9a-f]{64}$/.test(String(item))) : [];
  if (evidence.length > 0) clean.evidence = evidence;
  if (entry.stampPlacedBy === "user") clean.stampPlacedBy = "user";
  return clean as unknown as AuditEntry;
}

interface Channel {
  readonly base: string;
  readonly limits: RotationLimits;
  size: number | undefined;
}

/** `audit.jsonl`, `audit.1.jsonl`, …: index 0 is the current file. */
function fileOf(dataDir: string, channel: Channel, index: number): string {
  return join(dataDir, index === 0 ? `${channel.base}.jsonl` : `${channel.base}.${index}.jsonl`);
}

function parseLines(text: string): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      entries.push(JSON.parse(line) as AuditEntry);
    } catch {
      // a torn last line after a power cut: skip it, keep the rest
    }
  }
  return entries;
}

/** Two newest-first lists into one, newest first (ISO times compare as strings). */
function mergeNewestFirst(a: readonly AuditEntry[], b: readonly AuditEntry[]): AuditEntry[] {
  const merged: AuditEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]!.time >= b[j]!.time)) merged.push(a[i++]!);
    else merged.push(b[j++]!);
  }
  return merged;
}

export function createAuditLog(dataDir: string, options: AuditLogOptions = {}): AuditLog {
  const consent: Channel = { base: "audit", limits: options.consent ?? { rotateBytes: AUDIT_ROTATE_BYTES, keepFiles: AUDIT_KEEP_FILES }, size: undefined };
  const requests: Channel = {
    base: "audit-requests",
    limits: options.requests ?? { rotateBytes: REQUESTS_ROTATE_BYTES, keepFiles: REQUESTS_KEEP_FILES },
    size: undefined,
  };
  const channelOf = (entry: AuditEntry): Channel => (entry.decision !== undefined && entry.decision !== "none" ? consent : requests);
  let chain: Promise<void> = Promise.resolve();

  async function rotate(channel: Channel): Promise<void> {
    const { keepFiles } = channel.limits;
    await rm(fileOf(dataDir, channel, keepFiles), { force: true });
    for (let index = keepFiles - 1; index >= 0; index--) {
      await rename(fileOf(dataDir, channel, index), fileOf(dataDir, channel, index + 1)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    }
    if (keepFiles === 0) await rm(fileOf(dataDir, channel, 0), { force: true });
    channel.size = 0;
    // Make the renames durable too (not possible on Windows, where opening a folder fails).
    const folder = await open(dataDir, "r").catch(() => undefined);
    await folder?.sync().catch(() => undefined);
    await folder?.close();
  }

  async function write(entry: AuditEntry): Promise<void> {
    const channel = channelOf(entry);
    const text = `${JSON.stringify(sanitise(entry))}\n`;
    const bytes = Buffer.byteLength(text);
    if (channel.size === undefined) channel.size = await stat(fileOf(dataDir, channel, 0)).then((s) => s.size, () => 0);
    if (channel.size > 0 && channel.size + bytes > channel.limits.rotateBytes) await rotate(channel);
    const handle = await open(fileOf(dataDir, channel, 0), "a", 0o600);
    try {
      await handle.appendFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    channel.size += bytes;
  }

  /** Newest first, matching `keep`, at most `limit` lines: reads the newest file first and stops when it has enough. */
  async function readChannel(channel: Channel, keep: (e: AuditEntry) => boolean, limit: number): Promise<AuditEntry[]> {
    const found: AuditEntry[] = [];
    for (let index = 0; index <= channel.limits.keepFiles && found.length < limit; index++) {
      let text: string;
      try {
        text = await readFile(fileOf(dataDir, channel, index), "utf8");
      } catch {
        continue;
      }
      const entries = parseLines(text).filter(keep);
      for (let k = entries.length - 1; k >= 0 && found.length < limit; k--) found.push(entries[k]!);
    }
    return found;
  }

  return {
    file: fileOf(dataDir, consent, 0),
    requestsFile: fileOf(dataDir, requests, 0),
    append(entry) {
      // Serialised so lines never interleave; a failed write does not block later ones.
      const next = chain.then(() => write(entry));
      chain = next.catch(() => undefined);
      return next;
    },
    async list(query = {}) {
      await chain;
      const limit = query.limit ?? DEFAULT_LIST_LIMIT;
      const keep = auditFilter(query);
      const signed = await readChannel(consent, keep, limit);
      const other = await readChannel(requests, keep, limit);
      // Refusals get at most half of a full answer when consent records could use the rest.
      let consentShare = Math.min(signed.length, Math.max(limit - other.length, Math.ceil(limit / 2)));
      const otherShare = Math.min(other.length, limit - consentShare);
      consentShare = Math.min(signed.length, limit - otherShare);
      return mergeNewestFirst(signed.slice(0, consentShare), other.slice(0, otherShare));
    },
    flush: () => chain,
    async find(id) {
      await chain;
      const [found] = await readChannel(consent, (e) => e.id === id, 1);
      return found;
    },
    async exportCsv(query = {}, language = "en", options = {}) {
      await chain;
      const keep = auditFilter(query);
      const all = (channel: Channel): Promise<AuditEntry[]> => readChannel(channel, keep, Number.POSITIVE_INFINITY);
      const entries = mergeNewestFirst(await all(consent), await all(requests)).reverse();
      return buildAuditCsv(entries, language, options);
    },
  };
}

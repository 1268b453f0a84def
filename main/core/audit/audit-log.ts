/**
 * Append-only audit log: one JSON line per bridge request, written with O_APPEND and fsync'd before the file
 * is closed, so a power cut loses at most the line being written. It never holds a PIN or a document:
 * only the fingerprint of the certificate and the SHA-256 of what was signed.
 */
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AuditEntryView } from "../app-api/views.js";

export type AuditEntry = AuditEntryView;

export interface AuditQuery {
  readonly origin?: string;
  readonly result?: string;
  readonly limit?: number;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(query?: AuditQuery): Promise<readonly AuditEntry[]>;
  exportCsv(): Promise<string>;
  /** Waits for every pending write. */
  flush(): Promise<void>;
  readonly file: string;
}

const CSV_COLUMNS = ["time", "origin", "method", "format", "certificateFingerprint", "documentSha256", "decision", "result"] as const;

/** Only the listed keys reach the disk, whatever the caller passes in (no stray PIN or document field). */
function sanitise(entry: AuditEntry): AuditEntry {
  const clean: Record<string, unknown> = {};
  for (const key of CSV_COLUMNS) if (entry[key] !== undefined) clean[key] = entry[key];
  return clean as unknown as AuditEntry;
}

function csvCell(value: unknown): string {
  const text = value === undefined ? "" : String(value);
  // A leading =,+,-,@ would run as a formula in a spreadsheet (CSV injection): prefix a quote.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function createAuditLog(dataDir: string): AuditLog {
  const file = join(dataDir, "audit.jsonl");
  let chain: Promise<void> = Promise.resolve();

  async function write(entry: AuditEntry): Promise<void> {
    const handle = await open(file, "a", 0o600);
    try {
      await handle.appendFile(`${JSON.stringify(sanitise(entry))}\n`, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async function readAll(): Promise<AuditEntry[]> {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      return [];
    }
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

  return {
    file,
    append(entry) {
      // Serialised so lines never interleave; a failed write does not block later ones.
      const next = chain.then(() => write(entry));
      chain = next.catch(() => undefined);
      return next;
    },
    async list(query = {}) {
      await chain;
      const matching = (await readAll())
        .filter((e) => (query.origin === undefined || e.origin === query.origin) && (query.result === undefined || e.result === query.result))
        .reverse();
      return matching.slice(0, query.limit ?? 1000);
    },
    flush: () => chain,
    async exportCsv() {
      await chain;
      const rows = (await readAll()).map((e) => CSV_COLUMNS.map((c) => csvCell(e[c])).join(","));
      return [CSV_COLUMNS.join(","), ...rows].join("\n") + "\n";
    },
  };
}

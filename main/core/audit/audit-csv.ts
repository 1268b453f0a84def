/**
 * The history exported for a spreadsheet: UTF-8 with a byte-order mark (Excel otherwise reads Vietnamese as
 * Windows-1252), CRLF rows and RFC 4180 quoting, headers and values in the UI language's words, and every cell
 * that a spreadsheet would run as a formula (= + - @, tab, CR first) prefixed with an apostrophe (CSV injection:
 * origins, document names and page-supplied text reach these cells).
 */
import type { Language } from "../../domain/errors/kyso-error.js";
import type { AuditEntryView } from "../app-api/views.js";
import { message } from "../../domain/messages/index.js";
import { auditWords } from "./audit-words.js";

export const CSV_BOM = "\uFEFF";

/** Column headings, in the export's order (their words: `audit.csv.*` in main/domain/messages). */
const COLUMNS = ["time", "site", "document", "certificate", "action", "format", "decision", "result", "count", "resultCode", "documentSha256", "certificateFingerprint", "timeUtc", "stampPlacedBy"] as const;

/** One CSV cell: formula triggers neutralised, then quoted when it holds a quote, comma, semicolon or line break. */
export function csvCell(value: unknown): string {
  const text = value === undefined || value === null ? "" : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",;\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** `2026-10-20 14:05:03` in `timeZone` (default: this machine's), a form every spreadsheet reads as a date. */
export function localTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = new Intl.DateTimeFormat("en-CA", {
    ...(timeZone ? { timeZone } : {}),
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}:${part("second")}`;
}

/** Entries in the order given (the caller sorts), one row each, BOM first. */
export function buildAuditCsv(entries: readonly AuditEntryView[], language: Language, options: { readonly timeZone?: string } = {}): string {
  const rows = entries.map((e) => {
    const words = auditWords(e, language);
    return [
      localTime(e.time, options.timeZone),
      e.origin,
      e.documentName,
      e.certificateName,
      words.action,
      words.format,
      words.decision,
      words.result,
      e.count,
      e.result,
      e.documentSha256,
      e.certificateFingerprint,
      e.time,
      e.stampPlacedBy === "user" ? message(language, "audit.csv.stampPlacedBy.user") : "",
    ]
      .map(csvCell)
      .join(",");
  });
  return CSV_BOM + [COLUMNS.map((column) => csvCell(message(language, `audit.csv.${column}`))).join(","), ...rows].join("\r\n") + "\r\n";
}

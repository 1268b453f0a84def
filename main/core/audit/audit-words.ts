/**
 * The audit log in plain words (history page and CSV export): what was asked, in what form, what the user decided
 * and how it ended, in the UI language. The log itself keeps the stable codes; the words are the catalogue's
 * (`audit.*` in main/domain/messages), so the core holds no sentence of its own.
 */
import type { Language } from "../../domain/errors/kyso-error.js";
import { message, MESSAGES, type MessageKey } from "../../domain/messages/index.js";
import type { AuditEntryView, AuditWordsView } from "../app-api/views.js";

/** Bridge methods that sign: the history shows these by default (`kind: "signing"`). */
export const SIGNING_METHODS: ReadonlySet<string> = new Set(["sign", "signBatch"]);

/** The catalogue's key for a code, or `fallback` when the catalogue has no word for it (a code from a newer KySo). */
function keyFor(prefix: string, code: string, fallback: MessageKey): MessageKey {
  const key = `${prefix}.${code}`;
  return Object.hasOwn(MESSAGES.en, key) ? (key as MessageKey) : fallback;
}

function okKey(method: string, decision: AuditEntryView["decision"]): MessageKey {
  if (SIGNING_METHODS.has(method)) return "audit.ok.signed";
  if (method === "pair") return decision === "approved" ? "audit.ok.allowed" : "audit.ok.notAllowed";
  return "audit.ok.done";
}

export function auditWords(entry: AuditEntryView, language: Language): AuditWordsView {
  // Short results: the error catalogue's sentences are too long for a table cell.
  // A verification that ran says what it found (the verdict), not merely "done".
  const verdict = entry.result === "ok" && entry.verdict !== undefined ? keyFor("verify.indication", entry.verdict, "audit.ok.done") : undefined;
  const result = verdict ?? (entry.result === "ok" ? okKey(entry.method, entry.decision) : keyFor("audit.result", entry.result, "audit.result.other"));
  // An unknown format has no word: the column stays empty rather than guessing.
  const format = entry.format === undefined ? undefined : `audit.format.${entry.format}`;
  return {
    action: message(language, keyFor("audit.action", entry.method, "audit.action.other")),
    ...(format && Object.hasOwn(MESSAGES.en, format) ? { format: message(language, format as MessageKey) } : {}),
    decision: message(language, keyFor("audit.decision", entry.decision, "audit.decision.none")),
    result: message(language, result),
    ok: entry.result === "ok",
  };
}

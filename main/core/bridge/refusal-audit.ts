/**
 * Coalesced audit lines for refusals nobody consented to: every refused request from an origin that is neither
 * allowlisted nor paired, and every `rate_limited` from any origin. Instead of one fsync'd line per request (a
 * page could write thousands a second and push real signing records out of view), each window writes one line per
 * (origin, method, result) with a `count`: "origin X: N refused requests of method M".
 *
 * Bounded: at most `MAX_COALESCED_KEYS` keys per window (then one overflow line for origin `*`), so a window
 * writes at most `MAX_COALESCED_KEYS + 1` lines and holds that many counters, whatever a flood sends.
 */
import type { AuditEntry, AuditLog } from "../audit/audit-log.js";

export const REFUSAL_AUDIT_WINDOW_MS = 60_000;
export const MAX_COALESCED_KEYS = 256;
/** Method names are page-chosen: anything that is not a protocol method is counted under this one name. */
export const UNKNOWN_METHOD = "(unknown method)";

export interface RefusalAudit {
  record(origin: string, method: string, result: string): void;
  /** Writes the counts gathered so far (end of window, bridge close). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface Counter {
  origin: string;
  method: string;
  result: string;
  count: number;
  last: Date;
}

export function createRefusalAudit(audit: AuditLog, now: () => Date, windowMs = REFUSAL_AUDIT_WINDOW_MS): RefusalAudit {
  let counters = new Map<string, Counter>();
  let window = -1;
  let writing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void refusals.flush(), windowMs);
  timer.unref();

  function bump(key: string, origin: string, method: string, result: string, at: Date): void {
    const counter = counters.get(key);
    if (counter) {
      counter.count++;
      counter.last = at;
    } else counters.set(key, { origin, method, result, count: 1, last: at });
  }

  const refusals: RefusalAudit = {
    record(origin, method, result) {
      const at = now();
      const current = Math.floor(at.getTime() / windowMs);
      if (current !== window) {
        if (counters.size > 0) void refusals.flush();
        window = current;
      }
      const key = JSON.stringify([origin, method, result]);
      if (counters.has(key) || counters.size < MAX_COALESCED_KEYS) bump(key, origin, method, result, at);
      else bump("*", "*", "*", "refused", at);
    },
    flush() {
      const batch = [...counters.values()];
      counters = new Map();
      if (batch.length === 0) return writing;
      const lines: AuditEntry[] = batch.map((c) => ({
        time: c.last.toISOString(),
        origin: c.origin,
        method: c.method,
        decision: "none",
        result: c.result,
        count: c.count,
      }));
      writing = writing.then(async () => {
        for (const line of lines) {
          // A full disk must not take the bridge down; diagnostics report the file.
          await audit.append(line).catch(() => undefined);
        }
      });
      return writing;
    },
    async close() {
      clearInterval(timer);
      await refusals.flush();
    },
  };
  return refusals;
}

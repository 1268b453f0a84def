/** Per-origin state cannot grow without bound from many distinct (made-up) origins. */
import { describe, expect, it } from "vitest";
import type { AuditEntry, AuditLog } from "../../../../main/core/audit/audit-log.js";
import { createPairPrompts, MAX_COOLDOWNS } from "../../../../main/core/bridge/pair-prompts.js";
import { createRateLimiter, MAX_RATE_KEYS, RATE_WINDOW_MS } from "../../../../main/core/bridge/rate-limiter.js";
import { createRefusalAudit, MAX_COALESCED_KEYS } from "../../../../main/core/bridge/refusal-audit.js";

function memoryLog(): AuditLog & { lines: AuditEntry[] } {
  const lines: AuditEntry[] = [];
  return {
    lines,
    file: "",
    requestsFile: "",
    append: async (entry) => void lines.push(entry),
    list: async () => lines,
    exportCsv: async () => "",
    flush: async () => undefined,
    find: async (id) => lines.find((line) => line.id === id),
  };
}

describe("bounded per-origin state", () => {
  it("rate limiter: retryAfterMs until the oldest request leaves the window; keys capped and swept", () => {
    let now = 1_000;
    const rate = createRateLimiter(2, () => now, 100);
    expect([rate.take("a"), rate.take("a")]).toEqual([{ ok: true }, { ok: true }]);
    now += 15_000;
    expect(rate.take("a")).toEqual({ ok: false, retryAfterMs: RATE_WINDOW_MS - 15_000 });
    for (let i = 0; i < 50_000; i++) rate.take(`https://o${i}.example`);
    expect(rate.size).toBeLessThanOrEqual(100);
    now += RATE_WINDOW_MS;
    for (let i = 0; i < 256; i++) rate.take("b");
    expect(rate.size).toBe(1);
    expect(MAX_RATE_KEYS).toBeGreaterThan(1000);
  });

  it("pair prompts: cool-downs expire and are capped", async () => {
    let now = 0;
    const prompts = createPairPrompts({ maxPending: 3, cooldownMs: 600_000 }, () => now);
    for (let i = 0; i < MAX_COOLDOWNS + 500; i++) expect(await prompts.ask(`https://o${i}.example`, async () => "refused")).toBe("refused");
    expect(prompts.coolingDown).toBe(MAX_COOLDOWNS);
    expect(prompts.pending).toBe(0);
    await expect(prompts.ask(`https://o${MAX_COOLDOWNS + 499}.example`, async () => "granted")).rejects.toMatchObject({ code: "rate_limited", details: { retryAfterMs: 600_000 } });
    now = 600_001;
    expect(await prompts.ask("https://new.example", async () => "unanswered")).toBe("unanswered");
    expect(prompts.coolingDown).toBe(0);
  });

  it("refusal audit: 10,000 distinct origins in one window → at most MAX_COALESCED_KEYS + 1 lines, every request counted", async () => {
    const log = memoryLog();
    const at = new Date("2026-06-01T10:00:10Z");
    const refusals = createRefusalAudit(log, () => at);
    for (let i = 0; i < 10_000; i++) refusals.record(`https://o${i}.example`, "tokens.list", "origin_not_allowed");
    await refusals.close();
    expect(log.lines.length).toBe(MAX_COALESCED_KEYS + 1);
    expect(log.lines.reduce((sum, l) => sum + (l.count ?? 0), 0)).toBe(10_000);
  });

  it("refusal audit: a new window writes the previous window's counts", async () => {
    const log = memoryLog();
    let at = new Date("2026-06-01T10:00:10Z");
    const refusals = createRefusalAudit(log, () => at);
    for (let i = 0; i < 100; i++) refusals.record("https://a.example", "sign", "origin_not_allowed");
    at = new Date("2026-06-01T10:01:10Z");
    refusals.record("https://a.example", "sign", "origin_not_allowed");
    await refusals.flush();
    expect(log.lines.map((l) => l.count)).toEqual([100, 1]);
    await refusals.close();
  });
});

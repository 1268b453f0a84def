import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuditLog } from "../../../../main/core/audit/audit-log.js";

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "kyso-audit-"))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("audit log", () => {
  it("appends one JSON line per entry, drops unknown fields (no PIN, no document), lists newest first", async () => {
    const log = createAuditLog(dir);
    await log.append({ time: "t1", origin: "https://a.example", method: "sign", decision: "approved", result: "ok", pin: "1234", document: "JVBER" } as never);
    await log.append({ time: "t2", origin: "https://b.example", method: "tokens.list", decision: "none", result: "origin_not_allowed" });
    const text = (await readFile(log.file, "utf8")) + (await readFile(log.requestsFile, "utf8"));
    expect(text.trim().split("\n")).toHaveLength(2);
    expect(text).not.toContain("1234");
    expect(text).not.toContain("JVBER");
    expect((await log.list()).map((e) => e.time)).toEqual(["t2", "t1"]);
    expect((await log.list({ origin: "https://a.example" })).map((e) => e.time)).toEqual(["t1"]);
    expect((await log.list({ result: "origin_not_allowed", limit: 1 })).length).toBe(1);
  });
  it("CSV export neutralises formula injection", async () => {
    const log = createAuditLog(dir);
    await log.append({ time: "t", origin: "=HYPERLINK(1)", method: "sign", decision: "none", result: "ok" });
    const csv = await log.exportCsv();
    expect(csv.startsWith("\uFEFFTime,Website,")).toBe(true);
    expect(csv).toContain("'=HYPERLINK(1)");
  });
  it("concurrent appends never interleave", async () => {
    const log = createAuditLog(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.append({ time: String(i), origin: "o", method: "m", decision: "none", result: "ok" })));
    const lines = (await readFile(log.requestsFile, "utf8")).trim().split("\n");
    expect(lines.map((l) => JSON.parse(l).time)).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
  });
});

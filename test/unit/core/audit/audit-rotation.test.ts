import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntryView } from "../../../../main/core/app-api/views.js";
import { createAuditLog } from "../../../../main/core/audit/audit-log.js";

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "kyso-audit-rot-"))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const time = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
const refusal = (i: number): AuditEntryView => ({ time: time(i), origin: "https://flood.example", method: "tokens.list", decision: "none", result: "origin_not_allowed" });
const signature = (i: number): AuditEntryView => ({
  time: time(i),
  origin: "https://portal.example.gov.vn",
  method: "sign",
  format: "raw",
  documentSha256: i.toString(16).padStart(64, "0"),
  decision: "approved",
  result: "ok",
});

describe("audit log rotation", () => {
  it("caps both files; refusals never push signing records out; list() is newest first across files", async () => {
    const limits = { consent: { rotateBytes: 2048, keepFiles: 3 }, requests: { rotateBytes: 1024, keepFiles: 1 } };
    const log = createAuditLog(dir, limits);
    let i = 0;
    for (let n = 0; n < 20; n++) await log.append(signature(i++));
    for (let n = 0; n < 500; n++) await log.append(refusal(i++));

    const files = (await readdir(dir)).sort();
    expect(files.filter((f) => f.startsWith("audit-requests")).length).toBeLessThanOrEqual(2);
    expect(files.filter((f) => /^audit(\.\d+)?\.jsonl$/.test(f)).length).toBeLessThanOrEqual(4);
    for (const file of files) expect((await stat(join(dir, file))).size).toBeLessThanOrEqual(2048);

    // 20 signatures (about 250 bytes each) span several rotated consent files: all are still there.
    const signed = await log.list({ result: "ok", limit: 10_000 });
    expect(signed.map((e) => e.documentSha256)).toEqual(Array.from({ length: 20 }, (_, k) => (19 - k).toString(16).padStart(64, "0")));

    // The newest-1000 view (here 10): at least half are signing records although 500 refusals are newer.
    const view = await log.list({ limit: 10 });
    expect(view).toHaveLength(10);
    expect(view.filter((e) => e.method === "sign")).toHaveLength(5);
    expect(view.map((e) => e.time)).toEqual([...view.map((e) => e.time)].sort().reverse());

    // A view larger than both files hold: every line that is kept, both kinds.
    const all = await log.list({ limit: 40 });
    expect(all.filter((e) => e.method === "sign")).toHaveLength(20);
    expect(all.length).toBeLessThan(40);
  });

  it("a consent record with keepFiles 0 still rotates (the log never grows past one file)", async () => {
    const log = createAuditLog(dir, { consent: { rotateBytes: 600, keepFiles: 0 }, requests: { rotateBytes: 600, keepFiles: 0 } });
    for (let n = 0; n < 50; n++) await log.append(signature(n));
    expect((await stat(log.file)).size).toBeLessThanOrEqual(600);
    expect((await log.list())[0]?.time).toBe(time(49));
  });
});

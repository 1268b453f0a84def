/**
 * The settings file is read once and written only when something changes: every sign request reads the settings
 * and remembers the certificate chosen, and a synchronous rewrite with fsync on each one cost the core's thread
 * ~2.5 ms per request (docs/performance.md, bridge).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { policySchema } from "../../../../main/core/policy/policy-schema.js";
import { createSettingsStore, MAX_CERTIFICATE_CHOICES } from "../../../../main/core/settings/settings-store.js";

const policy = policySchema.parse({});
let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "kyso-settings-"))));
afterEach(() => rm(dir, { recursive: true, force: true }));

/** conf writes atomically (a new file renamed over the old one): a write changes the inode. */
const inode = (): number => statSync(join(dir, "settings.json")).ino;

describe("settings store", () => {
  it("remembering the choice already remembered last writes nothing; another choice is written and kept in order", () => {
    const settings = createSettingsStore(dir, policy, { language: "vi" });
    settings.certificateChoices.remember("https://a.example", "raw", "cert-1");
    const first = inode();
    for (let i = 0; i < 5; i++) settings.certificateChoices.remember("https://a.example", "raw", "cert-1");
    expect(inode()).toBe(first);
    settings.certificateChoices.remember("https://a.example", "raw", "cert-2");
    expect(inode()).not.toBe(first);
    expect(settings.certificateChoices.remembered("https://a.example", "raw")).toBe("cert-2");
    // A reopened store reads what was written.
    expect(createSettingsStore(dir, policy, { language: "vi" }).certificateChoices.remembered("https://a.example", "raw")).toBe("cert-2");
  });

  it("an older choice used again moves to the newest place (written once), so the cap drops the least recently used", () => {
    const settings = createSettingsStore(dir, policy, { language: "vi" });
    for (let i = 0; i < MAX_CERTIFICATE_CHOICES; i++) settings.certificateChoices.remember(`https://s${i}.example`, "raw", "c");
    settings.certificateChoices.remember("https://s0.example", "raw", "c");
    settings.certificateChoices.remember("https://new.example", "raw", "c");
    expect(settings.certificateChoices.remembered("https://s0.example", "raw")).toBe("c");
    expect(settings.certificateChoices.remembered("https://s1.example", "raw")).toBeUndefined();
  });

  it("reads come from memory: the view does not change when the file is replaced behind the store's back, and a write keeps the store's values", () => {
    const settings = createSettingsStore(dir, policy, { language: "vi" });
    settings.update({ pinCacheMinutes: 0, approvalAutoHideSeconds: 7 });
    writeFileSync(join(dir, "settings.json"), JSON.stringify({ language: "en" }));
    expect(settings.view()).toMatchObject({ language: "vi", approvalAutoHideSeconds: 7 });
    settings.update({ startAtLogin: false });
    const reopened = createSettingsStore(dir, policy, { language: "vi" }).view();
    expect(reopened).toMatchObject({ language: "vi", approvalAutoHideSeconds: 7, startAtLogin: false });
  });
});

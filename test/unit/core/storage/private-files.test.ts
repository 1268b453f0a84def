/**
 * File modes of KySo's data folder, checked by stat-ing the real files: the folder 0700, every file KySo writes
 * 0600 (settings, pairings, audit, local TLS), and folders or files left wider by an earlier version are tightened at
 * start. POSIX only: on Windows the profile's ACL protects the folder and mode bits mean almost nothing.
 */
import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuditLog } from "../../../../main/core/audit/audit-log.js";
import { ensureLocalCertificate } from "../../../../main/core/bridge/local-tls/local-certificate.js";
import { createCore } from "../../../../main/core/kyso-core.js";
import { createPairingStore } from "../../../../main/core/pairing/pairing-store.js";
import { policySchema } from "../../../../main/core/policy/policy-schema.js";
import { createSettingsStore } from "../../../../main/core/settings/settings-store.js";
import { securePrivateDataSync } from "../../../../main/core/storage/private-files.js";
import type { TokenService } from "../../../../main/core/tokens/token-service.js";

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
const policy = policySchema.parse({});

let root: string;
beforeEach(async () => (root = await mkdtemp(join(tmpdir(), "kyso-modes-"))));
afterEach(() => rm(root, { recursive: true, force: true }));

describe.skipIf(process.platform === "win32")("data folder modes", () => {
  it("a fresh data folder: folder 0700; settings, pairings, audit and TLS files 0600; TLS folder 0700", async () => {
    const dataDir = join(root, "profile", "kyso");
    const settings = createSettingsStore(dataDir, policy, { language: "en" });
    settings.update({ language: "vi" });
    createPairingStore(dataDir).add("https://a.example", new Date());
    const audit = createAuditLog(dataDir);
    await audit.append({ time: new Date().toISOString(), origin: "https://a.example", method: "sign", decision: "approved", result: "ok" } as never);
    await ensureLocalCertificate(join(dataDir, "tls"));

    expect(mode(dataDir)).toBe("700");
    for (const file of ["settings.json", "pairings.json", "audit.jsonl"]) expect([file, mode(join(dataDir, file))]).toEqual([file, "600"]);
    expect(mode(join(dataDir, "tls"))).toBe("700");
    const { readdirSync } = await import("node:fs");
    const tlsFiles = readdirSync(join(dataDir, "tls"));
    expect(tlsFiles.length).toBeGreaterThan(0);
    for (const file of tlsFiles) expect([file, mode(join(dataDir, "tls", file))]).toEqual([file, "600"]);
  });

  it("every rewrite of settings and pairings stays 0600", () => {
    const settings = createSettingsStore(root, policy, { language: "en" });
    const pairings = createPairingStore(root);
    for (let i = 0; i < 3; i++) {
      settings.update({ pinCacheMinutes: i });
      pairings.add(`https://s${i}.example`, new Date());
      expect([mode(join(root, "settings.json")), mode(join(root, "pairings.json"))]).toEqual(["600", "600"]);
    }
  });

  /** The layout an earlier version left: 0755 folders, 0644 files. */
  function widePreviousInstall(dataDir: string): void {
    mkdirSync(join(dataDir, "tls"), { recursive: true });
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, "tls"), 0o755);
    for (const file of ["settings.json", "pairings.json", "audit.jsonl", "audit.1.jsonl", "tls/leaf.pem", "tls/leaf.key", "tls/ca.pem"]) {
      writeFileSync(join(dataDir, file), file.endsWith(".json") ? "{}" : "x", { mode: 0o644 });
      chmodSync(join(dataDir, file), 0o644);
    }
    // Chromium's own file in the same userData folder: not KySo's to change.
    writeFileSync(join(dataDir, "Preferences"), "{}", { mode: 0o644 });
    chmodSync(join(dataDir, "Preferences"), 0o644);
  }

  it("a previous install left 0755/0644: the stores alone tighten the folder and their file", () => {
    widePreviousInstall(root);
    createSettingsStore(root, policy, { language: "en" });
    expect(mode(root)).toBe("700");
    expect(mode(join(root, "settings.json"))).toBe("600");
    createPairingStore(root);
    expect(mode(join(root, "pairings.json"))).toBe("600");
  });

  it("a previous install left 0755/0644: the start sweep tightens every KySo file, leaves Chromium's alone", () => {
    widePreviousInstall(root);
    securePrivateDataSync(root);
    expect(mode(root)).toBe("700");
    expect(mode(join(root, "tls"))).toBe("700");
    for (const file of ["settings.json", "pairings.json", "audit.jsonl", "audit.1.jsonl", "tls/leaf.pem", "tls/leaf.key", "tls/ca.pem"]) {
      expect([file, mode(join(root, file))]).toEqual([file, "600"]);
    }
    expect(mode(join(root, "Preferences"))).toBe("644");
  });

  it("createCore runs the sweep before anything else touches the folder", () => {
    widePreviousInstall(root);
    const tokenService = { onEvent: () => () => undefined, close: async () => undefined } as unknown as TokenService;
    createCore({ dataDir: root, policy, tokenService, bridgePorts: { ws: [], wss: [] }, language: "en" });
    expect(mode(root)).toBe("700");
    for (const file of ["audit.jsonl", "audit.1.jsonl", "tls/leaf.key"]) expect([file, mode(join(root, file))]).toEqual([file, "600"]);
  });

  it("a symlink in the data folder is not followed (chmod would change its target)", () => {
    const outside = join(root, "outside.json");
    writeFileSync(outside, "{}");
    chmodSync(outside, 0o644);
    const dataDir = join(root, "data");
    mkdirSync(dataDir);
    symlinkSync(outside, join(dataDir, "audit.jsonl"));
    securePrivateDataSync(dataDir);
    expect(mode(outside)).toBe("644");
  });
});

import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemorySecretStore } from "../../../main/core/remote/secret-store.js";
import { isKysoError } from "../../../main/domain/errors/index.js";
import { REMOTE_SECRETS_FILE, SafeStorageSecretStore } from "../../../main/electron/safe-storage-secret-store.js";

/**
 * Stands in for Electron's `safeStorage` (which needs a running Electron): a reversible transform that leaves no
 * plaintext, with switches for "no OS store" and Linux's `basic_text` fallback.
 */
function fakeSafeStorage(options: { available?: boolean; backend?: "basic_text" | "gnome_libsecret" } = {}) {
  const calls = { encrypt: 0 };
  return {
    calls,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? "gnome_libsecret",
    encryptString: (text: string) => {
      calls.encrypt++;
      return Buffer.from(Buffer.from(text, "utf8").map((b) => b ^ 0xa5));
    },
    decryptString: (blob: Buffer) => Buffer.from(blob.map((b) => b ^ 0xa5)).toString("utf8"),
  };
}

const TOKEN = "access-token-5f1c9e7a0b";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-secret-store-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe("SafeStorageSecretStore", () => {
  it("round-trips values through one encrypted 0600 file that holds no plaintext", async () => {
    const store = new SafeStorageSecretStore(join(dir, REMOTE_SECRETS_FILE), fakeSafeStorage());
    await store.set("csc-oauth:a", JSON.stringify({ accessToken: TOKEN }));
    await store.set("viettel-mysign:b", "second");
    expect(JSON.parse((await store.get("csc-oauth:a"))!)).toEqual({ accessToken: TOKEN });
    expect(await store.get("viettel-mysign:b")).toBe("second");
    const file = join(dir, REMOTE_SECRETS_FILE);
    expect((await readFile(file)).toString("latin1")).not.toContain(TOKEN);
    if (process.platform !== "win32") expect((await stat(file)).mode & 0o777).toBe(0o600);
    await store.delete("csc-oauth:a");
    expect(await store.get("csc-oauth:a")).toBeUndefined();
    expect(await store.get("viettel-mysign:b")).toBe("second");
    expect(await readdir(dir)).toEqual([REMOTE_SECRETS_FILE]);
  });

  it.each([
    ["encryption is unavailable", { available: false }],
    ...(process.platform === "linux" ? ([["Linux only has the basic_text fallback", { backend: "basic_text" as const }]] as const) : []),
  ] as const)("refuses to store when %s (secret_store_unavailable) and writes nothing", async (_what, options) => {
    const safe = fakeSafeStorage(options);
    const store = new SafeStorageSecretStore(join(dir, REMOTE_SECRETS_FILE), safe);
    const error = await store.set("k", TOKEN).then(() => undefined, (e: unknown) => e);
    expect(isKysoError(error, "secret_store_unavailable")).toBe(true);
    expect(String((error as Error).message)).not.toContain(TOKEN);
    expect(safe.calls.encrypt).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it("a file another key wrote (or a corrupt one) reads as empty: the user signs in again", async () => {
    const file = join(dir, REMOTE_SECRETS_FILE);
    await new SafeStorageSecretStore(file, fakeSafeStorage()).set("k", "v");
    const other = { ...fakeSafeStorage(), decryptString: () => "not json" };
    expect(await new SafeStorageSecretStore(file, other).get("k")).toBeUndefined();
  });
});

describe("MemorySecretStore", () => {
  it("get/set/delete by key, nothing on disk", async () => {
    const store = new MemorySecretStore();
    await store.set("a", "1");
    expect(await store.get("a")).toBe("1");
    await store.delete("a");
    expect(await store.get("a")).toBeUndefined();
    expect(store.size).toBe(0);
  });
});

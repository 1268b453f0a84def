/**
 * The shell's secret store decision (issue 16): tokens are kept only when the OS offers a real secret store; Linux's
 * `basic_text` fallback (no keyring: a hard-coded key) and "no encryption" refuse with `secret_store_unavailable`,
 * and the settings page learns why (`remote.status` secretStore). Electron's `safeStorage` is a fake here.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OsSecretStore, osSecretStoreStatus, REMOTE_SECRETS_FILE, type OsEncryption } from "../../../../main/core/remote/os-secret-store.js";
import { createRemoteAccounts } from "../../../../main/core/remote/remote-accounts.js";
import { CscProvider } from "../../../../main/core/remote/csc.js";
import { isKysoError } from "../../../../main/domain/errors/index.js";

function fakeSafeStorage(available: boolean, backend: string): OsEncryption & { encrypted: number } {
  const fake = {
    encrypted: 0,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(text: string) {
      fake.encrypted++;
      return Buffer.from(Buffer.from(text, "utf8").map((b) => b ^ 0x5a));
    },
    decryptString: (blob: Buffer) => Buffer.from(blob.map((b) => b ^ 0x5a)).toString("utf8"),
  };
  return fake;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-os-secrets-"));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe("osSecretStoreStatus", () => {
  it.each([
    ["linux", true, "gnome_libsecret", { kind: "os" }],
    ["linux", true, "kwallet5", { kind: "os" }],
    ["linux", true, "basic_text", { kind: "unavailable", reason: "basic-text" }],
    ["linux", false, "unknown", { kind: "unavailable", reason: "no-encryption" }],
    ["win32", true, "basic_text", { kind: "os" }],
    ["darwin", false, "unknown", { kind: "unavailable", reason: "no-encryption" }],
  ] as const)("%s, encryption %s, backend %s -> %o", (platform, available, backend, expected) => {
    expect(osSecretStoreStatus(fakeSafeStorage(available, backend), platform)).toEqual(expected);
  });
});

describe("OsSecretStore as the shell builds it", () => {
  it("on Linux without a keyring (basic_text) refuses to store, encrypts nothing and writes no file", async () => {
    const safe = fakeSafeStorage(true, "basic_text");
    const store = new OsSecretStore(join(dir, REMOTE_SECRETS_FILE), safe, "linux");
    const error = await store.set("csc-oauth:x", "token-value-1234567890").then(() => undefined, (e: unknown) => e);
    expect(isKysoError(error, "secret_store_unavailable")).toBe(true);
    expect(safe.encrypted).toBe(0);
    expect(await readdir(dir)).toEqual([]);
    expect(await store.get("csc-oauth:x")).toBeUndefined();
  });

  it("with a keyring stores ciphertext only", async () => {
    const store = new OsSecretStore(join(dir, REMOTE_SECRETS_FILE), fakeSafeStorage(true, "gnome_libsecret"), "linux");
    await store.set("k", "token-value-1234567890");
    expect(await store.get("k")).toBe("token-value-1234567890");
    expect(await readdir(dir)).toEqual([REMOTE_SECRETS_FILE]);
  });

  it("remote.signIn is refused before the browser opens when the store is unavailable, and the status says why", async () => {
    const store = new OsSecretStore(join(dir, REMOTE_SECRETS_FILE), fakeSafeStorage(true, "basic_text"), "linux");
    let opened = 0;
    const client = new CscProvider({
      baseUrl: "https://rssp.example/csc/v2/",
      clientId: "kyso-desktop",
      redirectUri: "http://127.0.0.1/callback",
      secretStore: store,
      signIn: { authorize: async () => (opened++, { code: "c", redirectUri: "r" }) },
      fetch: async () => Promise.reject(new Error("no network in this test")),
    });
    const accounts = createRemoteAccounts({
      providers: [{ id: "rssp", kind: "csc", baseUrl: "https://rssp.example/csc/v2/", clientId: "kyso-desktop", redirectUri: "http://127.0.0.1/callback" }],
      clients: new Map([["rssp", client]]),
      accounts: () => ({ rssp: { userId: "079123456789" } }),
      secretStoreStatus: () => store.status(),
    });
    const error = await accounts.signIn("rssp").then(() => undefined, (e: unknown) => e);
    expect(isKysoError(error, "secret_store_unavailable")).toBe(true);
    expect(opened).toBe(0);
    const status = await accounts.status();
    expect(status.secretStore).toEqual({ kind: "unavailable", reason: "basic-text" });
    expect(status.providers).toEqual([{ id: "rssp", name: "CSC", kind: "csc", userId: "079123456789", signIn: { signedIn: false } }]);
  });
});

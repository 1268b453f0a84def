/**
 * The app's `SecretStore`: remote-signing tokens encrypted with the OS secret store through Electron `safeStorage`
 * (DPAPI on Windows, Keychain on macOS, libsecret/KWallet on Linux) into one 0600 file in the data folder. The
 * file holds only ciphertext; with no real OS store (Linux `basic_text`, a hard-coded key) nothing is stored.
 */
import type { SafeStorage } from "electron";
import { readFile } from "node:fs/promises";
import { KysoError } from "../domain/errors/index.js";
import type { SecretStore } from "../core/remote/secret-store.js";
import { writePrivateFileAtomic } from "../core/storage/private-files.js";

export const REMOTE_SECRETS_FILE = "remote-secrets.bin";

type SafeStorageLike = Pick<SafeStorage, "isEncryptionAvailable" | "encryptString" | "decryptString"> & Partial<Pick<SafeStorage, "getSelectedStorageBackend">>;

export class SafeStorageSecretStore implements SecretStore {
  /** `file`: `<data folder>/remote-secrets.bin`; `safeStorage`: Electron's (injected so the logic is testable). */
  constructor(private readonly file: string, private readonly safeStorage: SafeStorageLike) {}

  private assertAvailable(): void {
    const backend = process.platform === "linux" ? this.safeStorage.getSelectedStorageBackend?.() : undefined;
    if (!this.safeStorage.isEncryptionAvailable() || backend === "basic_text") {
      throw new KysoError("secret_store_unavailable", `safeStorage unavailable${backend ? ` (${backend})` : ""}`);
    }
  }

  private async readAll(): Promise<Record<string, string>> {
    let blob: Buffer;
    try {
      blob = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw error;
    }
    try {
      const parsed: unknown = JSON.parse(this.safeStorage.decryptString(blob));
      return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      // Unreadable (another OS user's key, a corrupt file): the tokens are lost, the user signs in again.
      return {};
    }
  }

  private async writeAll(values: Record<string, string>): Promise<void> {
    await writePrivateFileAtomic(this.file, this.safeStorage.encryptString(JSON.stringify(values)));
  }

  async get(key: string): Promise<string | undefined> {
    if (!this.safeStorage.isEncryptionAvailable()) return undefined;
    return (await this.readAll())[key];
  }

  async set(key: string, value: string): Promise<void> {
    this.assertAvailable();
    await this.writeAll({ ...(await this.readAll()), [key]: value });
  }

  async delete(key: string): Promise<void> {
    if (!this.safeStorage.isEncryptionAvailable()) return;
    const values = await this.readAll();
    if (!(key in values)) return;
    delete values[key];
    await this.writeAll(values);
  }
}

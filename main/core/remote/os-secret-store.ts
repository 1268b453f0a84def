/**
 * The app's `SecretStore`: remote-signing tokens encrypted by the OS secret store (Electron `safeStorage`: DPAPI
 * on Windows, Keychain on macOS, libsecret/KWallet on Linux) into one 0600 file in the data folder. The file holds
 * only ciphertext; with no real OS store (encryption unavailable, Linux's `basic_text` fallback with a hard-coded
 * key) nothing is stored (`secret_store_unavailable`) and the settings page says how to fix it. The encryption is
 * injected (`OsEncryption`), so this decision and the file format are tested without Electron; main/electron only
 * hands over `safeStorage` (safe-storage-secret-store.ts).
 */
import { readFile } from "node:fs/promises";
import { KysoError } from "../../domain/errors/index.js";
import { writePrivateFileAtomic } from "../storage/private-files.js";
import type { SecretStore } from "./secret-store.js";

export const REMOTE_SECRETS_FILE = "remote-secrets.bin";

/** What KySo uses of Electron's `safeStorage` (its shape, so the core needs no Electron import). */
export interface OsEncryption {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means no keyring was found and the "encryption" uses a hard-coded key. */
  getSelectedStorageBackend?(): string;
}

/**
 * Where the sign-in tokens can live on this machine: `os` (the OS secret store), `memory` (tests, the sandbox:
 * lost at exit), or `unavailable` with the reason (`no-encryption`: the OS offers none; `basic-text`: Linux without a
 * keyring, whose fallback is a fixed key anyone with the disk can undo).
 */
export type SecretStoreStatus = { readonly kind: "os" } | { readonly kind: "memory" } | { readonly kind: "unavailable"; readonly reason: "no-encryption" | "basic-text" };

export function osSecretStoreStatus(os: OsEncryption, platform: NodeJS.Platform = process.platform): SecretStoreStatus {
  if (!os.isEncryptionAvailable()) return { kind: "unavailable", reason: "no-encryption" };
  const backend = platform === "linux" ? os.getSelectedStorageBackend?.() : undefined;
  if (backend === "basic_text") return { kind: "unavailable", reason: "basic-text" };
  return { kind: "os" };
}

/** A `SecretStore` that also says whether it can keep anything (the settings page's guidance). */
export interface StatusSecretStore extends SecretStore {
  status(): SecretStoreStatus;
}

export class OsSecretStore implements StatusSecretStore {
  /** `file`: `<data folder>/remote-secrets.bin`; `os`: Electron's `safeStorage`. */
  constructor(
    private readonly file: string,
    private readonly os: OsEncryption,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  status(): SecretStoreStatus {
    return osSecretStoreStatus(this.os, this.platform);
  }

  private assertAvailable(): void {
    const status = this.status();
    if (status.kind === "unavailable") throw new KysoError("secret_store_unavailable", `safeStorage unavailable (${status.reason})`);
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
      const parsed: unknown = JSON.parse(this.os.decryptString(blob));
      return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      // Unreadable (another OS user's key, a corrupt file): the tokens are lost, the user signs in again.
      return {};
    }
  }

  private async writeAll(values: Record<string, string>): Promise<void> {
    await writePrivateFileAtomic(this.file, this.os.encryptString(JSON.stringify(values)));
  }

  async get(key: string): Promise<string | undefined> {
    if (this.status().kind === "unavailable") return undefined;
    return (await this.readAll())[key];
  }

  async set(key: string, value: string): Promise<void> {
    this.assertAvailable();
    await this.writeAll({ ...(await this.readAll()), [key]: value });
  }

  async delete(key: string): Promise<void> {
    if (!this.os.isEncryptionAvailable()) return;
    const values = await this.readAll();
    if (!(key in values)) return;
    delete values[key];
    await this.writeAll(values);
  }
}

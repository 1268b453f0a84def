/**
 * The app's `SecretStore` over Electron `safeStorage`. The logic (when to refuse, the encrypted file) lives in the
 * core (core/remote/os-secret-store.ts) where it is tested with a fake `safeStorage`; this file only names it for
 * the shell.
 */
import type { SafeStorage } from "electron";
import { OsSecretStore, REMOTE_SECRETS_FILE } from "../core/remote/os-secret-store.js";

export { REMOTE_SECRETS_FILE };

type SafeStorageLike = Pick<SafeStorage, "isEncryptionAvailable" | "encryptString" | "decryptString"> & Partial<Pick<SafeStorage, "getSelectedStorageBackend">>;

export class SafeStorageSecretStore extends OsSecretStore {
  constructor(file: string, safeStorage: SafeStorageLike) {
    super(file, safeStorage);
  }
}

/**
 * Where remote-signing secrets that must outlive one request live: OAuth access and refresh tokens (CSC), a
 * provider's short-lived session token (Viettel MySign). The core only sees this interface; the app's store is the
 * OS secret store (`main/electron/safe-storage-secret-store.ts`, Electron `safeStorage`), tests and the core's own
 * suites use `MemorySecretStore`. Nothing here ever writes a secret to a plain file.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  /** Refuses (throws `secret_store_unavailable`) rather than keep the value where it is not protected. */
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Kept in the process only: lost at exit, never on disk. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  /** How many secrets are held (tests count them; the values stay private). */
  get size(): number {
    return this.values.size;
  }
}

/** A stored JSON value under `key`, or undefined when absent or unreadable (a corrupt entry means "sign in again"). */
export async function getJsonSecret<T>(store: SecretStore, key: string, isValid: (value: unknown) => value is T): Promise<T | undefined> {
  const text = await store.get(key);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isValid(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The trust bundle in use: the last accepted envelope (stored as `trust-bundle.json` in the data folder and
 * re-verified at each start against the policy's current publisher keys), replaced only by a newer bundle from the
 * policy's `trustBundle.file` or `trustBundle.url`. A candidate with a bad signature, an unknown key, an older
 * version/issuedAt (rollback) or past its expiry is refused with its reason in `status().problems` (diagnostics),
 * and the bundle in use stays. The URL comes from the machine policy only (https, schema-checked) and is fetched
 * by the bounded client; nothing a page sends can name it.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { boundedFetch } from "../revocation/bounded-fetch.js";
import { proxyFromEnvironment, type ProxySettings } from "../revocation/proxy.js";
import { writePrivateFileAtomic } from "../../storage/private-files.js";
import { isRollback, MAX_TRUST_BUNDLE_BYTES, publisherKeys, sameBundle, verifyTrustBundle, type PublisherKey, type TrustBundle } from "./trust-bundle.js";
import type { TrustBundleProblem, TrustBundleStatus } from "./trust-bundle-types.js";

export type { TrustBundleProblem, TrustBundleStatus };

export const TRUST_BUNDLE_FILE = "trust-bundle.json";
export const TRUST_BUNDLE_TIMEOUT_MS = 30_000;

export interface TrustBundleConfig {
  readonly file?: string | undefined;
  readonly url?: string | undefined;
  readonly publisherKeys: readonly string[];
}

export interface TrustBundleStoreOptions {
  readonly dataDir: string;
  readonly config: TrustBundleConfig | undefined;
  readonly now?: () => Date;
  readonly proxy?: ProxySettings;
  /** Extra TLS roots for the https fetch (tests: the local server's certificate); default the system's. */
  readonly ca?: string;
  readonly timeoutMs?: number;
}

export class TrustBundleStore {
  private bundle: TrustBundle | undefined;
  private problems: TrustBundleProblem[] = [];
  private readonly keys: PublisherKey[];
  private readonly keyProblems: TrustBundleProblem[];
  private loadedStored = false;
  private readonly now: () => Date;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: TrustBundleStoreOptions) {
    this.now = options.now ?? (() => new Date());
    const { keys, problems } = publisherKeys(options.config?.publisherKeys ?? []);
    this.keys = keys;
    this.keyProblems = problems.map((message) => ({ source: "policy", reason: "unknown-key", message }));
  }

  current(): TrustBundle | undefined {
    return this.bundle;
  }

  /** Called after a refresh changed the bundle in use. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  status(): TrustBundleStatus {
    const b = this.bundle;
    return {
      configured: this.options.config !== undefined,
      ...(b
        ? { inUse: { version: b.version, issuedAt: b.issuedAt.toISOString(), expiresAt: b.expiresAt.toISOString(), anchors: b.anchors.length, intermediates: b.intermediates.length } }
        : {}),
      problems: [...this.keyProblems, ...this.problems],
    };
  }

  /**
   * Reads the stored bundle (first call), then the policy's file and (unless `fetch` is false: the start, which must
   * not wait for the network) its URL; keeps the newest valid one.
   */
  async refresh(options: { readonly fetch?: boolean } = {}): Promise<TrustBundleStatus> {
    const config = this.options.config;
    const problems: TrustBundleProblem[] = [];
    const before = this.bundle;
    if (!config) return this.status();
    const stored = join(this.options.dataDir, TRUST_BUNDLE_FILE);
    if (!this.loadedStored) {
      this.loadedStored = true;
      const bytes = await readFile(stored).catch(() => undefined);
      if (bytes) this.consider(new Uint8Array(bytes), "stored", problems);
    }
    if (config.file) {
      const bytes = await readBounded(config.file).catch((error: unknown) => {
        problems.push({ source: "file", reason: "unreadable", message: `${config.file}: ${String(error)}` });
        return undefined;
      });
      if (bytes) this.consider(bytes, "file", problems);
    }
    if (config.url && options.fetch !== false) {
      const reply = await boundedFetch(
        config.url,
        { method: "GET", accept: "application/json" },
        {
          timeoutMs: this.options.timeoutMs ?? TRUST_BUNDLE_TIMEOUT_MS,
          maxBytes: MAX_TRUST_BUNDLE_BYTES,
          proxy: this.options.proxy ?? proxyFromEnvironment(),
          ...(this.options.ca ? { ca: this.options.ca } : {}),
        },
      );
      if (!reply.ok) problems.push({ source: "url", reason: "fetch-failed", message: reply.message });
      // A redirect may lead elsewhere; the bundle is signed anyway, but the rule is https end to end.
      else if (!reply.url.startsWith("https://")) problems.push({ source: "url", reason: "fetch-failed", message: `redirected to a non-https URL: ${reply.url}` });
      else this.consider(reply.body, "url", problems);
    }
    this.problems = problems;
    if (this.bundle !== before) {
      if (this.bundle) await writePrivateFileAtomic(stored, this.bundle.envelope);
      for (const listener of this.listeners) listener();
    }
    return this.status();
  }

  private consider(envelope: Uint8Array, source: TrustBundleProblem["source"], problems: TrustBundleProblem[]): void {
    const check = verifyTrustBundle(envelope, this.keys, this.now());
    if (!check.ok) {
      problems.push({ source, reason: check.reason, message: check.message });
      return;
    }
    if (sameBundle(check.bundle, this.bundle)) return;
    if (isRollback(check.bundle, this.bundle)) {
      const current = this.bundle!;
      problems.push({
        source,
        reason: "rollback",
        message: `version ${check.bundle.version} (${check.bundle.issuedAt.toISOString()}) is older than version ${current.version} (${current.issuedAt.toISOString()}) in use`,
      });
      return;
    }
    this.bundle = check.bundle;
  }
}

async function readBounded(file: string): Promise<Uint8Array> {
  const info = await stat(file);
  if (!info.isFile() || info.size > MAX_TRUST_BUNDLE_BYTES) throw new Error(`not a file of at most ${MAX_TRUST_BUNDLE_BYTES} bytes`);
  return new Uint8Array(await readFile(file));
}

/**
 * The TokenService over token host processes: one host per PKCS#11 module, discovered, probed, polled for
 * hot-plug, and asked for certificates and signatures. See docs/tokens.md for the whole picture.
 *
 *   const tokens = createTokenService({ modules: { policy, user }, spawner: forkSpawner() });
 *   await tokens.ready();
 *
 * Certificates are read when a token appears and kept (certificate-cache.ts): listing and signing answer from
 * memory, so a request costs the token only its login and signature.
 */
import type { CertificateInfo } from "../../domain/certificate.js";
import type { TokenInfo } from "../../domain/token.js";
import { KysoError, toKysoError } from "../../domain/errors/index.js";
import type { HostSpawner } from "./host-spawner.js";
import { CertificateCache, type CachedCertificate, type RawCertificate } from "./certificate-cache.js";
import type { DiscoveryEnvironment, ModuleSources } from "./module-discovery.js";
import { createOpenedSigner } from "./opened-signer.js";
import { PinCache } from "./pin-cache.js";
import { DEFAULT_BACKOFF, DEFAULT_TIMEOUTS, type HostTimeouts, type RestartBackoff } from "./timeouts.js";
import type { OpenedSigner, OpenSignerOptions, TokenEvent, TokenService } from "./token-service.js";
import { createTokenLeases, type TokenQueueState } from "./token-lease.js";
import { createListingGate } from "./listing-gate.js";
import { createModuleEntries, keyOf, listModuleTokens, pollModule, probeModule, tokensSignature, type ModuleEntry } from "./token-modules.js";

export type { TokenQueueState } from "./token-lease.js";

export interface TokenServiceOptions {
  readonly modules: ModuleSources;
  readonly spawner: HostSpawner;
  /** Slot-list poll for hot-plug; default 1000 ms. 0 turns polling off (call `refresh()` yourself). */
  readonly pollIntervalMs?: number;
  readonly timeouts?: Partial<HostTimeouts>;
  readonly restartBackoff?: Partial<RestartBackoff>;
  /** PIN session cache length; 0 (default) = off: every signer logs out on close. */
  readonly pinCacheMinutes?: number;
  /** Trust anchors and intermediates (DER) for chains, next to the CA certificates found on tokens. */
  readonly trustAnchors?: readonly Uint8Array[];
  /** CRLs (DER or PEM) used to flag `revoked`; a function so the caller can refresh them. */
  readonly crls?: () => readonly (Uint8Array | string)[];
  readonly discovery?: DiscoveryEnvironment;
}

export interface KysoTokenService extends TokenService {
  /** Resolves when every discovered module has been probed (successfully or not). */
  ready(): Promise<void>;
  /**
   * Lists every module's tokens now, reads every token's certificates again (the one way, besides a slot event
   * or a re-plug, to see a certificate written on a token that stayed plugged in) and emits `tokensChanged` if
   * the set of tokens changed.
   */
  refresh(): Promise<readonly TokenInfo[]>;
  /** A certificate from the cache, by id (no token access unless the token is new). */
  findCertificate(certificateId: string): Promise<CertificateInfo | undefined>;
  /** Signing requests on a token: whether one holds it and how many wait, in arrival order. */
  queue(tokenId: string): TokenQueueState;
  /** Called whenever a token's queue changes; returns an unsubscribe function. */
  onQueueChange(listener: (state: TokenQueueState) => void): () => void;
  /** Screen locked: log every token out and forget the PIN cache. */
  lockAll(): Promise<void>;
  /** Whether `tokenId` is logged in by the PIN cache (the approval UI may skip the PIN prompt). */
  pinCached(tokenId: string): boolean;
}

export function createTokenService(options: TokenServiceOptions): KysoTokenService {
  const timeouts: HostTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const backoff: RestartBackoff = { ...DEFAULT_BACKOFF, ...options.restartBackoff };
  const listeners = new Set<(event: TokenEvent) => void>();
  const queueListeners = new Set<(state: TokenQueueState) => void>();
  const certificates = new CertificateCache<ModuleEntry>({
    ...(options.trustAnchors ? { trustAnchors: options.trustAnchors } : {}),
    ...(options.crls ? { crls: options.crls } : {}),
  });
  /** Per module, the token ids whose certificates the cache holds: a token missing from a listing is dropped. */
  const cachedTokens = new Map<ModuleEntry, Set<string>>();
  let closed = false;
  let lastSignature = "";

  const modules = createModuleEntries(options.modules, options.discovery);
  const pinCache = new PinCache(options.pinCacheMinutes ?? 0, (tokenId) => void logoutToken(tokenId));
  const leases = createTokenLeases((state) => {
    for (const listener of queueListeners) listener(state);
  });

  function emit(tokens: readonly TokenInfo[]): void {
    for (const listener of listeners) listener({ kind: "tokensChanged", tokens });
  }

  function allTokens(): TokenInfo[] {
    return modules.flatMap((module) => module.tokens);
  }

  async function readCertificates(module: ModuleEntry, token: TokenInfo): Promise<readonly RawCertificate[]> {
    const supervisor = module.supervisor;
    if (!supervisor) return [];
    const objects = await supervisor.request("listObjects", { token: keyOf(token) }, timeouts.enumerationMs);
    return objects.certificates.map((certificate) => ({
      der: new Uint8Array(Buffer.from(certificate.der, "base64")),
      keyId: certificate.keyId,
      label: certificate.label,
    }));
  }

  /**
   * After every listing of a module: tokens that appeared are read (in the background, off the request path),
   * tokens that left are dropped, and with `reloadAll` (slot event, explicit refresh) every token is read again.
   */
  function syncCertificates(module: ModuleEntry, reloadAll: boolean): void {
    const known = cachedTokens.get(module) ?? new Set<string>();
    cachedTokens.set(module, known);
    const present = new Set(module.tokens.map((token) => token.id));
    for (const tokenId of known) {
      if (present.has(tokenId)) continue;
      known.delete(tokenId);
      certificates.drop(tokenId);
    }
    for (const token of module.tokens) {
      if (!reloadAll && known.has(token.id)) continue;
      known.add(token.id);
      void certificates.load(token, module, token.serial || keyOf(token), () => readCertificates(module, token));
    }
  }

  const probing = Promise.all(
    modules.map((module) =>
      probeModule(module, {
        spawner: options.spawner,
        backoff,
        timeouts,
        onHostExit: () => {
          for (const token of module.tokens) pinCache.drop(token.id);
        },
        // The diagnostics line "the driver restarted" and the tokens come back on screen without a request.
        onHostRestarted: () => void refresh({ reloadCertificates: true }).then((tokens) => emit(tokens), () => undefined),
      })
        .then(() => syncCertificates(module, false))
        .catch(() => undefined),
    ),
  ).then(() => {
    lastSignature = tokensSignature(allTokens());
  });

  type ListingHow = { fromTimer?: boolean; reloadCertificates?: boolean };
  const gates = new Map(
    modules.map((module) => [
      module,
      createListingGate<ListingHow>(
        async (how) => {
          if (!module.supervisor) return;
          try {
            const outcome = how.fromTimer ? await pollModule(module, timeouts) : (await listModuleTokens(module, timeouts), "listed");
            if (outcome !== "quiet") syncCertificates(module, how.reloadCertificates === true || outcome === "event");
          } catch {
            // A host that crashed or hung keeps its last known tokens until it answers again; a removal shows up
            // as soon as the restarted host lists its slots.
          }
        },
        (a, b) => ({ reloadCertificates: a.reloadCertificates === true || b.reloadCertificates === true }),
      ),
    ]),
  );

  async function refresh(how: ListingHow = {}): Promise<readonly TokenInfo[]> {
    await probing;
    await Promise.all(modules.map((module) => (how.fromTimer ? gates.get(module)!.poll(how) : gates.get(module)!.list(how))));
    const tokens = allTokens();
    const signature = tokensSignature(tokens);
    if (signature !== lastSignature) {
      const present = new Set(tokens.map((token) => token.id));
      for (const tokenId of pinCache.tokens()) if (!present.has(tokenId)) pinCache.drop(tokenId);
      lastSignature = signature;
      emit(tokens);
    }
    return tokens;
  }

  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  let pollTimer: NodeJS.Timeout | undefined;
  if (pollIntervalMs > 0) {
    const tick = (): void => {
      if (closed) return;
      void refresh({ fromTimer: true })
        .catch(() => undefined)
        .finally(() => {
          if (!closed) pollTimer = setTimeout(tick, pollIntervalMs).unref();
        });
    };
    pollTimer = setTimeout(tick, pollIntervalMs).unref();
  }

  function findToken(tokenId: string): { module: ModuleEntry; token: TokenInfo } | undefined {
    for (const module of modules) {
      const token = module.tokens.find((candidate) => candidate.id === tokenId);
      if (token) return { module, token };
    }
    return undefined;
  }

  async function logoutToken(tokenId: string): Promise<void> {
    const found = findToken(tokenId);
    pinCache.drop(tokenId);
    if (!found?.module.supervisor?.running) return;
    await found.module.supervisor.request("logout", { token: keyOf(found.token) }, timeouts.enumerationMs).catch(() => undefined);
  }

  async function listCertificates(): Promise<readonly CertificateInfo[]> {
    await probing;
    return certificates.list();
  }

  /**
   * The cached record; only when the id is unknown are the slots listed again (a token plugged in since the last
   * poll), which reads the new token's certificates and nobody else's.
   */
  async function cachedRecord(certificateId: string): Promise<CachedCertificate<ModuleEntry> | undefined> {
    await probing;
    await certificates.settled();
    const found = certificates.find(certificateId);
    if (found) return found;
    await refresh();
    await certificates.settled();
    return certificates.find(certificateId);
  }

  async function openSigner(request: OpenSignerOptions): Promise<OpenedSigner> {
    // The PIN leaves this Buffer as base64 in one message and the Buffer is zeroed before anything is awaited.
    let pin: string | null = null;
    try {
      pin = request.pin === null ? null : request.pin.toString("base64");
    } finally {
      request.pin?.fill(0);
    }
    throwIfAborted(request.signal);
    const record = await cachedRecord(request.certificateId);
    if (!record || record.keyId === null) throw new KysoError("certificate_not_found", request.certificateId);
    const supervisor = record.owner.supervisor;
    if (!supervisor) throw new KysoError("module_unavailable", record.owner.candidate.path);
    throwIfAborted(request.signal);
    const release = await leases.acquire(record.token.id, {
      ...(request.signal ? { signal: request.signal } : {}),
      timeoutMs: timeouts.signingMs + timeouts.loginMs,
    });
    let opened: { ref: string };
    try {
      opened = await supervisor.request(
        "open",
        {
          token: keyOf(record.token),
          keyId: record.keyId,
          certificate: Buffer.from(record.der).toString("base64"),
          keyAlgorithm: record.keyAlgorithm,
          pin,
        },
        timeouts.loginMs,
      );
    } catch (error) {
      release();
      throw error;
    }
    pin = null;
    const tokenId = record.token.id;
    return createOpenedSigner({
      certificateId: request.certificateId,
      certificate: record.der,
      chain: record.chain,
      keyAlgorithm: record.keyAlgorithm,
      supervisor,
      // The reply came from the host alive now (a restart during the request would have failed it).
      generation: supervisor.generation,
      ref: opened.ref,
      signingTimeoutMs: timeouts.signingMs,
      closeTimeoutMs: timeouts.enumerationMs,
      keepLogin: () => pinCache.enabled,
      onClosed: () => {
        pinCache.touch(tokenId);
        release();
      },
    });
  }

  return {
    ready: () => probing,
    refresh: () => refresh({ reloadCertificates: true }),
    // Asks the hosts rather than returning the last poll: callers want the PIN state as of now.
    listTokens: () => refresh(),
    listCertificates,
    async findCertificate(certificateId) {
      await probing;
      await certificates.settled();
      return (await certificates.list()).find((info) => info.id === certificateId);
    },
    queue: (tokenId) => leases.state(tokenId),
    onQueueChange(listener) {
      queueListeners.add(listener);
      return () => queueListeners.delete(listener);
    },
    openSigner,
    diagnostics: () =>
      modules.map((module) => {
        const health = module.supervisor?.health();
        return health && health.crashes > 0 ? { ...module.diagnostic, recovery: health } : module.diagnostic;
      }),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pinCached: (tokenId) => pinCache.has(tokenId),
    async lockAll() {
      pinCache.clear();
      await Promise.all(
        modules.map((module) =>
          module.supervisor?.running ? module.supervisor.request("logout", {}, timeouts.enumerationMs).catch(() => undefined) : undefined,
        ),
      );
    },
    async close() {
      if (closed) return;
      await probing;
      pinCache.clear();
      await Promise.all(
        modules.map((module) =>
          module.supervisor?.running ? module.supervisor.request("logout", {}, timeouts.enumerationMs).catch(() => undefined) : undefined,
        ),
      );
      closed = true;
      if (pollTimer) clearTimeout(pollTimer);
      for (const module of modules) module.supervisor?.close();
      listeners.clear();
      queueListeners.clear();
    },
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw reason instanceof KysoError ? reason : toKysoError(new KysoError("user_rejected", "approval withdrawn"));
}

/**
 * The TokenService over token host processes: one host per PKCS#11 module, discovered, probed, polled for
 * hot-plug, and asked for certificates and signatures. See docs/tokens.md for the whole picture.
 *
 *   const tokens = createTokenService({ modules: { policy, user }, spawner: forkSpawner() });
 *   await tokens.ready();
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { CertificateInfo } from "../domain/certificate.js";
import type { KeyAlgorithm } from "../domain/signer.js";
import type { ModuleDiagnostic, TokenInfo } from "../domain/token.js";
import { KysoError, toKysoError } from "../errors/index.js";
import { isCaCertificate, keyAlgorithmOf, parseCertificateInfo, parseCrl } from "../certificates/index.js";
import type { HostToken } from "../../../native/host/protocol.js";
import { HostSupervisor } from "./host-supervisor.js";
import type { HostSpawner } from "./host-spawner.js";
import { discoverModules, type DiscoveryEnvironment, type ModuleCandidate, type ModuleSources } from "./module-discovery.js";
import { createOpenedSigner } from "./opened-signer.js";
import { PinCache } from "./pin-cache.js";
import { probeFailure } from "./probe-failure.js";
import { DEFAULT_BACKOFF, DEFAULT_TIMEOUTS, type HostTimeouts, type RestartBackoff } from "./timeouts.js";
import type { OpenedSigner, OpenSignerOptions, TokenEvent, TokenService } from "./token-service.js";
import { createTokenLeases } from "./token-lease.js";

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
  /** Polls every module now and emits `tokensChanged` if the set changed. */
  refresh(): Promise<readonly TokenInfo[]>;
  /** Screen locked: log every token out and forget the PIN cache. */
  lockAll(): Promise<void>;
  /** Whether `tokenId` is logged in by the PIN cache (the approval UI may skip the PIN prompt). */
  pinCached(tokenId: string): boolean;
}

interface ModuleEntry {
  readonly candidate: ModuleCandidate;
  diagnostic: ModuleDiagnostic;
  supervisor?: HostSupervisor;
  tokens: readonly TokenInfo[];
  polling: boolean;
  /** Whether the module reports slot events (learnt on the first poll); undefined until asked. */
  slotEvents?: boolean;
  /** Polls since the last full slot listing. */
  quietPolls: number;
}

/** Even a module that reports slot events gets a full listing this often, in case it misses one. */
const FULL_LIST_EVERY = 5;

interface CertificateRecord {
  readonly module: ModuleEntry;
  readonly token: TokenInfo;
  readonly keyId: string | null;
  readonly der: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly keyAlgorithm: KeyAlgorithm;
}

export function createTokenService(options: TokenServiceOptions): KysoTokenService {
  const timeouts: HostTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const backoff: RestartBackoff = { ...DEFAULT_BACKOFF, ...options.restartBackoff };
  const listeners = new Set<(event: TokenEvent) => void>();
  const records = new Map<string, CertificateRecord>();
  let closed = false;
  let lastSignature = "";

  const modules: ModuleEntry[] = discoverModules(options.modules, options.discovery).map((candidate) => ({
    candidate,
    diagnostic: { id: candidate.id, path: candidate.path, source: candidate.source, ...vendor(candidate), status: { kind: "starting" } },
    tokens: [],
    polling: false,
    quietPolls: 0,
  }));

  const pinCache = new PinCache(options.pinCacheMinutes ?? 0, (tokenId) => void logoutToken(tokenId));
  const leases = createTokenLeases();

  function emit(tokens: readonly TokenInfo[]): void {
    for (const listener of listeners) listener({ kind: "tokensChanged", tokens });
  }

  function allTokens(): TokenInfo[] {
    return modules.flatMap((module) => module.tokens);
  }

  function setFailed(module: ModuleEntry, error: unknown): void {
    const failure = probeFailure(error, module.candidate.path, timeouts.startupMs);
    module.diagnostic = { ...module.diagnostic, status: { kind: "failed", reason: failure.reason, code: failure.code } };
  }

  async function probe(module: ModuleEntry): Promise<void> {
    const supervisor = new HostSupervisor(module.candidate.path, options.spawner, backoff, {
      onHostExit: () => {
        // A new host lifetime: its slot-event queue starts empty, so list the slots on the next poll.
        module.quietPolls = FULL_LIST_EVERY;
        for (const token of module.tokens) pinCache.drop(token.id);
      },
    }, timeouts.startupMs);
    try {
      const info = await supervisor.request("probe", {}, timeouts.enumerationMs);
      module.supervisor = supervisor;
      const tokens = await listModuleTokens(module);
      module.diagnostic = {
        ...module.diagnostic,
        status: { kind: "ready", library: `${info.description} ${info.libraryVersion} (${info.manufacturer})`, tokens: tokens.length },
      };
    } catch (error) {
      supervisor.close();
      module.supervisor = undefined;
      setFailed(module, error);
    }
  }

  async function listModuleTokens(module: ModuleEntry): Promise<readonly TokenInfo[]> {
    const supervisor = module.supervisor;
    if (!supervisor) return [];
    const result = await supervisor.request("listTokens", {}, timeouts.enumerationMs);
    module.tokens = result.tokens.map((token) => tokenInfo(module.candidate.id, token));
    if (module.diagnostic.status.kind === "ready") module.diagnostic = { ...module.diagnostic, status: { ...module.diagnostic.status, tokens: module.tokens.length } };
    return module.tokens;
  }

  const probing = Promise.all(modules.map((module) => probe(module).catch(() => undefined))).then(() => {
    lastSignature = tokensSignature(allTokens());
  });

  /** For the timer: modules with slot events are listed only when one is reported (or every FULL_LIST_EVERY). */
  async function pollModule(module: ModuleEntry): Promise<void> {
    const supervisor = module.supervisor;
    if (!supervisor) return;
    if (module.slotEvents !== false && module.quietPolls < FULL_LIST_EVERY) {
      const { events } = await supervisor.request("slotEvents", {}, timeouts.enumerationMs);
      module.slotEvents = events !== "unsupported";
      if (events === "none") {
        module.quietPolls++;
        return;
      }
    }
    module.quietPolls = 0;
    await listModuleTokens(module);
  }

  async function refresh(options: { fromTimer?: boolean } = {}): Promise<readonly TokenInfo[]> {
    await probing;
    await Promise.all(
      modules.map(async (module) => {
        if (!module.supervisor || module.polling) return;
        module.polling = true;
        try {
          if (options.fromTimer) await pollModule(module);
          else await listModuleTokens(module);
        } catch {
          // A host that crashed or hung keeps its last known tokens until it answers again; a removal shows up
          // as soon as the restarted host lists its slots.
        } finally {
          module.polling = false;
        }
      }),
    );
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
    const raw: { module: ModuleEntry; token: TokenInfo; der: Uint8Array; keyId: string | null; label: string }[] = [];
    for (const module of modules) {
      if (!module.supervisor) continue;
      const tokens = await listModuleTokens(module).catch(() => module.tokens);
      for (const token of tokens) {
        const objects = await module.supervisor.request("listObjects", { token: keyOf(token) }, timeouts.enumerationMs).catch(() => undefined);
        for (const certificate of objects?.certificates ?? []) {
          raw.push({ module, token, der: new Uint8Array(Buffer.from(certificate.der, "base64")), keyId: certificate.keyId, label: certificate.label });
        }
      }
    }
    const caCertificates = [...raw.filter((entry) => isCaCertificate(entry.der)).map((entry) => entry.der), ...(options.trustAnchors ?? [])];
    const crls = (options.crls?.() ?? []).flatMap((crl) => {
      try {
        return [parseCrl(crl)];
      } catch {
        return [];
      }
    });
    const infos: CertificateInfo[] = [];
    records.clear();
    for (const entry of raw) {
      if (isCaCertificate(entry.der) && entry.keyId === null) continue;
      const parsed = new x509.X509Certificate(entry.der);
      const keyAlgorithm = keyAlgorithmOf(parsed);
      if (!keyAlgorithm) continue; // A key type KySo cannot sign with (DSA, Ed25519): not offered.
      const info = await parseCertificateInfo(entry.der, {
        tokenId: entry.token.id,
        tokenSerial: entry.token.serial || keyOf(entry.token),
        label: entry.label,
        hasPrivateKey: entry.keyId !== null,
        caCertificates,
        crls,
      });
      infos.push(info);
      records.set(info.id, {
        module: entry.module,
        token: entry.token,
        keyId: entry.keyId,
        der: entry.der,
        chain: info.chain.map((der) => new Uint8Array(Buffer.from(der, "base64"))),
        keyAlgorithm,
      });
    }
    return infos;
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
    let record = records.get(request.certificateId);
    if (!record) {
      await listCertificates();
      record = records.get(request.certificateId);
    }
    if (!record || record.keyId === null) throw new KysoError("certificate_not_found", request.certificateId);
    const supervisor = record.module.supervisor;
    if (!supervisor) throw new KysoError("module_unavailable", record.module.candidate.path);
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
    refresh: () => refresh(),
    // Asks the hosts rather than returning the last poll: callers want the PIN state as of now.
    listTokens: () => refresh(),
    listCertificates,
    openSigner,
    diagnostics: () => modules.map((module) => module.diagnostic),
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
    },
  };
}

function vendor(candidate: ModuleCandidate): { vendor?: string } {
  return candidate.vendor ? { vendor: candidate.vendor } : {};
}

/** The host's token key is the part of TokenInfo.id after the module id. */
function keyOf(token: TokenInfo): string {
  return token.id.slice(token.moduleId.length + 1);
}

function tokenInfo(moduleId: string, token: HostToken): TokenInfo {
  return {
    id: `${moduleId}:${token.key}`,
    label: token.label,
    manufacturer: token.manufacturer,
    model: token.model,
    serial: token.serial,
    moduleId,
    pinStatus: token.pinStatus,
    protectedAuthenticationPath: token.protectedAuthenticationPath,
    loginRequired: token.loginRequired,
  };
}

/** What counts as a change worth an event: a token in or out, or its PIN state. */
function tokensSignature(tokens: readonly TokenInfo[]): string {
  return tokens
    .map((token) => `${token.id}|${token.pinStatus}`)
    .sort()
    .join(",");
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const reason: unknown = signal.reason;
  throw reason instanceof KysoError ? reason : toKysoError(new KysoError("user_rejected", "approval withdrawn"));
}

/**
 * Remote signing accounts as a certificate source beside the PKCS#11 tokens (issue 16, step 2). Each policy
 * provider the user has an account at is one pseudo-token (`remote:<providerId>`); its credentials go through the
 * same `CertificateCache` as a token's objects (parsed once, chain built against the same trust anchors, the same
 * problems: validity, key usage, weak algorithm), so the bridge's candidate checks (revocation gate, dry run, MST
 * rule, evidence) treat them exactly like token certificates. It implements `TokenService`, the seam both sources
 * share; `combineCertificateSources` (tokens/combined-sources.ts) puts the two side by side.
 */
import { KysoError } from "../../domain/errors/index.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import type { BatchSigner } from "../../domain/signer.js";
import type { TokenInfo } from "../../domain/token.js";
import type { RemoteAccountSetting } from "../app-api/views.js";
import type { RemoteProviderPolicy } from "../policy/policy-schema.js";
import { CertificateCache, type RawCertificate } from "../tokens/certificate-cache.js";
import type { OpenedSigner, OpenSignerOptions, TokenEvent, TokenService } from "../tokens/token-service.js";
import { CscProvider } from "./csc.js";
import { NeacProvider } from "./neac.js";
import { RemoteSigner } from "./remote-signer.js";
import type { RemoteSignIn } from "./csc-sign-in.js";
import type { SecretStoreStatus } from "./os-secret-store.js";
import type { SecretStore } from "./secret-store.js";
import { systemClock, type FetchLike, type RemoteClock, type RemoteProvider } from "./types.js";
import { ViettelMySignProvider } from "./viettel-mysign.js";
import { VnptSmartCaProvider } from "./vnpt-smartca.js";

/** What the app (or a test) supplies that the policy cannot: transport, time, and the CSC sign-in steps. */
export interface RemoteSourceHooks {
  readonly fetch?: FetchLike;
  readonly clock?: RemoteClock;
  /** VNPT polling interval (tests: any value, the clock is fake). */
  readonly pollIntervalMs?: number;
  /**
   * CSC: the sign-in the user starts from the settings page (`remote.signIn`): loopback redirect listener and the
   * system browser (csc-sign-in.ts `loopbackSignIn`; the shell supplies the browser).
   */
  readonly cscSignIn?: RemoteSignIn;
  /** CSC, older hook (tests): opens the authorize URL and resolves with the `code`, on demand whenever not signed in. */
  readonly cscAuthorize?: (url: string, state: string) => Promise<string>;
  /** CSC explicit mode: asks the user for the OTP (never stored). */
  readonly cscOtp?: () => Promise<string>;
  /** CSC OAuth tokens and MySign sessions (the OS secret store in the app); default: each provider's memory. */
  readonly secretStore?: SecretStore;
  /** Whether `secretStore` can keep anything (os-secret-store.ts); absent: memory (tests, sandbox). */
  readonly secretStoreStatus?: () => SecretStoreStatus;
}

export interface RemoteSourceOptions {
  readonly providers: readonly RemoteProviderPolicy[];
  /** The user's accounts by provider id (settings), read at each listing. */
  readonly accounts: () => Readonly<Record<string, RemoteAccountSetting>>;
  readonly trustAnchors?: readonly Uint8Array[];
  readonly hooks?: RemoteSourceHooks;
}

export const REMOTE_TOKEN_PREFIX = "remote:";

/**
 * How long a certificate listing waits for a provider. Listing runs whenever a portal or the approval lists
 * certificates; a provider that is down must not hold each of those for the 30 s a signing request may take
 * (REQUEST_TIMEOUT_MS): a healthy service answers `get_certificate`/`credentials/list` in well under a second.
 */
export const LIST_TIMEOUT_MS = 5_000;
/** After a failed listing the provider is skipped for BACKOFF_BASE_MS, doubling per failure up to BACKOFF_MAX_MS. */
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 10 * 60_000;

/** A provider whose listing failed: skipped until `until` (the injected clock), shown in diagnostics. */
export interface ListingBackoff {
  readonly failures: number;
  readonly until: number;
  readonly reason: string;
}

/** Rejects with `remote_unavailable` after `ms`, whatever the provider's own (longer) request timeout. */
function withListTimeout<T>(promise: Promise<T>, ms: number, provider: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KysoError("remote_unavailable", `${provider}: no certificate list within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const KIND_NAMES: Record<RemoteProviderPolicy["kind"], string> = { "vnpt-smartca": "VNPT SmartCA", neac: "NEAC eSign", csc: "CSC", "viettel-mysign": "Viettel MySign" };

export function providerFromPolicy(policy: RemoteProviderPolicy, hooks: RemoteSourceHooks = {}): RemoteProvider {
  const common = { baseUrl: policy.baseUrl, ...(hooks.fetch ? { fetch: hooks.fetch } : {}), ...(hooks.clock ? { clock: hooks.clock } : {}) };
  switch (policy.kind) {
    case "vnpt-smartca":
      return new VnptSmartCaProvider({ ...common, spId: policy.spId ?? "", spPassword: policy.spPassword ?? "", ...(hooks.pollIntervalMs ? { pollIntervalMs: hooks.pollIntervalMs } : {}) });
    case "neac":
      return new NeacProvider({ ...common, spId: policy.spId ?? "", spPassword: policy.spPassword ?? "" });
    case "csc":
      return new CscProvider({
        ...common,
        clientId: policy.clientId ?? "",
        redirectUri: policy.redirectUri ?? "",
        ...(policy.clientSecret ? { clientSecret: policy.clientSecret } : {}),
        ...(hooks.cscSignIn ? { signIn: hooks.cscSignIn } : {}),
        ...(hooks.cscAuthorize ? { authorize: hooks.cscAuthorize } : {}),
        ...(hooks.cscOtp ? { otp: hooks.cscOtp } : {}),
        ...(hooks.secretStore ? { secretStore: hooks.secretStore } : {}),
      });
    case "viettel-mysign":
      return new ViettelMySignProvider({
        ...common,
        clientId: policy.clientId ?? "",
        clientSecret: policy.clientSecret ?? "",
        ...(policy.profileId ? { profileId: policy.profileId } : {}),
        ...(policy.auth ? { auth: policy.auth } : {}),
        ...(hooks.secretStore ? { secretStore: hooks.secretStore } : {}),
        ...(hooks.pollIntervalMs ? { pollIntervalMs: hooks.pollIntervalMs } : {}),
      });
  }
}

/** The pseudo-token of one account: no PIN typed in KySo (the phone confirms), so it reads as a PIN-pad token. */
function pseudoToken(policy: RemoteProviderPolicy): TokenInfo {
  const name = policy.name ?? KIND_NAMES[policy.kind];
  return {
    id: `${REMOTE_TOKEN_PREFIX}${policy.id}`,
    label: name,
    manufacturer: name,
    model: policy.kind,
    serial: `remote-${policy.id}`,
    moduleId: `${REMOTE_TOKEN_PREFIX}${policy.id}`,
    pinStatus: "ok",
    protectedAuthenticationPath: true,
    loginRequired: false,
  };
}

export function isRemoteTokenId(tokenId: string): boolean {
  return tokenId.startsWith(REMOTE_TOKEN_PREFIX);
}

export interface RemoteSource extends TokenService {
  /** The listing back-off of one provider, if its last listing failed (tests, diagnostics). */
  backoff(providerId: string): ListingBackoff | undefined;
  /** Settings changed: an added, changed or removed account shows (or leaves) at once; `force` reads all again. */
  refresh(force?: boolean): void;
  /** Signed out: the account's credentials leave the list at once (a failed reload would keep the old ones). */
  forget(providerId: string): void;
  /** Each configured provider's client, by provider id (the settings page's sign-in, remote-accounts.ts). */
  readonly clients: ReadonlyMap<string, RemoteProvider>;
}

/** Failures that wait on the user, not on the service: they never start a back-off. */
const USER_STATES: ReadonlySet<string> = new Set(["remote_sign_in_required", "secret_store_unavailable"]);

export function createRemoteSource(options: RemoteSourceOptions): RemoteSource {
  const hooks = options.hooks ?? {};
  const cache = new CertificateCache<string>({ ...(options.trustAnchors ? { trustAnchors: options.trustAnchors } : {}) });
  const providers = new Map(options.providers.map((p) => [p.id, { policy: p, client: providerFromPolicy(p, hooks), token: pseudoToken(p) }]));
  const listeners = new Set<(event: TokenEvent) => void>();
  /** The account each pseudo-token was loaded for: a changed account id is read again. */
  const loadedFor = new Map<string, string>();
  const now = (): number => (hooks.clock ?? systemClock).now();
  const backoff = new Map<string, ListingBackoff>();

  /**
   * One listing of one provider, bounded by LIST_TIMEOUT_MS, and skipped at once (no request) while the provider
   * is backing off: the cache retries a failed read at every listing, which must not wait on a dead service.
   */
  const listOnce = async (id: string, client: RemoteProvider, account: RemoteAccountSetting) => {
    const current = backoff.get(id);
    if (current && now() < current.until) throw new KysoError("remote_unavailable", `${id}: listing skipped after ${current.failures} failure(s)`);
    try {
      const credentials = await withListTimeout(client.listCredentials(account), LIST_TIMEOUT_MS, id);
      backoff.delete(id);
      return credentials;
    } catch (error) {
      // Only a service that did not answer backs off. An account waiting for the user (not signed in yet) is
      // not "down": the user's sign-in lists it at once (a forced refresh), and diagnostics must not blame the CA.
      if (error instanceof KysoError && USER_STATES.has(error.code)) throw error;
      const failures = (current?.failures ?? 0) + 1;
      const wait = Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
      const reason = error instanceof KysoError ? error.code : "error";
      backoff.set(id, { failures, until: now() + wait, reason });
      throw error;
    }
  };

  const configured = (): { policy: RemoteProviderPolicy; client: RemoteProvider; token: TokenInfo; account: RemoteAccountSetting }[] => {
    const accounts = options.accounts();
    return [...providers.values()].flatMap((p) => (accounts[p.policy.id] ? [{ ...p, account: accounts[p.policy.id]! }] : []));
  };

  /** Starts a (re)load of every configured account whose account changed; drops the ones no longer configured. */
  const sync = (force: boolean): boolean => {
    let changed = false;
    const live = configured();
    for (const [tokenId] of loadedFor) {
      if (!live.some((p) => p.token.id === tokenId)) {
        cache.drop(tokenId);
        loadedFor.delete(tokenId);
        changed = true;
      }
    }
    for (const { client, token, account } of live) {
      const key = JSON.stringify(account);
      if (!force && loadedFor.get(token.id) === key) continue;
      // Another account id at the provider says nothing of the old one's back-off; a forced refresh is the user
      // asking (signed in, changed a setting, pressed refresh), which a back-off must never swallow.
      if (force || (loadedFor.has(token.id) && loadedFor.get(token.id) !== key)) backoff.delete(token.id.slice(REMOTE_TOKEN_PREFIX.length));
      loadedFor.set(token.id, key);
      changed = true;
      const id = token.id.slice(REMOTE_TOKEN_PREFIX.length);
      void cache.load(token, token.id, token.serial, async (): Promise<RawCertificate[]> => {
        const credentials = await listOnce(id, client, account);
        // The chain's CA certificates go in as key-less objects: they complete chains and are never offered.
        return credentials.flatMap((c) => [
          { der: c.certificate, keyId: c.id, label: token.label },
          ...c.chain.map((der) => ({ der, keyId: null, label: token.label })),
        ]);
      });
    }
    return changed;
  };

  const emit = (): void => {
    const event: TokenEvent = { kind: "tokensChanged", tokens: configured().map((p) => p.token) };
    for (const listener of listeners) listener(event);
  };

  return {
    async listTokens() {
      sync(false);
      return configured().map((p) => p.token);
    },
    async listCertificates(): Promise<readonly CertificateInfo[]> {
      sync(false);
      return cache.list();
    },
    async openSigner(request: OpenSignerOptions): Promise<OpenedSigner & BatchSigner> {
      const record = cache.find(request.certificateId);
      const entry = record ? providers.get(record.owner.slice(REMOTE_TOKEN_PREFIX.length)) : undefined;
      const account = entry ? options.accounts()[entry.policy.id] : undefined;
      if (!record || !entry || !account || record.keyId === null) throw new KysoError("certificate_not_found", "no such remote credential");
      const confirmation = request.confirmation;
      const signer = new RemoteSigner(
        entry.client,
        account,
        { id: record.keyId, certificate: record.der, chain: record.chain, keyAlgorithm: record.keyAlgorithm },
        { description: confirmation?.description ?? "KySo", origin: confirmation?.origin ?? "" },
        {
          ...(confirmation?.onState ? { onState: confirmation.onState } : {}),
          ...(confirmation?.otp ? { otp: confirmation.otp } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        },
      );
      // One phone confirmation at a time: a batch's items are signed ahead in the workers, but the user must not
      // get several prompts at once (as a token signs one digest at a time).
      let queue: Promise<unknown> = Promise.resolve();
      return {
        certificateId: request.certificateId,
        certificate: signer.certificate,
        chain: signer.chain,
        keyAlgorithm: signer.keyAlgorithm,
        signDigest(digestRequest) {
          const run = queue.then(() => signer.signDigest(digestRequest));
          queue = run.catch(() => undefined);
          return run;
        },
        // A batch: every digest in one provider transaction, one confirmation (remote-signer.ts).
        signDigests(digestRequests) {
          const run = queue.then(() => signer.signDigests(digestRequests));
          queue = run.catch(() => undefined);
          return run;
        },
        close: async () => undefined,
      };
    },
    clients: new Map([...providers].map(([id, p]) => [id, p.client])),
    // A provider whose listing failed shows in diagnostics beside the modules until it answers again.
    diagnostics: () =>
      [...backoff].flatMap(([id, state]) => {
        const entry = providers.get(id);
        if (!entry) return [];
        const seconds = Math.max(0, Math.ceil((state.until - now()) / 1000));
        return [{
          id: `${REMOTE_TOKEN_PREFIX}${id}`,
          path: entry.policy.baseUrl,
          source: "policy" as const,
          status: { kind: "failed" as const, code: "error", reason: `${entry.token.label}: certificate listing failed ${state.failures} time(s) (${state.reason}); next try in ${seconds} s` },
        }];
      }),
    backoff: (id: string) => backoff.get(id),
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    refresh(force = false) {
      if (sync(force)) emit();
    },
    forget(providerId) {
      const tokenId = `${REMOTE_TOKEN_PREFIX}${providerId}`;
      cache.drop(tokenId);
      loadedFor.delete(tokenId);
      emit();
    },
    async close() {
      listeners.clear();
    },
  };
}

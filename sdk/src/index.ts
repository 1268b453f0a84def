/**
 * KySo portal SDK: a dependency-free ES module for web portals.
 *
 *   import { connect } from "./kyso-sdk.js";
 *   const kyso = await connect();                         // wss first, then ws, over the fallback ports
 *   const { origin } = await kyso.hello();
 *   if (origin.trust === "none") await kyso.pair();       // the user allows this site in the app
 *   const [cert] = await kyso.listCertificates({ taxCode: "0101234567", validOnly: true });
 *   const { document } = await kyso.sign({ format: "pades", document: base64Pdf, certificateId: cert.id });
 *   kyso.onClose(() => showReconnect());                   // pending calls have already rejected
 *   const again = await connectWithRetry({ retry: { attempts: 5 } });
 *
 * A portal in an iframe needs `<iframe allow="loopback-network" ...>` (Chrome's Local Network Access),
 * otherwise the connection is blocked inside the browser. When the permission is not decided yet, `connect()`
 * makes the browser ask the user first (a CORS fetch to the bridge's `/kyso/v1/reach`), then connects.
 */
import { DEFAULT_PORTS } from "./protocol.js";
import { AppNotRunningError, LocalNetworkAccessError } from "./errors.js";
import { createClient, type ClientTimeouts, type KysoClient } from "./client.js";
import { retryDelayMs } from "./retry.js";

export * from "./protocol.js";
export * from "./errors.js";
export * from "./client.js";
export { retryDelayMs } from "./retry.js";

export interface ConnectOptions extends ClientTimeouts {
  /** Ports to try, in order; defaults to the documented ones. */
  readonly ports?: { readonly wss?: readonly number[]; readonly ws?: readonly number[] };
  /** Try wss only, ws only, or both (default: wss then ws). */
  readonly schemes?: readonly ("wss" | "ws")[];
  /** Per attempt, ms (default 2000). */
  readonly attemptTimeoutMs?: number;
  /** Shown in AppNotRunningError's guidance. */
  readonly installUrl?: string;
  /** Injected in tests; defaults to the global WebSocket. */
  readonly WebSocket?: typeof WebSocket;
  /** Injected in tests; defaults to the global fetch (used only to get the Local Network Access prompt shown). */
  readonly fetch?: typeof fetch;
  /**
   * How long to wait for the user to answer the browser's Local Network Access prompt (default 120 000 ms); then
   * the SDK goes on as if unanswered (the sockets fail, `AppNotRunningError`).
   */
  readonly permissionTimeoutMs?: number;
}

const DEFAULT_INSTALL_URL = "https://github.com/kyso-app/kyso/releases";
const DEFAULT_PERMISSION_TIMEOUT_MS = 120_000;

function open(Socket: typeof WebSocket, url: string, timeoutMs: number): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new Socket(url);
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error("timeout"));
    }, timeoutMs);
    socket.onopen = () => {
      clearTimeout(timer);
      resolve(socket);
    };
    socket.onerror = () => {
      clearTimeout(timer);
      reject(new Error("error"));
    };
  });
}

/** The Permissions API state, declared here so the SDK's types do not depend on the DOM lib version a portal uses. */
export type LocalNetworkPermissionState = "granted" | "denied" | "prompt";

interface NavigatorWithPermissions {
  readonly permissions?: { query(descriptor: { name: string }): Promise<{ state: LocalNetworkPermissionState }> };
}

/**
 * The permission names a browser may know for reaching 127.0.0.1, newest first: "loopback-network" (Chromium
 * 145+, the one for loopback), "local-network-access" (the older name, covering loopback too), "local-network"
 * (145+, the local network; only consulted when neither of the others exists).
 */
export const LOCAL_NETWORK_PERMISSIONS = ["loopback-network", "local-network-access", "local-network"] as const;

/** The bridge's one plain-HTTP path (docs/protocol.md, "Browsers: Local Network Access"). */
export const REACH_PATH = "/kyso/v1/reach";

/**
 * Chrome's Local Network Access permission for this page, under the first name the browser knows
 * (`LOCAL_NETWORK_PERMISSIONS`). Undefined when the browser has no such permission.
 */
export async function localNetworkPermission(): Promise<LocalNetworkPermissionState | undefined> {
  const permissions = (globalThis as { navigator?: NavigatorWithPermissions }).navigator?.permissions;
  if (!permissions) return undefined;
  for (const name of LOCAL_NETWORK_PERMISSIONS) {
    try {
      return (await permissions.query({ name })).state;
    } catch {
      // not a permission this browser knows
    }
  }
  return undefined;
}

/** The reach URL on a listener's loopback origin: `wss://127.0.0.1:P/` → `https://127.0.0.1:P/kyso/v1/reach`. */
export function reachUrl(socketUrl: string): string {
  const url = new URL(socketUrl);
  return `${url.protocol === "wss:" ? "https:" : "http:"}//${url.host}${REACH_PATH}`;
}

/**
 * The fetch init for the reach request: CORS, no cookies, no cache, and `targetAddressSpace: "loopback"` where
 * the browser knows that value (it tells Chromium up front that this is a loopback request, so the permission is
 * asked before anything is sent). A browser that knows the member but not the value would reject the whole
 * fetch with a TypeError, so the value is tried on a `Request` first and left out when refused.
 */
function reachInit(url: string): RequestInit {
  // Declared loosely: `cache` and `targetAddressSpace` are not in every lib's RequestInit (Node's, older DOM libs).
  const init: Record<string, unknown> = { method: "GET", mode: "cors", credentials: "omit", cache: "no-store", redirect: "error" };
  const withSpace = { ...init, targetAddressSpace: "loopback" };
  try {
    if (typeof Request === "function") new Request(url, withSpace as RequestInit);
    return withSpace as RequestInit;
  } catch {
    return init as RequestInit;
  }
}

type AskOutcome = "reached" | "denied" | "undecided";

/**
 * Gets the browser to ask the user (permission `prompt`): a CORS fetch to the bridge's loopback origin, which
 * Chromium shows its prompt for (a bare WebSocket often fails silently instead). One listener answering is
 * enough; a fetch that fails leaves the decision to the permission state read again afterwards.
 */
async function askLocalNetworkPermission(urls: readonly string[], fetchFn: typeof fetch, timeoutMs: number): Promise<AskOutcome> {
  for (const url of new Set(urls.map(reachUrl))) {
    const controller = typeof AbortController === "function" ? new AbortController() : undefined;
    const timer = controller && timeoutMs > 0 && Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(), timeoutMs) : undefined;
    try {
      const init = reachInit(url);
      await fetchFn(url, controller ? { ...init, signal: controller.signal } : init);
      return "reached"; // any answer, even a 403: the browser let the page reach 127.0.0.1
    } catch {
      // Nobody answered the prompt in time: asking again on the next port would only queue another one.
      if (controller?.signal.aborted) return "undecided";
      const state = await localNetworkPermission();
      if (state === "denied") return "denied";
      if (state === "granted") return "undecided"; // allowed, nothing on this port: the sockets will tell
    } finally {
      clearTimeout(timer);
    }
  }
  return "undecided";
}

/**
 * Opens the first port that answers; `AppNotRunningError` or `LocalNetworkAccessError` when none does.
 *
 * When the page's Local Network Access permission is `prompt`, the SDK first makes the browser ask the user (a
 * CORS fetch to `REACH_PATH` on the loopback listeners), then opens the WebSocket. `LocalNetworkAccessError` only
 * when the permission is `denied` (by the user, or by the browser's own rules), never merely `prompt`.
 */
export async function connect(options: ConnectOptions = {}): Promise<KysoClient> {
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const schemes = options.schemes ?? ["wss", "ws"];
  const attempts: string[] = [];
  for (const scheme of schemes) {
    for (const port of options.ports?.[scheme] ?? DEFAULT_PORTS[scheme]) attempts.push(`${scheme}://127.0.0.1:${port}/`);
  }
  const fetchFn = options.fetch ?? (typeof globalThis.fetch === "function" ? globalThis.fetch.bind(globalThis) : undefined);
  if (fetchFn && (await localNetworkPermission()) === "prompt") {
    const asked = await askLocalNetworkPermission(attempts, fetchFn, options.permissionTimeoutMs ?? DEFAULT_PERMISSION_TIMEOUT_MS);
    if (asked === "denied") throw new LocalNetworkAccessError("denied");
  }
  for (const url of attempts) {
    try {
      return createClient(await open(Socket, url, options.attemptTimeoutMs ?? 2000), url, options);
    } catch {
      // next port / scheme
    }
  }
  if ((await localNetworkPermission()) === "denied") throw new LocalNetworkAccessError("denied");
  throw new AppNotRunningError(options.installUrl ?? DEFAULT_INSTALL_URL);
}

export interface RetryOptions {
  /** Connection attempts in all, each over every port (default 5, at most 20). */
  readonly attempts?: number;
  /** First back-off, ms (default 500); doubles each attempt. */
  readonly baseDelayMs?: number;
  /** Back-off ceiling, ms (default 10 000). */
  readonly maxDelayMs?: number;
  /** Stops waiting: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Called before each wait, e.g. to show "KySo not found, retrying in 2 s". */
  readonly onRetry?: (info: { readonly attempt: number; readonly delayMs: number; readonly error: AppNotRunningError }) => void;
}

/**
 * `connect` with bounded retries for a KySo that is starting (or restarting after an update): waits with
 * exponential back-off and jitter between attempts. Only `AppNotRunningError` is retried; a blocked browser
 * permission needs the user and is thrown at once, as is the last `AppNotRunningError`.
 */
export async function connectWithRetry(options: ConnectOptions & { readonly retry?: RetryOptions } = {}): Promise<KysoClient> {
  const retry = options.retry ?? {};
  const attempts = Math.min(20, Math.max(1, Math.floor(retry.attempts ?? 5)));
  for (let attempt = 1; ; attempt++) {
    retry.signal?.throwIfAborted();
    try {
      return await connect(options);
    } catch (error) {
      if (!(error instanceof AppNotRunningError) || attempt >= attempts) throw error;
      const delayMs = retryDelayMs(attempt, retry.baseDelayMs ?? 500, retry.maxDelayMs ?? 10_000);
      retry.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs, retry.signal);
    }
  }
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

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
 * otherwise the connection is blocked inside the browser.
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
}

const DEFAULT_INSTALL_URL = "https://github.com/kyso-app/kyso/releases";

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
 * Chrome's Local Network Access permission, where the browser exposes it ("loopback-network" is the newer
 * name, "local-network-access" the older). Undefined when the browser has no such permission.
 */
export async function localNetworkPermission(): Promise<LocalNetworkPermissionState | undefined> {
  const permissions = (globalThis as { navigator?: NavigatorWithPermissions }).navigator?.permissions;
  if (!permissions) return undefined;
  for (const name of ["loopback-network", "local-network-access"]) {
    try {
      return (await permissions.query({ name })).state;
    } catch {
      // not a permission this browser knows
    }
  }
  return undefined;
}

/** Opens the first port that answers; `AppNotRunningError` or `LocalNetworkAccessError` when none does. */
export async function connect(options: ConnectOptions = {}): Promise<KysoClient> {
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const schemes = options.schemes ?? ["wss", "ws"];
  const attempts: string[] = [];
  for (const scheme of schemes) {
    for (const port of options.ports?.[scheme] ?? DEFAULT_PORTS[scheme]) attempts.push(`${scheme}://127.0.0.1:${port}/`);
  }
  for (const url of attempts) {
    try {
      return createClient(await open(Socket, url, options.attemptTimeoutMs ?? 2000), url, options);
    } catch {
      // next port / scheme
    }
  }
  const permission = await localNetworkPermission();
  if (permission === "denied" || permission === "prompt") throw new LocalNetworkAccessError(permission);
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

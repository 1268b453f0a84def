/**
 * KySo portal SDK: a dependency-free ES module for web portals.
 *
 *   import { connect } from "./kyso-sdk.js";
 *   const kyso = await connect();                         // wss first, then ws, over the fallback ports
 *   const { origin } = await kyso.hello();
 *   if (origin.trust === "none") await kyso.pair();       // the user allows this site in the app
 *   const [cert] = await kyso.listCertificates({ taxCode: "0101234567", validOnly: true });
 *   const { document } = await kyso.sign({ format: "pades", document: base64Pdf, certificateId: cert.id });
 *
 * A portal in an iframe needs `<iframe allow="loopback-network" ...>` (Chrome's Local Network Access),
 * otherwise the connection is blocked inside the browser.
 */
import {
  DEFAULT_PORTS,
  type CertificateFilter,
  type CertificateSummary,
  type HelloResult,
  type Method,
  type Methods,
  type NotificationName,
  type Notifications,
  type PairResult,
  type ServerMessage,
  type SignBatchParams,
  type SignBatchResult,
  type SignParams,
  type SignResult,
  type TokenSummary,
  type BatchProgress,
} from "./protocol.js";
import { AppNotRunningError, errorFromWire, LocalNetworkAccessError, ProtocolError } from "./errors.js";

export * from "./protocol.js";
export * from "./errors.js";

export interface ConnectOptions {
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

export interface KysoClient {
  readonly url: string;
  hello(): Promise<HelloResult>;
  pair(): Promise<PairResult>;
  listTokens(): Promise<readonly TokenSummary[]>;
  listCertificates(filter?: CertificateFilter): Promise<readonly CertificateSummary[]>;
  sign(params: SignParams): Promise<SignResult>;
  signBatch(params: SignBatchParams, options?: { onProgress?: (progress: BatchProgress) => void }): Promise<SignBatchResult>;
  on<N extends NotificationName>(event: N, listener: (params: Notifications[N]) => void): () => void;
  close(): void;
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

export async function connect(options: ConnectOptions = {}): Promise<KysoClient> {
  const Socket = options.WebSocket ?? globalThis.WebSocket;
  const schemes = options.schemes ?? ["wss", "ws"];
  const attempts: string[] = [];
  for (const scheme of schemes) {
    for (const port of options.ports?.[scheme] ?? DEFAULT_PORTS[scheme]) attempts.push(`${scheme}://127.0.0.1:${port}/`);
  }
  for (const url of attempts) {
    try {
      return createClient(await open(Socket, url, options.attemptTimeoutMs ?? 2000), url);
    } catch {
      // next port / scheme
    }
  }
  const permission = await localNetworkPermission();
  if (permission === "denied" || permission === "prompt") throw new LocalNetworkAccessError(permission);
  throw new AppNotRunningError(options.installUrl ?? DEFAULT_INSTALL_URL);
}

function createClient(socket: WebSocket, url: string): KysoClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, Set<(params: unknown) => void>>();
  const progress = new Map<number, (p: BatchProgress) => void>();

  socket.onmessage = (event) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data)) as ServerMessage;
    } catch {
      return;
    }
    if (!("id" in message)) {
      if (message.method === "batchProgress") {
        const params = message.params as BatchProgress;
        progress.get(Number(params.requestId))?.(params);
      }
      for (const listener of listeners.get(message.method) ?? []) listener(message.params);
      return;
    }
    const waiter = typeof message.id === "number" ? pending.get(message.id) : undefined;
    if (!waiter) return;
    pending.delete(message.id as number);
    if ("error" in message) waiter.reject(errorFromWire(message.error));
    else waiter.resolve(message.result);
  };
  socket.onclose = (event) => {
    const error =
      event.code === 1009
        ? new ProtocolError("message too large for KySo", "invalid_request", "Tài liệu quá lớn / the document is too large")
        : new ProtocolError("connection to KySo closed", "internal", "Mất kết nối tới KySo, hãy thử lại / lost connection to KySo, try again");
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };

  function call<M extends Method>(method: M, params?: Methods[M]["params"], onProgress?: (p: BatchProgress) => void): Promise<Methods[M]["result"]> {
    const id = nextId++;
    if (onProgress) progress.set(id, onProgress);
    return new Promise<Methods[M]["result"]>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params !== undefined ? { params } : {}) }));
    }).finally(() => progress.delete(id));
  }

  return {
    url,
    hello: () => call("hello"),
    pair: () => call("pair"),
    listTokens: () => call("tokens.list"),
    listCertificates: (filter) => call("certificates.list", filter ? { filter } : undefined),
    sign: (params) => call("sign", params),
    signBatch: (params, options) => call("signBatch", params, options?.onProgress),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (params: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (params: unknown) => void);
    },
    close: () => socket.close(),
  };
}

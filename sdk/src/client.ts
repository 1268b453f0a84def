/**
 * One open connection to KySo: JSON-RPC calls with per-call timeouts, notifications, and a closed state so no
 * call ever waits on a socket that is gone.
 */
import type {
  BatchProgress,
  CertificateFilter,
  CertificateSummary,
  HelloResult,
  Method,
  Methods,
  NotificationName,
  Notifications,
  PairResult,
  ServerMessage,
  SignBatchParams,
  SignBatchResult,
  SignParams,
  SignResult,
  TokenSummary,
} from "./protocol.js";
import { CLOSE_CODES } from "./protocol.js";
import { CallTimeoutError, ConnectionClosedError, errorFromWire, OriginNotAllowedError, ProtocolError, type KysoSdkError } from "./errors.js";

export interface CallOptions {
  /**
   * Give up waiting after this many ms with a `CallTimeoutError` (the id is forgotten; a late answer is ignored).
   * `0` or `Infinity`: wait until KySo answers or the connection closes.
   */
  readonly timeoutMs?: number;
}

export interface SignBatchOptions extends CallOptions {
  readonly onProgress?: (progress: BatchProgress) => void;
}

export interface ClientTimeouts {
  /** `hello`, `tokens.list`, `certificates.list` (default 15 000 ms). */
  readonly timeoutMs?: number;
  /**
   * `sign`, `signBatch`, `pair`, which wait for the user. Default: none — KySo itself answers `timeout` when the
   * approval is not decided in time (policy `approvalTimeoutSeconds`, 120 s by default), and a closed connection
   * rejects at once. Set it a margin above the organisation's approval timeout if you want a bound of your own.
   */
  readonly signingTimeoutMs?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 15_000;

export interface KysoClient {
  readonly url: string;
  /** True once the socket closed or `close()` was called; every call then rejects with `ConnectionClosedError`. */
  readonly closed: boolean;
  /** Calls sent and not yet answered, timed out or rejected. */
  readonly pendingCalls: number;
  hello(options?: CallOptions): Promise<HelloResult>;
  pair(options?: CallOptions): Promise<PairResult>;
  listTokens(options?: CallOptions): Promise<readonly TokenSummary[]>;
  listCertificates(filter?: CertificateFilter, options?: CallOptions): Promise<readonly CertificateSummary[]>;
  sign(params: SignParams, options?: CallOptions): Promise<SignResult>;
  signBatch(params: SignBatchParams, options?: SignBatchOptions): Promise<SignBatchResult>;
  on<N extends NotificationName>(event: N, listener: (params: Notifications[N]) => void): () => void;
  /** Called once when the connection closes (by either side). */
  onClose(listener: (error: ConnectionClosedError) => void): () => void;
  close(): void;
}

const SIGNING_METHODS: ReadonlySet<Method> = new Set<Method>(["sign", "signBatch", "pair"]);
/** WebSocket.OPEN, as a number: `ws` in Node and the browser agree on it. */
const OPEN = 1;

function effectiveTimeout(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

interface Waiter {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

export function createClient(socket: WebSocket, url: string, timeouts: ClientTimeouts = {}): KysoClient {
  let nextId = 1;
  let closedBy: ConnectionClosedError | undefined;
  /** What calls reject with once closed, when it says more than `closedBy` (a refused origin). */
  let callError: KysoSdkError | undefined;
  const pending = new Map<number, Waiter>();
  const listeners = new Map<string, Set<(params: unknown) => void>>();
  const closeListeners = new Set<(error: ConnectionClosedError) => void>();
  const progress = new Map<number, (p: BatchProgress) => void>();

  /** Enters the closed state once: every pending call rejects now, later calls reject before sending. */
  function markClosed(code: number, reason = ""): void {
    if (closedBy) return;
    closedBy = new ConnectionClosedError(code);
    // 4001: KySo refused this origin at the handshake; every call (pending or later) says so, not "closed".
    if (code === CLOSE_CODES.originNotAllowed) callError = new OriginNotAllowedError(reason || "origin_not_allowed", code);
    // 1009: the bridge refused a message over its size cap, which was one of the pending calls'.
    const pendingError: KysoSdkError =
      code === CLOSE_CODES.messageTooBig
        ? new ProtocolError("message too large for KySo", "invalid_request", "Tài liệu quá lớn / the document is too large")
        : (callError ?? closedBy);
    const waiters = [...pending.values()];
    pending.clear();
    for (const waiter of waiters) waiter.reject(pendingError);
    for (const listener of closeListeners) listener(closedBy);
    closeListeners.clear();
  }

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
    if (!waiter) return; // unknown, or a call that already timed out
    pending.delete(message.id as number);
    if ("error" in message) waiter.reject(errorFromWire(message.error));
    else waiter.resolve(message.result);
  };
  socket.onclose = (event) => markClosed(event.code, event.reason);

  function call<M extends Method>(method: M, params: Methods[M]["params"] | undefined, options: SignBatchOptions | undefined): Promise<Methods[M]["result"]> {
    if (closedBy) return Promise.reject(callError ?? closedBy);
    const id = nextId++;
    // A socket that is CLOSING drops sends silently in browsers: send nothing and wait for its close event, which
    // always follows and carries the code (a refused origin's 4001 arrives this way right after the open).
    if (socket.readyState !== OPEN) {
      return new Promise<Methods[M]["result"]>((resolve, reject) => pending.set(id, { resolve: resolve as (value: unknown) => void, reject }));
    }
    const timeoutMs = effectiveTimeout(
      options?.timeoutMs ?? (SIGNING_METHODS.has(method) ? timeouts.signingTimeoutMs : (timeouts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS)),
    );
    if (options?.onProgress) progress.set(id, options.onProgress);
    let timer: ReturnType<typeof setTimeout> | undefined;
    return new Promise<Methods[M]["result"]>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          if (!pending.delete(id)) return;
          reject(new CallTimeoutError(method, timeoutMs));
        }, timeoutMs);
      }
      socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params !== undefined ? { params } : {}) }));
    }).finally(() => {
      clearTimeout(timer);
      pending.delete(id);
      progress.delete(id);
    });
  }

  return {
    url,
    get closed() {
      return closedBy !== undefined;
    },
    get pendingCalls() {
      return pending.size;
    },
    hello: (options) => call("hello", undefined, options),
    pair: (options) => call("pair", undefined, options),
    listTokens: (options) => call("tokens.list", undefined, options),
    listCertificates: (filter, options) => call("certificates.list", filter ? { filter } : undefined, options),
    sign: (params, options) => call("sign", params, options),
    signBatch: (params, options) => call("signBatch", params, options),
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (params: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (params: unknown) => void);
    },
    onClose(listener) {
      if (closedBy) {
        listener(closedBy);
        return () => undefined;
      }
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      markClosed(1000);
      socket.close();
    },
  };
}

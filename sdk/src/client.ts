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
  VerificationReport,
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

export interface VerifyOptions extends CallOptions {
  /** For a detached CMS (`.p7s`): the content it signs (base64, or the bytes). */
  readonly detachedContent?: string | Uint8Array;
  /**
   * Let KySo ask the OCSP responders and CRL addresses a trusted CA published in the signer's certificate when the
   * document carries no revocation data (default false: a document without it is usually INDETERMINATE).
   */
  readonly online?: boolean;
}

export interface ClientTimeouts {
  /** `hello`, `tokens.list`, `certificates.list` (default 15 000 ms). */
  readonly timeoutMs?: number;
  /** `verify`: the document worker's time, plus revocation look-ups when `online` (default 120 000 ms). */
  readonly verifyTimeoutMs?: number;
  /**
   * `sign`, `signBatch`, `pair`, which wait for the user. Default: none — KySo itself answers `timeout` when the
   * approval is not decided in time (policy `approvalTimeoutSeconds`, 120 s by default), and a closed connection
   * rejects at once. Set it a margin above the organisation's approval timeout if you want a bound of your own.
   */
  readonly signingTimeoutMs?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 15_000;
export const DEFAULT_VERIFY_TIMEOUT_MS = 120_000;

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
  /**
   * Checks every signature of a received document (PDF; XML and CMS where KySo supports them) and returns the
   * report: `result.indication` is `TOTAL-PASSED`, `TOTAL-FAILED` or `INDETERMINATE` (ETSI EN 319 102-1). No
   * approval and no token. `document` is base64 or the bytes.
   */
  verify(document: string | Uint8Array, options?: VerifyOptions): Promise<VerificationReport>;
  on<N extends NotificationName>(event: N, listener: (params: Notifications[N]) => void): () => void;
  /** Called once when the connection closes (by either side). */
  onClose(listener: (error: ConnectionClosedError) => void): () => void;
  close(): void;
}

const SIGNING_METHODS: ReadonlySet<Method> = new Set<Method>(["sign", "signBatch", "pair"]);
/** WebSocket.OPEN, as a number: `ws` in Node and the browser agree on it. */
const OPEN = 1;

/** Base64 of bytes in the browser and in Node, without a dependency (chunks keep `fromCharCode` arguments small). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const asBase64 = (value: string | Uint8Array): string => (typeof value === "string" ? value : bytesToBase64(value));

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
      options?.timeoutMs ??
        (SIGNING_METHODS.has(method)
          ? timeouts.signingTimeoutMs
          : method === "verify"
            ? (timeouts.verifyTimeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS)
            : (timeouts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS)),
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
    verify(document, options) {
      const params = {
        document: asBase64(document),
        ...(options?.detachedContent !== undefined ? { detachedContent: asBase64(options.detachedContent) } : {}),
        ...(options?.online !== undefined ? { online: options.online } : {}),
      };
      return call("verify", params, options?.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : undefined);
    },
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

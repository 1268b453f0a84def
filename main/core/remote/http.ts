import { KysoError, isKysoError } from "../../domain/errors/index.js";
import { redactError, remoteStateError } from "./errors.js";
import type { FetchLike, RemoteSignState } from "./types.js";

export interface JsonReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** Set instead of `body` when the caller accepts a top-level JSON array (Viettel MySign's `certificates/info`). */
  readonly list?: readonly unknown[];
}

/** Longest a single HTTP exchange may take; phone confirmation is polled, never held in one request. */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * POSTs JSON (or a form) and parses the JSON reply. Network errors and non-JSON replies become
 * `remote_unavailable`; the error names the endpoint path only, never the body (which holds secrets), and is
 * redacted against `secrets` in case a server echoes them.
 */
export async function postJson(
  fetchImpl: FetchLike,
  url: string,
  body: Record<string, unknown> | URLSearchParams,
  options: { readonly headers?: Record<string, string>; readonly secrets: readonly string[]; readonly signal?: AbortSignal; readonly timeoutMs?: number; readonly acceptArray?: boolean },
): Promise<JsonReply> {
  const path = new URL(url).pathname;
  const form = body instanceof URLSearchParams;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    let response;
    try {
      response = await fetchImpl(url, {
        method: "POST",
        headers: { "content-type": form ? "application/x-www-form-urlencoded" : "application/json", accept: "application/json", ...options.headers },
        body: form ? body.toString() : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw new KysoError("user_rejected", `${path}: cancelled`);
      const name = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.name) : "error";
      throw new KysoError("remote_unavailable", `POST ${path}: ${name}`, { path });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text.length === 0 ? {} : JSON.parse(text);
    } catch {
      throw new KysoError("remote_unavailable", `POST ${path}: HTTP ${response.status}, not JSON`, { path, status: response.status });
    }
    if (options.acceptArray && Array.isArray(parsed)) return { status: response.status, body: {}, list: parsed as unknown[] };
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new KysoError("remote_unavailable", `POST ${path}: HTTP ${response.status}, not a JSON object`, { path, status: response.status });
    }
    return { status: response.status, body: parsed as Record<string, unknown> };
  } catch (error) {
    if (isKysoError(error)) throw redactError(error, options.secrets);
    throw error;
  }
}

export const defaultFetch: FetchLike = (url, init) => fetch(url, init);

export function str(value: unknown, what: string, path: string): string {
  if (typeof value !== "string" || value.length === 0) throw new KysoError("remote_unavailable", `${path}: missing ${what}`, { path });
  return value;
}

export function b64(value: unknown, what: string, path: string): Uint8Array {
  return new Uint8Array(Buffer.from(str(value, what, path), "base64"));
}

export type FinalFailure = Exclude<RemoteSignState, { state: "waiting_for_phone" | "success" }>;

/**
 * The state an OAuth-style error reply (`{error, error_description}`: CSC, Viettel MySign) stands for. The CSC
 * specification fixes no names for expiry or quota: `expired_token` and `quota_exceeded` are this client's
 * assumption (docs/remote-signing.md), kept in this one table.
 */
export function oauthErrorState(reply: JsonReply): FinalFailure {
  const error = typeof reply.body.error === "string" ? reply.body.error : `HTTP ${reply.status}`;
  if (error === "access_denied") return { state: "rejected" };
  if (error === "expired_token" || error === "authorization_pending_expired") return { state: "expired" };
  if (error === "quota_exceeded" || error === "insufficient_quota") return { state: "quota_exhausted" };
  // A refused client (the organisation's id/secret) is a configuration failure, not an outage, whatever the status.
  if (error === "invalid_client") return { state: "failed", reason: error };
  if (reply.status === 401 || error === "invalid_token" || reply.status >= 500) return { state: "network_failure" };
  return { state: "failed", reason: error };
}

/** The catalogue error for an OAuth-style error reply, naming the path and the service's error, redacted. */
export function oauthStyleError(reply: JsonReply, path: string, provider: string, secrets: readonly string[]): KysoError {
  const error = typeof reply.body.error === "string" ? reply.body.error : `HTTP ${reply.status}`;
  const description = typeof reply.body.error_description === "string" ? reply.body.error_description.slice(0, 200) : "";
  const { code } = remoteStateError(oauthErrorState(reply), provider);
  return redactError(new KysoError(code, `${path}: ${error}${description ? ` (${description})` : ""}`, { provider, remoteError: error }), secrets);
}

import { KysoError, isKysoError } from "../../domain/errors/index.js";
import { redactError } from "./errors.js";
import type { FetchLike } from "./types.js";

export interface JsonReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
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
  options: { readonly headers?: Record<string, string>; readonly secrets: readonly string[]; readonly signal?: AbortSignal; readonly timeoutMs?: number },
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

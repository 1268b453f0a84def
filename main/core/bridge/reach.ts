/**
 * The one plain-HTTP path the bridge answers: `GET /kyso/v1/reach` and its `OPTIONS` preflight. It exists only so
 * a portal's SDK can make a CORS `fetch()` to the bridge's loopback origin before opening the WebSocket: Chromium
 * often shows no Local Network Access prompt for a bare WebSocket (a blocked socket fails silently), but it does
 * for a fetch. So the answer carries nothing but "this is KySo" (`{"product":"KySo"}`: no version, no token, no
 * state), and only to origins that may use KySo anyway:
 *
 * - the same Host and Origin rules as the WebSocket handshake (`checkHandshake`), and the origin must be
 *   allowlisted or paired (`originTrust`, via the listener's `poolOf`): an unknown origin, a refused `http://` or
 *   `null` origin, a bad Host or a missing Origin all get a bare 403 with no CORS header, so a page of another
 *   site cannot even read that KySo is installed;
 * - `Access-Control-Allow-Origin` is that exact origin, never `*`, with `Vary: Origin`; no credentials header, no
 *   cookie; `Cache-Control: no-store`;
 * - the preflight answers the Private Network Access request header (`Access-Control-Request-Private-Network:
 *   true` → `Access-Control-Allow-Private-Network: true`) and its Local Network Access spelling
 *   (`Access-Control-Request-Local-Network` → `Access-Control-Allow-Local-Network`), only when asked;
 * - every other path or method keeps the listener's 426.
 */
import { checkHandshake } from "./handshake.js";

export const REACH_PATH = "/kyso/v1/reach";
/** The whole body of a successful GET: enough for the SDK to know it reached KySo, nothing more. */
export const REACH_BODY = JSON.stringify({ product: "KySo" });

export interface ReachRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface ReachContext {
  /** The listener's own port (Host check). */
  readonly port: number;
  readonly developerOrigins: boolean;
  /** True for allowlisted or paired origins (origin-gate.ts `originTrust` !== "none"). */
  readonly trusted: (origin: string) => boolean;
}

export type ReachDecision =
  /** Not the reach path (or not GET/OPTIONS): the listener answers as for any other HTTP request. */
  | { readonly kind: "not_reach" }
  /** Bare refusal, no CORS header. */
  | { readonly kind: "refuse"; readonly status: 403 }
  | { readonly kind: "answer"; readonly origin: string; readonly status: 200 | 204; readonly headers: Readonly<Record<string, string>>; readonly body: string };

function header(headers: ReachRequest["headers"], name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : undefined;
}

export function decideReach(request: ReachRequest, context: ReachContext): ReachDecision {
  const method = request.method?.toUpperCase();
  if (method !== "GET" && method !== "OPTIONS") return { kind: "not_reach" };
  let path: string;
  try {
    path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
  } catch {
    return { kind: "not_reach" };
  }
  if (path !== REACH_PATH) return { kind: "not_reach" };
  const check = checkHandshake({ host: header(request.headers, "host"), origin: request.headers.origin, port: context.port, developerOrigins: context.developerOrigins });
  if (!check.ok || !context.trusted(check.origin.origin)) return { kind: "refuse", status: 403 };
  const origin = check.origin.origin;
  const common: Record<string, string> = {
    "Access-Control-Allow-Origin": origin,
    Vary: "Origin",
    "Cache-Control": "no-store",
    Connection: "close",
  };
  if (method === "GET") {
    return {
      kind: "answer",
      origin,
      status: 200,
      headers: { ...common, "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(REACH_BODY)), "X-Content-Type-Options": "nosniff" },
      body: REACH_BODY,
    };
  }
  // A preflight for anything but a plain GET with no extra headers is not what the SDK sends.
  const requestedMethod = header(request.headers, "access-control-request-method");
  if (requestedMethod !== undefined && requestedMethod.toUpperCase() !== "GET") return { kind: "refuse", status: 403 };
  const preflight: Record<string, string> = {
    ...common,
    Vary: "Origin, Access-Control-Request-Private-Network, Access-Control-Request-Local-Network",
    "Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "600", "Content-Length": "0" };
  if (header(request.headers, "access-control-request-private-network")?.toLowerCase() === "true") {
    preflight["Access-Control-Allow-Private-Network"] = "true";
  }
  if (header(request.headers, "access-control-request-local-network")?.toLowerCase() === "true") {
    preflight["Access-Control-Allow-Local-Network"] = "true";
  }
  return { kind: "answer", origin, status: 204, headers: preflight, body: "" };
}

/**
 * The WebSocket upgrade gate. Browsers do not apply the same-origin policy to WebSocket handshakes, so every
 * connection is checked here before it exists (security.md: cross-site WebSocket hijacking, DNS rebinding):
 *
 * - `Host` must be exactly `127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>` for the listener's own port:
 *   a rebinding name (`evil.example:port` resolving to 127.0.0.1) never matches.
 * - `Origin` must be present and parse as a bare https origin; `http://` only for loopback developer origins
 *   when the policy allows them.
 *
 * Whether the origin may use tokens is decided later, per request (origin-gate.ts): an unknown origin may still
 * connect to say `hello` and ask to `pair`.
 */
import { parseOrigin, type ParsedOrigin } from "../policy/origin.js";

export type HandshakeResult =
  | { readonly ok: true; readonly origin: ParsedOrigin }
  | { readonly ok: false; readonly status: 400 | 403; readonly reason: "bad_host" | "missing_origin" | "bad_origin" | "insecure_origin" };

export interface HandshakeInput {
  readonly host: string | undefined;
  readonly origin: string | string[] | undefined;
  /** The port this listener is bound to. */
  readonly port: number;
  readonly developerOrigins: boolean;
}

export function allowedHosts(port: number): readonly string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

export function checkHandshake(input: HandshakeInput): HandshakeResult {
  const host = input.host?.toLowerCase();
  if (!host || !allowedHosts(input.port).includes(host)) return { ok: false, status: 403, reason: "bad_host" };
  if (input.origin === undefined || input.origin === "") return { ok: false, status: 403, reason: "missing_origin" };
  if (Array.isArray(input.origin)) return { ok: false, status: 403, reason: "bad_origin" };
  const origin = parseOrigin(input.origin);
  if (!origin) return { ok: false, status: 403, reason: "bad_origin" };
  if (origin.scheme === "http" && !(input.developerOrigins && origin.loopback)) {
    return { ok: false, status: 403, reason: "insecure_origin" };
  }
  return { ok: true, origin };
}

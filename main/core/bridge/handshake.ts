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
 *
 * Two kinds of refusal. A request no browser page sends (wrong Host, no Origin, two Origins, a non-canonical one) is
 * hostile: it gets a bare HTTP 403 and costs nothing more. A request a real page does send but whose origin can
 * never use KySo — `http://` while developer origins are off, or the opaque `null` origin of a sandboxed frame or a
 * local file — is answered so the page can tell it from a browser block (Local Network Access, which a page sees as
 * a failed socket, close 1006, exactly like a 403): the upgrade is accepted and at once closed with
 * `CLOSE_CODES.originNotAllowed` (4001), no message read (listeners.ts `refuseWithClose`).
 */
import { CLOSE_CODES } from "../../domain/wire/protocol.js";
import { parseOrigin, type ParsedOrigin } from "../policy/origin.js";

export type HandshakeResult =
  | { readonly ok: true; readonly origin: ParsedOrigin }
  | { readonly ok: false; readonly status: 400 | 403; readonly reason: "bad_host" | "missing_origin" | "bad_origin" }
  | {
      readonly ok: false;
      /** Accept the upgrade, then close with this code: a page's own origin, refused. */
      readonly closeCode: typeof CLOSE_CODES.originNotAllowed;
      readonly reason: "insecure_origin" | "opaque_origin";
      /** The origin as sent (`http://…` or `null`): the key its connection slot counts under. */
      readonly origin: string;
    };

/** What a sandboxed frame, a `data:` page or a local file sends: a real page, not a forged header. */
const OPAQUE_ORIGIN = "null";

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
  if (input.origin === OPAQUE_ORIGIN) return { ok: false, closeCode: CLOSE_CODES.originNotAllowed, reason: "opaque_origin", origin: OPAQUE_ORIGIN };
  const origin = parseOrigin(input.origin);
  if (!origin) return { ok: false, status: 403, reason: "bad_origin" };
  if (origin.scheme === "http" && !(input.developerOrigins && origin.loopback)) {
    return { ok: false, closeCode: CLOSE_CODES.originNotAllowed, reason: "insecure_origin", origin: origin.origin };
  }
  return { ok: true, origin };
}

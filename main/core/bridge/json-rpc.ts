/**
 * JSON-RPC 2.0 framing for protocol v1: parsing one text frame into a request, and building answers. Every
 * malformed frame gets the JSON-RPC error it deserves and the connection stays open.
 */
import { ERROR_CATALOGUE } from "../../domain/errors/catalogue.js";
import { toKysoError, type Language } from "../../domain/errors/kyso-error.js";
import type { ErrorObject, RpcFailure, RpcNotification, NotificationName, Notifications } from "../../domain/wire/protocol.js";
import { PROTOCOL_ERRORS, WIRE_ERRORS, wireName, type ApplicationErrorName, type ErrorName } from "../../domain/wire/wire-errors.js";

export type RequestId = string | number;

export type ParsedFrame =
  | { readonly kind: "request"; readonly id: RequestId; readonly method: string; readonly params: unknown }
  /** JSON-RPC notifications from a client have no id and get no answer: the protocol defines none. */
  | { readonly kind: "notification" }
  | { readonly kind: "invalid"; readonly id: RequestId | null; readonly error: ErrorName };

const isId = (value: unknown): value is RequestId =>
  (typeof value === "string" && value.length <= 128) || (typeof value === "number" && Number.isSafeInteger(value));

export function parseFrame(text: string): ParsedFrame {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "invalid", id: null, error: "parse_error" };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { kind: "invalid", id: null, error: "invalid_request" };
  const frame = json as Record<string, unknown>;
  const id = isId(frame.id) ? frame.id : null;
  if (frame.jsonrpc !== "2.0" || typeof frame.method !== "string") return { kind: "invalid", id, error: "invalid_request" };
  if (!("id" in frame)) return { kind: "notification" };
  if (id === null) return { kind: "invalid", id: null, error: "invalid_request" };
  return { kind: "request", id, method: frame.method, params: frame.params };
}

/**
 * The error object for a wire name. Protocol errors carry their developer-facing message (and the failing detail);
 * application errors the catalogue's text in the app's language. Names and numbers come from the catalogue
 * (`main/domain/wire/wire-errors.ts`), never from a table of this file's own.
 */
export function errorObject(name: ErrorName, language: Language, detail?: string): ErrorObject {
  const { code } = WIRE_ERRORS[name];
  if (Object.hasOwn(PROTOCOL_ERRORS, name)) {
    const message = PROTOCOL_ERRORS[name as keyof typeof PROTOCOL_ERRORS].message;
    return { code, message: detail ? `${message}: ${detail}` : message, data: { name, retriable: false } };
  }
  const entry = ERROR_CATALOGUE[name as ApplicationErrorName];
  return { code, message: entry[language], data: { name, retriable: entry.retriable } };
}

/**
 * Turns anything thrown by a command into a wire error, under the name the catalogue gives its code (`wireName`).
 * Internal details never reach the page.
 */
export function errorFromThrown(thrown: unknown, language: Language): ErrorObject {
  const error = toKysoError(thrown);
  const name = wireName(error.code);
  const object = errorObject(name, language, name === "invalid_params" ? error.message.replace(/^invalid_params: /, "").slice(0, 300) : undefined);
  // A portal tells the user to renew only if it knows the certificate expired: the reason is public, not a secret.
  const problems = error.details?.problems;
  if ((name === "certificate_invalid" || name === "revocation_unavailable") && Array.isArray(problems)) return { ...object, data: { ...object.data, problems: problems.map(String) } };
  return object;
}

export function failure(id: RequestId | null, error: ErrorObject): RpcFailure {
  return { jsonrpc: "2.0", id, error };
}

export function notification<N extends NotificationName>(method: N, params: Notifications[N]): RpcNotification<N> {
  return { jsonrpc: "2.0", method, params };
}

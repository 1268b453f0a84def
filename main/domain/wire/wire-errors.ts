/**
 * The error names a web page can receive, derived from the catalogue (`main/domain/errors/catalogue.ts`, each
 * entry's `wire`) and the four JSON-RPC protocol errors. The bridge (`main/core/bridge/json-rpc.ts`) maps a
 * `KysoError` with `wireName`; the SDK gets the same table as a generated literal (`sdk/src/wire-errors.ts`, written by
 * `scripts/generate-sdk-wire.ts`), so a code added to the catalogue reaches the bridge, the SDK and the docs test at once.
 */
import { ERROR_CATALOGUE, type ErrorCode, type ErrorEntry } from "../errors/catalogue.js";

/**
 * JSON-RPC 2.0's reserved protocol errors. Their `message` is for the portal's developer (English, followed by the
 * failing detail); the user-facing text is the catalogue's `invalid_params` (a page sent a request KySo cannot take).
 */
export const PROTOCOL_ERRORS = {
  parse_error: { code: -32700, message: "Parse error: the frame is not JSON" },
  invalid_request: { code: -32600, message: "Invalid request: not a JSON-RPC 2.0 request" },
  method_not_found: { code: -32601, message: "Method not found" },
  invalid_params: { code: -32602, message: "Invalid params" },
} as const satisfies Record<string, { readonly code: number; readonly message: string }>;

type Catalogue = typeof ERROR_CATALOGUE;

export type ProtocolErrorName = keyof typeof PROTOCOL_ERRORS;
/** Catalogue codes that reach a page under their own name (`wire: { code }`). */
export type ApplicationErrorName = { [K in ErrorCode]: Catalogue[K]["wire"] extends { readonly code: number } ? K : never }[ErrorCode];
/** Every `error.data.name` a page can receive. */
export type ErrorName = ApplicationErrorName | ProtocolErrorName;

/** Where a folded code (`wire: { as }`) lands; the compiler refuses a fold onto a name that does not exist. */
type FoldTarget = { [K in ErrorCode]: Catalogue[K]["wire"] extends { readonly as: infer A } ? A : never }[ErrorCode];
type Assert<T extends true> = T;
export type FoldTargetsAreWireNames = Assert<[FoldTarget] extends [ErrorName] ? true : false>;

/** One row of the table a page and the SDK see. `vi`/`en`: the user-facing text, as the bridge sends it. */
export interface WireError {
  readonly code: number;
  readonly retriable: boolean;
  /** A JSON-RPC protocol error: the page sent something the bridge cannot take (a bug in the portal). */
  readonly protocol: boolean;
  readonly vi: string;
  readonly en: string;
}

function buildWireErrors(): Readonly<Record<ErrorName, WireError>> {
  const table: Record<string, WireError> = {};
  const invalid = ERROR_CATALOGUE.invalid_params;
  for (const [name, { code }] of Object.entries(PROTOCOL_ERRORS)) {
    table[name] = { code, retriable: false, protocol: true, vi: invalid.vi, en: invalid.en };
  }
  const codes = new Set(Object.values(table).map((row) => row.code));
  for (const [name, entry] of Object.entries(ERROR_CATALOGUE) as [ErrorCode, Catalogue[ErrorCode]][]) {
    const wire: ErrorEntry["wire"] = entry.wire;
    if (wire === "never" || !("code" in wire)) continue;
    // A number names one error for ever: two names with one number would make a page's switch lie.
    if (codes.has(wire.code)) throw new Error(`wire code ${wire.code} used twice (${name})`);
    codes.add(wire.code);
    table[name] = { code: wire.code, retriable: entry.retriable, protocol: false, vi: entry.vi, en: entry.en };
  }
  return table as Record<ErrorName, WireError>;
}

/** Every wire name with its JSON-RPC number, retriable flag and texts: protocol errors first, then the catalogue's. */
export const WIRE_ERRORS = buildWireErrors();

/** JSON-RPC error numbers: the reserved ones for protocol errors, 1xxx for application errors. */
export const ERROR_CODES = Object.fromEntries(Object.entries(WIRE_ERRORS).map(([name, row]) => [name, row.code])) as Readonly<
  Record<ErrorName, number>
>;

export function isErrorName(value: unknown): value is ErrorName {
  return typeof value === "string" && Object.hasOwn(WIRE_ERRORS, value);
}

/** The name a page receives for a catalogue code: its own, the one it folds onto, or `internal` (`"never"`). */
export function wireName(code: ErrorCode): ErrorName {
  const wire: ErrorEntry["wire"] = ERROR_CATALOGUE[code].wire;
  if (wire === "never") return "internal";
  return "as" in wire ? (wire.as as ErrorName) : (code as ApplicationErrorName);
}


/**
 * KySo bridge protocol v1: the one module of wire types shared by the bridge (main/core/bridge, which imports it
 * type-only) and this SDK. JSON-RPC 2.0 over WebSocket text frames; docs/protocol.md describes every message.
 * Dependency-free on purpose: portals copy this file as is.
 */

export const PROTOCOL = 1 as const;

export type SigningFormat = "raw" | "cms" | "pades" | "xades" | "xmldsig" | "vn-tax" | "vn-einvoice";
export type OriginTrust = "policy" | "paired" | "none";
export type PinStatus = "ok" | "countLow" | "finalTry" | "locked";
export type KeyUsageName =
  | "digitalSignature"
  | "nonRepudiation"
  | "keyEncipherment"
  | "dataEncipherment"
  | "keyAgreement"
  | "keyCertSign"
  | "cRLSign"
  | "encipherOnly"
  | "decipherOnly";

export interface HelloResult {
  readonly product: "KySo";
  readonly version: string;
  readonly protocol: 1;
  readonly formats: readonly SigningFormat[];
  readonly origin: { readonly origin: string; readonly trust: OriginTrust };
}

export interface PairResult {
  readonly granted: boolean;
}

export interface TokenSummary {
  readonly id: string;
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly pinStatus: PinStatus;
  readonly protectedAuthenticationPath: boolean;
}

export interface CertificateFilter {
  readonly taxCode?: string;
  readonly personalId?: string;
  /** Matched against the issuer's common name and organisation, case-insensitively, as a whole word sequence. */
  readonly issuer?: string;
  /** Every listed usage must be present. */
  readonly keyUsage?: readonly KeyUsageName[];
  readonly validOnly?: boolean;
  readonly tokenId?: string;
}

export interface CertificateSummary {
  readonly id: string;
  readonly tokenId: string;
  /** DER, base64. */
  readonly certificate: string;
  readonly chain: readonly string[];
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly keyAlgorithm: { readonly kind: "rsa"; readonly modulusBits: number } | { readonly kind: "ec"; readonly curve: string };
  readonly keyUsage: readonly KeyUsageName[];
  readonly vn: { readonly taxCode?: string; readonly personalId?: string; readonly passport?: string; readonly budgetCode?: string };
  /** The approval would offer it: dates, key usage, algorithms, and (under `revocationCheck: "require"`) revocation. */
  readonly valid: boolean;
  /** The approval's own revocation check (OCSP, else CRL); absent when the policy turns it off or `valid` is false for another reason. "unknown" includes "could not check". */
  readonly revocation?: { readonly status: "good" | "revoked" | "unknown"; readonly checkedAt: string };
}

export interface Display {
  readonly title?: string;
  readonly fileName?: string;
  readonly description?: string;
}

export interface SignParams {
  readonly certificateId?: string;
  readonly format: SigningFormat;
  /** The document, base64. Exactly one of `document` and `hash`. */
  readonly document?: string;
  /** A digest, base64, for `raw` and `cms` (detached) signatures over a hash the portal computed. */
  readonly hash?: string;
  readonly hashAlgorithm?: "SHA-256" | "SHA-384" | "SHA-512";
  /** Format options (see docs/protocol.md); validated by the format's schema. */
  readonly options?: Readonly<Record<string, unknown>>;
  readonly display?: Display;
}

export interface SignResult {
  /** base64: the signature (`raw`: signature value; `cms`: DER ContentInfo). */
  readonly signature?: string;
  /** base64: the signed document (`pades`, `xades`, `xmldsig`, `vn-tax`, `vn-einvoice`). */
  readonly document?: string;
  /** The signer certificate, DER base64. */
  readonly certificate: string;
  readonly signedAt: string;
}

export interface SignBatchParams {
  readonly certificateId?: string;
  readonly items: readonly Omit<SignParams, "certificateId">[];
  readonly display?: Display;
}

export type BatchItemResult = ({ readonly ok: true } & SignResult) | { readonly ok: false; readonly error: ErrorObject };

export interface SignBatchResult {
  readonly results: readonly BatchItemResult[];
}

export interface Methods {
  hello: { params: Record<string, never> | undefined; result: HelloResult };
  pair: { params: Record<string, never> | undefined; result: PairResult };
  "tokens.list": { params: Record<string, never> | undefined; result: readonly TokenSummary[] };
  "certificates.list": { params: { readonly filter?: CertificateFilter } | undefined; result: readonly CertificateSummary[] };
  sign: { params: SignParams; result: SignResult };
  signBatch: { params: SignBatchParams; result: SignBatchResult };
}
export type Method = keyof Methods;

export interface BatchProgress {
  /** The JSON-RPC id of the signBatch request. */
  readonly requestId: string | number;
  readonly index: number;
  readonly ok: boolean;
  readonly done: number;
  readonly total: number;
}

export interface Notifications {
  tokensChanged: { readonly tokens: readonly TokenSummary[] };
  batchProgress: BatchProgress;
}
export type NotificationName = keyof Notifications;

/** Application error names (stable API: switch on these, never on messages). */
export type ApplicationErrorName =
  | "user_rejected"
  | "origin_not_allowed"
  | "token_not_present"
  | "token_removed"
  | "certificate_not_found"
  | "certificate_invalid"
  | "pin_locked"
  | "timeout"
  | "busy"
  | "rate_limited"
  | "document_invalid"
  | "document_too_large"
  | "document_too_complex"
  | "format_not_allowed"
  | "document_encrypted"
  | "tax_code_mismatch"
  | "unsupported_algorithm"
  | "timestamp_failed"
  | "signing_failed"
  | "module_unavailable"
  | "device_error"
  | "remote_quota_exceeded"
  | "remote_unavailable"
  | "internal";

export type ProtocolErrorName = "parse_error" | "invalid_request" | "method_not_found" | "invalid_params";
export type ErrorName = ApplicationErrorName | ProtocolErrorName;

/** JSON-RPC 2.0 error codes: the reserved ones for protocol errors, 1xxx for application errors. */
export const ERROR_CODES = {
  parse_error: -32700,
  invalid_request: -32600,
  method_not_found: -32601,
  invalid_params: -32602,
  user_rejected: 1001,
  origin_not_allowed: 1002,
  token_not_present: 1003,
  token_removed: 1004,
  certificate_not_found: 1005,
  certificate_invalid: 1006,
  pin_locked: 1007,
  timeout: 1008,
  busy: 1009,
  rate_limited: 1010,
  document_invalid: 1011,
  document_too_large: 1012,
  document_encrypted: 1013,
  tax_code_mismatch: 1014,
  unsupported_algorithm: 1015,
  timestamp_failed: 1016,
  signing_failed: 1017,
  module_unavailable: 1018,
  device_error: 1019,
  document_too_complex: 1020,
  format_not_allowed: 1021,
  remote_quota_exceeded: 1023,
  remote_unavailable: 1024,
  internal: 1099,
} as const satisfies Record<ErrorName, number>;

export interface ErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data: {
    readonly name: ErrorName;
    readonly retriable: boolean;
    /** `certificate_invalid`: why the certificate cannot sign (`expired`, `notYetValid`, `noSigningKeyUsage`, `weakAlgorithm`, `revoked`, `revocationUnknown`). */
    readonly problems?: readonly string[];
    /** `rate_limited`: how long until the same request would be accepted. */
    readonly retryAfterMs?: number;
  };
}

export interface RpcRequest<M extends Method = Method> {
  readonly jsonrpc: "2.0";
  readonly id: string | number;
  readonly method: M;
  readonly params?: Methods[M]["params"];
}
export interface RpcSuccess<M extends Method = Method> {
  readonly jsonrpc: "2.0";
  readonly id: string | number;
  readonly result: Methods[M]["result"];
}
export interface RpcFailure {
  readonly jsonrpc: "2.0";
  readonly id: string | number | null;
  readonly error: ErrorObject;
}
export interface RpcNotification<N extends NotificationName = NotificationName> {
  readonly jsonrpc: "2.0";
  readonly method: N;
  readonly params: Notifications[N];
}
export type ServerMessage = RpcSuccess | RpcFailure | RpcNotification;

/** Size caps (bytes), repeated in docs/protocol.md. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Default listener ports, tried in order (wss first, then ws). Policy may replace them. */
export const DEFAULT_PORTS = { wss: [17630, 17631, 17632], ws: [17640, 17641, 17642] } as const;

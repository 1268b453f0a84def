// GENERATED from main/domain/wire/protocol.ts: do not edit here. Edit the source, then run
// `npx tsx scripts/generate-sdk-wire.ts`; a test fails when this copy is stale.
/**
 * KySo bridge protocol v1: the wire types shared by the bridge (main/core/bridge) and the portal SDK.
 * JSON-RPC 2.0 over WebSocket text frames; docs/protocol.md describes every message.
 *
 * Imports nothing but `./wire-errors.js` and `./verify-report.js` on purpose: the SDK (published on its own,
 * importing nothing of KySo) ships generated copies of these three files (scripts/generate-sdk-wire.ts), and a
 * test fails when a copy is stale. Values here are plain constants; the error table is derived from the catalogue.
 */
import type { ErrorName } from "./wire-errors.js";
import type { VerificationReport } from "./verify-report.js";

export { ERROR_CODES, WIRE_ERRORS, isErrorName, type ApplicationErrorName, type ErrorName, type ProtocolErrorName, type WireError } from "./wire-errors.js";

// The report `verify` answers with. Its `CertificateSummary` (the signer as read from a document) is exported as
// `SignerSummary`: `CertificateSummary` here is a token certificate of `certificates.list`.
export {
  INDICATIONS,
  UPDATE_KINDS,
  VERIFY_REASONS,
  VERIFY_WARNINGS,
  type CertificateSummary as SignerSummary,
  type Indication,
  type LaterUpdate,
  type RevocationOutcome,
  type SignatureReport,
  type SubIndication,
  type UpdateKind,
  type VerificationReport,
  type VerificationResult,
  type VerifyReason,
  type VerifyWarning,
} from "./verify-report.js";

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
  /**
   * The approval's own trust-path check: whether the certificate chains to a trust anchor (the Vietnamese national
   * roots, the organisation's anchors) and the anchor's name (its CN, e.g. "Vietnam National Root CA",
   * "RootCA chuyên dùng Chính phủ G2"). Absent when the policy turns the check off, it did not finish in time, or
   * `valid` is false for another reason. Under `chainCheck: "require"` an untrusted certificate is not `valid`.
   */
  readonly trustChain?: { readonly trusted: boolean; readonly anchor?: string };
}

export interface Display {
  readonly title?: string;
  readonly fileName?: string;
  readonly description?: string;
}

/**
 * The SHA-2 digests KySo signs with, in every spelling the bridge reads (`parseHashAlgorithm`: case-insensitive,
 * with or without the hyphen): `SHA-256`, `SHA256`, `sha-384`, `Sha512`… The bridge also accepts other letter cases
 * (`sHa256`); the type lists the spellings portals use. SHA-1 is deliberately absent (Circular 15/2025).
 */
export type HashAlgorithmName = `${"SHA" | "sha" | "Sha"}${"-" | ""}${"256" | "384" | "512"}`;

export interface SignParams {
  readonly certificateId?: string;
  readonly format: SigningFormat;
  /** The document, base64. Exactly one of `document` and `hash`. */
  readonly document?: string;
  /** A digest, base64, for `raw` and `cms` (detached) signatures over a hash the portal computed. */
  readonly hash?: string;
  /** Default `SHA-256`. Any {@link HashAlgorithmName} spelling; SHA-1 or an unknown name is `unsupported_algorithm`. */
  readonly hashAlgorithm?: HashAlgorithmName;
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

/**
 * `verify`: every signature of a received document, checked in KySo's bounded document worker against the same
 * trust anchors as signing. No approval, no token. Any document type KySo reads (PDF; XML and CMS where supported).
 */
export interface VerifyParams {
  /** The signed document (PDF, XML, or a CMS / `.p7s` signature), base64. */
  readonly document: string;
  /** For a detached CMS (`.p7s`): the content it signs, base64. */
  readonly detachedContent?: string;
  /**
   * Allow KySo to ask the OCSP responders and CRL addresses that a trusted CA put in the signer's certificate when
   * the document carries no usable revocation data (default false: only what the document carries is used).
   */
  readonly online?: boolean;
}

export interface Methods {
  hello: { params: Record<string, never> | undefined; result: HelloResult };
  pair: { params: Record<string, never> | undefined; result: PairResult };
  "tokens.list": { params: Record<string, never> | undefined; result: readonly TokenSummary[] };
  "certificates.list": { params: { readonly filter?: CertificateFilter } | undefined; result: readonly CertificateSummary[] };
  sign: { params: SignParams; result: SignResult };
  signBatch: { params: SignBatchParams; result: SignBatchResult };
  verify: { params: VerifyParams; result: VerificationReport };
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

export interface ErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data: {
    readonly name: ErrorName;
    readonly retriable: boolean;
    /** `certificate_invalid`: why the certificate cannot sign (`expired`, `notYetValid`, `noSigningKeyUsage`, `weakAlgorithm`, `revoked`, `revocationUnknown`, `untrustedChain`, `intermediateRevoked`, `intermediateRevocationUnknown`); `revocation_unavailable`: `revoked`, `unknown`, `offline`, `unavailable`. */
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

/**
 * WebSocket close codes the bridge sends (docs/protocol.md "Close codes"). A page tells a refusal by KySo (the
 * upgrade accepted, then closed at once with a 4xxx code) from a connection the browser never made (Local Network
 * Access blocked, KySo not running: the socket fails with 1006 and no open event).
 */
export const CLOSE_CODES = {
  /** A message over `maxMessageBytes`: only that socket closes. */
  messageTooBig: 1009,
  /**
   * The page's origin may not use KySo at all (an `http://` origin while developer origins are off, or the opaque
   * `null` origin of a sandboxed frame or a local file): the same meaning as the `origin_not_allowed` error.
   */
  originNotAllowed: 4001,
} as const;

/** Size caps (bytes), repeated in docs/protocol.md. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Default listener ports, tried in order (wss first, then ws). Policy may replace them. */
export const DEFAULT_PORTS = { wss: [17630, 17631, 17632], ws: [17640, 17641, 17642] } as const;

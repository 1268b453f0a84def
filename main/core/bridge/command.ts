/**
 * The shape of one bridge command (one file per command in commands/). The controller does everything that is
 * the same for all of them — origin gate, rate limits, params schema, pending limit, audit of failures —
 * so a command is only its own logic.
 */
import type { z } from "zod";
import type { AuditEntryView } from "../app-api/views.js";
import type { OriginTrust } from "../app-api/approval-view.js";
import type { ApprovalQueue } from "../approval/approval-queue.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { RevocationResult } from "../certificates/revocation/types.js";
import type { ChainCheckResult } from "../certificates/trust/chain-check.js";
import type { EvidenceStore } from "../evidence/evidence-store.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import type { CertificateChoices } from "../settings/settings-store.js";
import type { Language } from "../../domain/errors/kyso-error.js";
import type { PairingStore } from "../pairing/pairing-store.js";
import type { KysoPolicy } from "../policy/policy-schema.js";
import type { TokenService } from "../tokens/token-service.js";
import type { Method, NotificationName, Notifications, VerificationReport } from "../../domain/wire/protocol.js";
import type { RequestId } from "./json-rpc.js";
import type { PairPrompts } from "./pair-prompts.js";
import type { SigningPort } from "./signing-port.js";

/** Revocation status of a token certificate (OCSP, else CRL); never throws for a network or responder failure. */
export interface RevocationPort {
  check(certificate: CertificateInfo): Promise<RevocationResult>;
}

/**
 * Verification of a received document (main/core/verify/document-verifier.ts): in the bounded document worker,
 * against the same trust anchors as signing. `online` lets it ask the revocation service, only for certificates
 * that chain to one of those anchors.
 */
export interface VerifyPort {
  verify(document: Uint8Array, options: { readonly detachedContent?: Uint8Array; readonly online: boolean }): Promise<VerificationReport>;
}

/** Trust path of a token certificate to an anchor, with its intermediates' revocation when asked (chain-check.ts). */
export interface ChainPort {
  check(certificate: CertificateInfo, checkIntermediates: boolean): Promise<ChainCheckResult>;
}

export interface BridgeServices {
  readonly policy: KysoPolicy;
  readonly pairings: PairingStore;
  readonly tokens: TokenService;
  readonly approvals: ApprovalQueue;
  readonly signing: SigningPort;
  /** Absent: no revocation check before signing (as policy `revocationCheck: "off"`). */
  readonly revocation?: RevocationPort;
  /** Absent: `verify` answers `internal` (tests of the transport that build no worker). */
  readonly verifier?: VerifyPort;
  /** Absent: no chain check before signing (as policy `chainCheck: "off"`, intermediates unchecked). */
  readonly chains?: ChainPort;
  readonly audit: AuditLog;
  /** Where the evidence of each signature's certificate check is kept; absent: none kept (tests of the transport). */
  readonly evidence?: EvidenceStore;
  /** The user's remembered certificate per (origin, format); absent: nothing is remembered. */
  readonly choices?: CertificateChoices;
  readonly now: () => Date;
  readonly language: () => Language;
}

export interface CommandContext {
  readonly connectionId: string;
  /** Normalised by the handshake. */
  readonly origin: string;
  readonly trust: OriginTrust;
  readonly requestId: RequestId;
  readonly services: BridgeServices;
  /**
   * Writes an audit line for this request now and resolves once it is durable (fsync'd): a signature is released
   * to the page only after its line resolved (write-ahead). Rejects when the log cannot be written. When a
   * command writes no line, the controller writes a default one after the response.
   */
  audit(entry: Partial<AuditEntryView>): Promise<void>;
  /** The bridge's pairing prompts (one per origin, global cap, cool-down after a refusal). */
  readonly pairPrompts: PairPrompts;
  notify<N extends NotificationName>(method: N, params: Notifications[N]): void;
}

export interface BridgeCommand<P = unknown, R = unknown> {
  readonly method: Method;
  /** Only `hello` and `pair` answer an origin that is neither allowlisted nor paired. */
  readonly openToUnknownOrigins: boolean;
  /** A signing command: counts against `maxPendingSignsPerOrigin` while it runs. */
  readonly signs: boolean;
  /** Counts against `maxPendingSignsPerOrigin` while it runs although it does not sign (`pair`); default `signs`. */
  readonly countsAsPending?: boolean;
  readonly params: z.ZodType<P>;
  run(context: CommandContext, params: P): Promise<R>;
}

export function defineCommand<P, R>(command: BridgeCommand<P, R>): BridgeCommand<P, R> {
  return command;
}

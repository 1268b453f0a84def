/**
 * The shape of one bridge command (one file per command in commands/). The controller does everything that is
 * the same for all of them — origin gate, rate limit, params schema, pending-sign limit, audit of failures —
 * so a command is only its own logic.
 */
import type { z } from "zod";
import type { AuditEntryView } from "../app-api/views.js";
import type { OriginTrust } from "../app-api/approval-view.js";
import type { ApprovalQueue } from "../approval/approval-queue.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { Language } from "../errors/kyso-error.js";
import type { PairingStore } from "../pairing/pairing-store.js";
import type { KysoPolicy } from "../policy/policy-schema.js";
import type { TokenService } from "../tokens/token-service.js";
import type { Method, NotificationName, Notifications } from "../../../sdk/src/protocol.js";
import type { RequestId } from "./json-rpc.js";
import type { SigningPort } from "./signing-port.js";

export interface BridgeServices {
  readonly policy: KysoPolicy;
  readonly pairings: PairingStore;
  readonly tokens: TokenService;
  readonly approvals: ApprovalQueue;
  readonly signing: SigningPort;
  readonly audit: AuditLog;
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
  /** Adds an audit line for this request (sign items); the controller writes a default line otherwise. */
  audit(entry: Partial<AuditEntryView>): void;
  notify<N extends NotificationName>(method: N, params: Notifications[N]): void;
}

export interface BridgeCommand<P = unknown, R = unknown> {
  readonly method: Method;
  /** Only `hello` and `pair` answer an origin that is neither allowlisted nor paired. */
  readonly openToUnknownOrigins: boolean;
  /** Counts against `maxPendingSignsPerOrigin` while it runs. */
  readonly signs: boolean;
  readonly params: z.ZodType<P>;
  run(context: CommandContext, params: P): Promise<R>;
}

export function defineCommand<P, R>(command: BridgeCommand<P, R>): BridgeCommand<P, R> {
  return command;
}

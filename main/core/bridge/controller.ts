/**
 * The one controller every bridge request goes through, in this order (style habit 4):
 *
 *   frame → JSON-RPC shape → trust → rate limits → method → origin gate → params schema → pending limit
 *         → command (approval → audit line, durable → token result) → response → default audit line
 *
 * Nothing a page sends reaches a command before the origin gate and the schema. An origin that is neither in the
 * policy nor paired gets `origin_not_allowed` for everything but `hello` and `pair`, before its params are even
 * looked at, so it learns nothing (no certificate, no token, no count, not even whether its params were valid).
 *
 * Rate limits (threat model, "Resource limits"): cheap read-only calls (`READ_METHODS`) and actions have separate
 * per-origin budgets, so a heartbeat cannot starve signing; all unknown origins together share one more budget.
 * A `rate_limited` answer carries `data.retryAfterMs`. Refusals of unknown origins and every `rate_limited` are
 * audited as coalesced counts (refusal-audit.ts), never one fsync'd line each.
 */
import type { AuditEntryView } from "../app-api/views.js";
import type { ErrorObject, ServerMessage, NotificationName, Notifications } from "../../domain/wire/protocol.js";
import { isKysoError } from "../../domain/errors/kyso-error.js";
import type { BridgeServices, CommandContext } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { errorFromThrown, errorObject, failure, notification, parseFrame, type RequestId } from "./json-rpc.js";
import { originTrust } from "./origin-gate.js";
import { createPairPrompts } from "./pair-prompts.js";
import { createRateLimiter, type RateDecision } from "./rate-limiter.js";
import { createRefusalAudit, UNKNOWN_METHOD } from "./refusal-audit.js";

export interface ConnectionHandle {
  readonly id: string;
  readonly origin: string;
  send(message: ServerMessage): void;
}

export interface Controller {
  handle(connection: ConnectionHandle, text: string): Promise<void>;
  /** True while the user paused the bridge in the app: everything but `hello` answers `busy`. */
  paused: boolean;
  /**
   * A pending slot for something that prompts the user outside a command (a vendor adapter's file approval), after
   * the same checks a `sign` passes in `handle`: paused, the per-origin action rate budget, and
   * `maxPendingSignsPerOrigin` (the one counter `sign`/`signBatch`/`pair` use). `release` gives the slot back
   * (idempotent); a refusal is worded as the bridge would answer it (`busy`, `rate_limited`).
   */
  holdPending(origin: string): PendingHold;
  /** Writes the coalesced refusal counts and stops the window timer. */
  close(): Promise<void>;
}

export type PendingHold = { readonly ok: true; release(): void } | { readonly ok: false; readonly error: ErrorObject };

/** Cheap, read-only, no prompt: their own per-origin budget (`limits.readRequestsPerMinute`). */
export const READ_METHODS: ReadonlySet<string> = new Set(["hello", "tokens.list", "certificates.list"]);
/** The key of the budget all unknown origins share. */
const ALL_UNKNOWN = "*";

export function createController(services: BridgeServices): Controller {
  const limits = services.policy.limits;
  const clock = (): number => services.now().getTime();
  const reads = createRateLimiter(limits.readRequestsPerMinute, clock);
  const actions = createRateLimiter(limits.requestsPerMinute, clock);
  const unknown = createRateLimiter(limits.unknownRequestsPerMinute, clock);
  const pairPrompts = createPairPrompts({ maxPending: limits.maxPendingPairPrompts, cooldownMs: limits.pairRefusalCooldownSeconds * 1000 }, clock);
  const refusals = createRefusalAudit(services.audit, services.now);
  // Keys only while a request runs; each origin's count is capped by the pending limit, and sockets are capped.
  const pending = new Map<string, number>();
  const enter = (origin: string): void => void pending.set(origin, (pending.get(origin) ?? 0) + 1);
  const leave = (origin: string): void => {
    const left = (pending.get(origin) ?? 1) - 1;
    if (left <= 0) pending.delete(origin);
    else pending.set(origin, left);
  };
  const full = (origin: string): boolean => (pending.get(origin) ?? 0) >= limits.maxPendingSignsPerOrigin;

  function rateCheck(origin: string, method: string, trusted: boolean): RateDecision {
    const own = (READ_METHODS.has(method) ? reads : actions).take(origin);
    if (!own.ok || trusted) return own;
    return unknown.take(ALL_UNKNOWN);
  }

  const controller: Controller = {
    paused: false,
    async handle(connection, text) {
      const language = services.language();
      const frame = parseFrame(text);
      if (frame.kind === "notification") return;
      if (frame.kind === "invalid") {
        connection.send(failure(frame.id, errorObject(frame.error, language)));
        return;
      }
      const { id, method } = frame;
      const origin = connection.origin;
      let wrote = false;
      const respond = (result: unknown): void => connection.send({ jsonrpc: "2.0", id, result } as ServerMessage);
      const refuse = (name: Parameters<typeof errorObject>[0], detail?: string, retryAfterMs?: number): string => {
        connection.send(failure(id, withRetry(errorObject(name, language, detail), retryAfterMs)));
        return name;
      };

      let outcome: string;
      const trust = originTrust(origin, services);
      const command = COMMANDS.get(method);
      const rate = rateCheck(origin, method, trust !== "none");
      if (!rate.ok) outcome = refuse("rate_limited", undefined, rate.retryAfterMs);
      else if (!command) outcome = refuse("method_not_found", method.slice(0, 64));
      else if (trust === "none" && !command.openToUnknownOrigins) outcome = refuse("origin_not_allowed");
      else {
        const parsed = command.params.safeParse(frame.params);
        const pends = command.countsAsPending ?? command.signs;
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          outcome = refuse("invalid_params", issue ? `${issue.path.join(".") || "params"}: ${issue.message}` : undefined);
        } else if (controller.paused && method !== "hello") outcome = refuse("busy", "paused");
        else if (pends && full(origin)) outcome = refuse("busy");
        else {
          const context: CommandContext = {
            connectionId: connection.id,
            origin,
            trust,
            requestId: id,
            services,
            pairPrompts,
            async audit(entry) {
              wrote = true;
              await services.audit.append(line(services, origin, method, "ok", entry));
            },
            notify: <N extends NotificationName>(name: N, params: Notifications[N]) => connection.send(notification(name, params)),
          };
          if (pends) enter(origin);
          try {
            respond(await command.run(context, parsed.data as never));
            outcome = "ok";
          } catch (thrown) {
            const error = errorFromThrown(thrown, language);
            const retryAfterMs = isKysoError(thrown) ? thrown.details?.retryAfterMs : undefined;
            connection.send(failure(id, withRetry(error, typeof retryAfterMs === "number" ? retryAfterMs : undefined)));
            outcome = error.data.name;
          } finally {
            if (pends) leave(origin);
          }
        }
      }
      if (method === "hello" || wrote) return; // a greeting is not an action worth a line
      // Nobody consented to these and a page can send them by the thousand: counted, not written one by one.
      if (outcome === "rate_limited" || (trust === "none" && outcome !== "ok")) {
        refusals.record(origin, command ? method : UNKNOWN_METHOD, outcome);
        return;
      }
      try {
        await services.audit.append(line(services, origin, method, outcome, {}));
      } catch {
        // The audit log must not take the bridge down (disk full); diagnostics report the file.
      }
    },
    holdPending(origin) {
      const language = services.language();
      if (controller.paused) return { ok: false, error: errorObject("busy", language, "paused") };
      const rate = actions.take(origin);
      if (!rate.ok) return { ok: false, error: withRetry(errorObject("rate_limited", language), rate.retryAfterMs) };
      if (full(origin)) return { ok: false, error: errorObject("busy", language) };
      enter(origin);
      let held = true;
      return {
        ok: true,
        release() {
          if (held) leave(origin);
          held = false;
        },
      };
    },
    close: () => refusals.close(),
  };
  return controller;
}

function line(services: BridgeServices, origin: string, method: string, outcome: string, entry: Partial<AuditEntryView>): AuditEntryView {
  return { time: services.now().toISOString(), origin, method: method.slice(0, 64), decision: "none", result: outcome, ...entry };
}

/** `data.retryAfterMs` (whole milliseconds) on `rate_limited` answers: when this request would be accepted. */
function withRetry(error: ErrorObject, retryAfterMs: number | undefined): ErrorObject {
  if (retryAfterMs === undefined) return error;
  return { ...error, data: { ...error.data, retryAfterMs: Math.max(1, Math.ceil(retryAfterMs)) } };
}

export type { RequestId };

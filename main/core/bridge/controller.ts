/**
 * The one controller every bridge request goes through, in this order (style habit 4):
 *
 *   frame → JSON-RPC shape → rate limit → method → origin gate → params schema → pending-sign limit
 *         → command (approval → token) → response → audit line
 *
 * Nothing a page sends reaches a command before the origin gate and the schema. An origin that is neither in the
 * policy nor paired gets `origin_not_allowed` for everything but `hello` and `pair`, before its params are even
 * looked at, so it learns nothing (no certificate, no token, no count, not even whether its params were valid).
 */
import type { AuditEntryView } from "../app-api/views.js";
import type { ServerMessage, NotificationName, Notifications } from "../../../sdk/src/protocol.js";
import type { BridgeServices, CommandContext } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { errorFromThrown, errorObject, failure, notification, parseFrame, type RequestId } from "./json-rpc.js";
import { originTrust } from "./origin-gate.js";
import { createRateLimiter } from "./rate-limiter.js";

export interface ConnectionHandle {
  readonly id: string;
  readonly origin: string;
  send(message: ServerMessage): void;
}

export interface Controller {
  handle(connection: ConnectionHandle, text: string): Promise<void>;
  /** True while the user paused the bridge in the app: everything but `hello` answers `busy`. */
  paused: boolean;
}

export function createController(services: BridgeServices): Controller {
  const limits = services.policy.limits;
  const rate = createRateLimiter(limits.requestsPerMinute, () => services.now().getTime());
  const pendingSigns = new Map<string, number>();

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
      const audits: Partial<AuditEntryView>[] = [];
      const respond = (result: unknown): void => connection.send({ jsonrpc: "2.0", id, result } as ServerMessage);
      const refuse = (name: Parameters<typeof errorObject>[0], detail?: string): string => {
        connection.send(failure(id, errorObject(name, language, detail)));
        return name;
      };

      let outcome: string;
      const command = COMMANDS.get(method);
      if (!rate.allow(connection.origin)) outcome = refuse("rate_limited");
      else if (!command) outcome = refuse("method_not_found", method.slice(0, 64));
      else {
        const trust = originTrust(connection.origin, services);
        if (trust === "none" && !command.openToUnknownOrigins) outcome = refuse("origin_not_allowed");
        else {
          const parsed = command.params.safeParse(frame.params);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            outcome = refuse("invalid_params", issue ? `${issue.path.join(".") || "params"}: ${issue.message}` : undefined);
          } else if (controller.paused && method !== "hello") outcome = refuse("busy", "paused");
          else if (command.signs && (pendingSigns.get(connection.origin) ?? 0) >= limits.maxPendingSignsPerOrigin) outcome = refuse("busy");
          else {
            const context: CommandContext = {
              connectionId: connection.id,
              origin: connection.origin,
              trust,
              requestId: id,
              services,
              audit: (entry) => audits.push(entry),
              notify: <N extends NotificationName>(name: N, params: Notifications[N]) => connection.send(notification(name, params)),
            };
            if (command.signs) pendingSigns.set(connection.origin, (pendingSigns.get(connection.origin) ?? 0) + 1);
            try {
              respond(await command.run(context, parsed.data as never));
              outcome = "ok";
            } catch (thrown) {
              const error = errorFromThrown(thrown, language);
              connection.send(failure(id, error));
              outcome = error.data.name;
            } finally {
              if (command.signs) {
                const left = (pendingSigns.get(connection.origin) ?? 1) - 1;
                if (left === 0) pendingSigns.delete(connection.origin);
                else pendingSigns.set(connection.origin, left);
              }
            }
          }
        }
      }
      if (method === "hello") return; // a greeting is not an action worth a line
      await writeAudit(services, connection.origin, method, outcome, audits);
    },
  };
  return controller;
}

async function writeAudit(
  services: BridgeServices,
  origin: string,
  method: string,
  outcome: string,
  audits: readonly Partial<AuditEntryView>[],
): Promise<void> {
  const time = services.now().toISOString();
  const lines = audits.length > 0 ? audits : [{}];
  for (const line of lines) {
    try {
      await services.audit.append({ time, origin, method: method.slice(0, 64), decision: "none", result: outcome, ...line });
    } catch {
      // The audit log must not take the bridge down (disk full); diagnostics report the file.
    }
  }
}

export type { RequestId };

/**
 * What every vendor adapter talks to: the bridge's own controller (origin gate, rate and pending limits, params
 * schemas, approval, audit, formats, tokens), reached with KySo's typed requests. An adapter only translates; it
 * never signs, never opens a token and never decides trust itself.
 *
 * The gateway's controller sees a view of the policy whose allowlist is the adapter's own origin list
 * (`compatibility.<vendor>.origins`) and where pairing is off: so an origin listed for an adapter is trusted by the
 * same `originTrust` function on that adapter only (it does not become a KySo-protocol portal), and a paired
 * origin does not reach an adapter (vendor pages cannot show KySo's pairing prompt, and the admin's list is the
 * whole contract).
 */
import { randomBytes } from "node:crypto";
import type { ErrorObject, ServerMessage } from "../../domain/wire/protocol.js";
import type { BridgeServices } from "../bridge/command.js";
import { createController, type ConnectionHandle, type Controller } from "../bridge/controller.js";
import { createRefusalAudit } from "../bridge/refusal-audit.js";
import { parseOrigin } from "../policy/origin.js";
import { errorFromThrown } from "../bridge/json-rpc.js";
import { KysoError } from "../../domain/errors/kyso-error.js";

export type CompatAdapterName = "vgca" | "signplugin";

export type GatewayOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: ErrorObject };

export type FileOutcome = { readonly ok: true; readonly fileName: string; readonly bytes: Buffer } | { readonly ok: false; readonly error: ErrorObject };

export interface KysoGateway {
  readonly adapter: CompatAdapterName;
  /** The normalised origin when the header names exactly one listed origin; undefined otherwise (refuse). */
  listedOrigin(header: string | string[] | undefined): string | undefined;
  /** One KySo request (`hello`, `certificates.list`, `sign`, ...) through the controller, as a page would send it. */
  call(origin: string, connectionId: string, method: string, params?: unknown): Promise<GatewayOutcome>;
  /**
   * A file approval (a vendor flow that names no file): the user chooses the file in KySo's window. Resolves with
   * the chosen bytes (unread: the caller sends them through `sign`, which reads them in the document worker), or
   * `user_rejected` / `timeout` / withdrawn as any approval. The origin was listed (policy trust) by the listener.
   */
  requestFile(origin: string, connectionId: string, display: { readonly title: string }, maxBytes: number): Promise<FileOutcome>;
  /** The page went away: its approval is withdrawn, as on the bridge. */
  withdraw(connectionId: string): void;
  newConnectionId(): string;
  /** Follows the bridge's pause. */
  paused: boolean;
  close(): Promise<void>;
}

export function createKysoGateway(adapter: CompatAdapterName, services: BridgeServices): KysoGateway {
  const origins = services.policy.compatibility[adapter].origins;
  const adapterServices: BridgeServices = {
    ...services,
    policy: { ...services.policy, allowedOrigins: origins, allowUserPairing: false },
  };
  const controller: Controller = createController(adapterServices);
  // Refused pages are audited as on the bridge: coalesced per (origin, adapter) and window, so a flood from an
  // unlisted page costs a bounded number of lines and cannot push signing records out of view.
  const refusals = createRefusalAudit(services.audit, services.now);
  let nextId = 1;

  async function askForFile(origin: string, connectionId: string, display: { readonly title: string }, maxBytes: number): Promise<FileOutcome> {
    let chosen: { readonly fileName: string; readonly bytes: Buffer } | undefined;
    const { done } = services.approvals.open({
      kind: "file",
      origin: { origin, trust: "policy" },
      connectionId,
      display,
      maxBytes,
      receive: (file) => (chosen = file),
    });
    try {
      await done;
    } catch (thrown) {
      return { ok: false, error: errorFromThrown(thrown, services.language()) };
    }
    return chosen ? { ok: true, ...chosen } : { ok: false, error: errorFromThrown(new KysoError("internal", "no file"), services.language()) };
  }

  return {
    adapter,
    listedOrigin(header) {
      const parsed = typeof header === "string" ? parseOrigin(header) : undefined;
      // Exact: the header must already be the browser's serialisation of a listed origin.
      if (parsed && parsed.origin === header && origins.includes(parsed.origin)) return parsed.origin;
      refusals.record(auditedOrigin(header, parsed?.origin), adapter, "origin_not_allowed");
      return undefined;
    },
    call(origin, connectionId, method, params) {
      const id = nextId++;
      return new Promise<GatewayOutcome>((resolve, reject) => {
        const connection: ConnectionHandle = {
          id: connectionId,
          origin,
          send(message: ServerMessage) {
            // Notifications (batch progress, token changes) have no vendor equivalent: only the answer counts.
            if (!("id" in message) || message.id !== id) return;
            resolve("error" in message ? { ok: false, error: message.error } : { ok: true, result: message.result });
          },
        };
        const frame = JSON.stringify({ jsonrpc: "2.0", id, method, ...(params !== undefined ? { params } : {}) });
        controller.handle(connection, frame).catch(reject);
      });
    },
    async requestFile(origin, connectionId, display, maxBytes) {
      // A file approval is a prompt like a `sign`: it takes one of the origin's pending slots (and an action from its
      // rate budget) in the controller `sign` goes through, so a page cannot stack prompts around the limit.
      const hold = controller.holdPending(origin);
      if (!hold.ok) return { ok: false, error: hold.error };
      try {
        return await askForFile(origin, connectionId, display, maxBytes);
      } finally {
        hold.release();
      }
    },
    withdraw: (connectionId) => services.approvals.withdraw(connectionId),
    newConnectionId: () => `${adapter}-${randomBytes(12).toString("base64url")}`,
    get paused() {
      return controller.paused;
    },
    set paused(value: boolean) {
      controller.paused = value;
    },
    async close() {
      await refusals.close();
      await controller.close();
    },
  };
}

/** Only a well-formed origin of sane length is written; anything else a page sends is named by its kind. */
function auditedOrigin(header: string | string[] | undefined, parsed: string | undefined): string {
  if (header === undefined) return "(no origin)";
  return parsed !== undefined && parsed === header && parsed.length <= MAX_AUDITED_ORIGIN ? parsed : "(malformed origin)";
}

const MAX_AUDITED_ORIGIN = 100;

/**
 * A real core (real listeners, real token hosts on a private copy of the SoftHSM fixtures) and real WebSocket
 * clients that send whatever Host and Origin headers a test wants — what a browser would never let a page do.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import type { ApprovalView } from "../../../main/core/app-api/approval-view.js";
import { createCore, type CoreOptions, type KysoCore } from "../../../main/core/kyso-core.js";
import { createApprovalQueue } from "../../../main/core/approval/approval-queue.js";
import { createAuditLog } from "../../../main/core/audit/audit-log.js";
import type { SigningPort } from "../../../main/core/bridge/signing-port.js";
import type { CompatHooks, CompatPorts } from "../../../main/core/compat/compat-service.js";
import type { BridgeServices, RevocationPort } from "../../../main/core/bridge/command.js";
import { createPairingStore } from "../../../main/core/pairing/pairing-store.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import { signingPort } from "../../../main/core/signing/index.js";
import type { TokenService } from "../../../main/core/tokens/token-service.js";
import { noTokens } from "../../helpers/no-tokens.js";
import type { ServerMessage, RpcNotification } from "../../../sdk/src/protocol.js";
import { openTokenHarness, type TokenHarness } from "../../helpers/token-service-harness.js";

export const PORTAL = "https://portal.example.gov.vn";

export interface BridgeHarness {
  /** The running core (a new one after `restartCore`). */
  readonly core: KysoCore;
  readonly dataDir: string;
  readonly tokens: TokenHarness;
  readonly wsPort: number;
  readonly wssPort: number;
  /** Resolves with the next approval that appears (and is shown). */
  nextApproval(kind?: ApprovalView["kind"]): Promise<ApprovalView>;
  /**
   * Closes the core and starts a fresh one on the same tokens and data folder (new ports). Only with
   * `{restartable: true}`: the fuzzer uses it to go on after a finding that leaves the core unusable.
   */
  restartCore(): Promise<void>;
  close(): Promise<void>;
}

export interface BridgeHarnessOptions {
  /** Keep the token service open across `restartCore` (the core's close must not close it). */
  readonly restartable?: boolean;
  /** The core's revocation check (default: the core's own RevocationService). */
  readonly revocation?: RevocationPort;
  /** The core's signing formats (default: the bounded document workers). */
  readonly signing?: SigningPort;
  /** The token service's options (e.g. the fault module in front of SoftHSM) and the token copy it runs on. */
  readonly tokens?: Parameters<typeof openTokenHarness>[0];
  readonly tokenCopy?: Parameters<typeof openTokenHarness>[1];
  /** Vendor adapter ports (default: any free port; they listen only when the policy lists origins). */
  readonly compatPorts?: Partial<CompatPorts>;
  readonly compatHooks?: CompatHooks;
  /** Remote signing accounts' transport, clock and CSC sign-in steps (policy `remoteSigning`). */
  readonly remote?: CoreOptions["remote"];
}

export async function startBridgeHarness(policy: Record<string, unknown> = {}, options: BridgeHarnessOptions = {}): Promise<BridgeHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), "kyso-bridge-"));
  const tokens = await openTokenHarness(options.tokens, options.tokenCopy);
  // A restartable harness hands the core a view of the token service whose close() does nothing: the harness
  // closes the real one itself.
  const tokenService: TokenService = options.restartable
    ? new Proxy(tokens.service, {
        get(target, property) {
          if (property === "close") return async () => undefined;
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      })
    : tokens.service;
  const startCore = async (): Promise<KysoCore> => {
    const started = createCore({
      dataDir,
      policy: policySchema.parse({ allowedOrigins: [PORTAL], ...policy }),
      tokenService,
      ...(options.revocation ? { revocation: options.revocation } : {}),
      ...(options.signing ? { signing: options.signing } : {}),
      bridgePorts: { ws: [0], wss: [0] },
      compatPorts: { vgca: 0, signpluginHttp: 0, signpluginHttps: 0, signpluginV2: 0, ...options.compatPorts },
      ...(options.compatHooks ? { compatHooks: options.compatHooks } : {}),
      ...(options.remote ? { remote: options.remote } : {}),
      language: "en",
    });
    await started.start();
    return started;
  };
  let core = await startCore();
  const seen = new Set<string>();
  return {
    get core() {
      return core;
    },
    dataDir,
    tokens,
    get wsPort() {
      return core.bridge.ports.ws!;
    },
    get wssPort() {
      return core.bridge.ports.wss!;
    },
    nextApproval(kind) {
      return new Promise((resolve) => {
        const check = (views: readonly ApprovalView[]): boolean => {
          const shown = views.find((v) => !seen.has(v.id) && (v.state.kind === "choosing-certificate" || v.state.kind === "needs-file") && (!kind || v.kind === kind));
          if (!shown) return false;
          seen.add(shown.id);
          off();
          resolve(shown);
          return true;
        };
        const off = core.onEvent("approvalsChanged", (views) => void check(views));
        void core.handlers["approvals.list"]().then(check);
      });
    },
    async restartCore() {
      if (!options.restartable) throw new Error("startBridgeHarness(policy, {restartable: true}) to restart the core");
      await core.close();
      core = await startCore();
    },
    async close() {
      await core.close();
      await tokens.close();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

export interface Client {
  readonly socket: WebSocket;
  readonly notifications: RpcNotification[];
  call(method: string, params?: unknown): Promise<ServerMessage>;
  send(text: string | Buffer): void;
  /** The next non-notification message. */
  next(): Promise<ServerMessage>;
  closed: Promise<{ code: number }>;
  close(): void;
}

export interface ConnectOptions {
  readonly origin?: string | null;
  readonly host?: string;
  readonly scheme?: "ws" | "wss";
  readonly ca?: string;
}

/** Opens a socket; rejects with `Unexpected server response: <status>` when the handshake is refused. */
export function connect(port: number, options: ConnectOptions = {}): Promise<Client> {
  const scheme = options.scheme ?? "ws";
  const headers: Record<string, string> = { host: options.host ?? `127.0.0.1:${port}` };
  const origin = options.origin === undefined ? PORTAL : options.origin;
  const socket = new WebSocket(`${scheme}://127.0.0.1:${port}/`, {
    headers,
    ...(origin !== null ? { origin } : {}),
    ...(options.ca ? { ca: options.ca } : {}),
  });
  const notifications: RpcNotification[] = [];
  const inbox: ServerMessage[] = [];
  const waiters: ((m: ServerMessage) => void)[] = [];
  const byId = new Map<unknown, (m: ServerMessage) => void>();
  let nextId = 1;
  const closed = new Promise<{ code: number }>((resolve) => socket.on("close", (code) => resolve({ code })));
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    if (!("id" in message)) {
      notifications.push(message);
      return;
    }
    const waiter = byId.get(message.id);
    if (waiter) {
      byId.delete(message.id);
      waiter(message);
      return;
    }
    const w = waiters.shift();
    if (w) w(message);
    else inbox.push(message);
  });
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.once("open", () =>
      resolve({
        socket,
        notifications,
        closed,
        call(method, params) {
          const id = nextId++;
          return new Promise((res) => {
            byId.set(id, res);
            socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params !== undefined ? { params } : {}) }));
          });
        },
        send: (text) => socket.send(text),
        next: () => new Promise((res) => (inbox.length > 0 ? res(inbox.shift()!) : waiters.push(res))),
        close: () => socket.close(),
      }),
    );
  });
}

export function errorName(message: ServerMessage): string | undefined {
  return "error" in message ? message.error.data.name : undefined;
}

/**
 * Services for a bridge without tokens, for tests about the transport itself (TLS, notifications): the one fake
 * is at the token port, everything else is the real store or queue in `dir`.
 */
export function tokenlessBridgeServices(dir: string, overrides: Partial<BridgeServices> = {}): BridgeServices {
  return {
    policy: policySchema.parse({ allowedOrigins: [PORTAL] }),
    pairings: createPairingStore(dir),
    tokens: noTokens,
    approvals: createApprovalQueue({ timeoutMs: 10_000 }),
    signing: signingPort(),
    audit: createAuditLog(dir),
    now: () => new Date(),
    language: () => "en",
    ...overrides,
  };
}

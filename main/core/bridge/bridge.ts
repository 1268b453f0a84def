/**
 * The bridge: listeners, the local certificate and the controller, put together. Built by kyso-core.ts.
 */
import type { BridgeStatusView, VendorServiceView } from "../app-api/views.js";
import type { TokenInfo } from "../../domain/token.js";
import { DEFAULT_PORTS } from "../../domain/wire/protocol.js";
import type { BridgeServices } from "./command.js";
import { createConnectionLimits, type ConnectionLimits } from "./connection-limits.js";
import { createController } from "./controller.js";
import { errorObject, failure, notification } from "./json-rpc.js";
import { startListener, type Listener } from "./listeners.js";
import { originTrust } from "./origin-gate.js";
import type { ConnectionHandle } from "./controller.js";
import { type LocalCertificate } from "./local-tls/local-certificate.js";
import { ensureBridgeCertificate } from "./local-tls/machine-certificate.js";
import { installCa, isCaTrusted, removeCa, type TrustStoreEnvironment } from "./local-tls/trust-store.js";
import { toTokenSummary } from "./wire-views.js";
import { probeVendorServices } from "../compat/vendor-conflicts.js";
import { compatEnabled, offViews, startCompat, type CompatHooks, type CompatPorts, type CompatService } from "../compat/compat-service.js";

const RENEWAL_CHECK_MS = 12 * 3600_000;

export interface BridgePorts {
  /** Ports tried in order; `[]` turns the listener off; `[0]` takes any free port (tests). */
  readonly wss: readonly number[];
  readonly ws: readonly number[];
}

export interface BridgeOptions {
  readonly services: BridgeServices;
  readonly ports?: Partial<BridgePorts>;
  /** Folder for the local certificate. */
  readonly tlsDir: string;
  /**
   * The per-machine install's certificate folder (deploy/machine-paths.ts); used instead of `tlsDir` while its set
   * is good. Its CA is in the machine store already, so on Windows and macOS nothing is installed per user.
   */
  readonly machineTlsDir?: string;
  /** Where to install the local CA; omitted = never touch trust stores (tests, sandbox). */
  readonly trustStore?: TrustStoreEnvironment;
  /** Vendor adapter ports (main/core/compat); default 8987, 14007, 14407; `0` = any free port (tests). */
  readonly compatPorts?: Partial<CompatPorts>;
  /** Test hooks for the adapters (an injected resolver). */
  readonly compatHooks?: CompatHooks;
}

export interface Bridge {
  readonly ports: { ws?: number; wss?: number };
  /** Ports the vendor adapters listen on (only those listening). */
  readonly compatPorts: { vgca?: number; signpluginHttp?: number; signpluginHttps?: number; signpluginV2?: number };
  readonly caCertificatePem: string | undefined;
  /** Connection slots taken right now (read-only; tests check that every path gives its slot back). */
  readonly connectionSlots: number;
  start(): Promise<void>;
  close(): Promise<void>;
  status(): BridgeStatusView;
  repairLocalCertificate(): Promise<{ trusted: boolean }>;
  setPaused(paused: boolean): void;
  /** Renews the local certificate when it is due (new CA, re-trusted); called twice a day while running. */
  renewLocalCertificate(now?: Date): Promise<boolean>;
  broadcastTokens(tokens: readonly TokenInfo[]): void;
  /** Other vendors' signing services on their known ports, and what KySo does about each (diagnostics). */
  vendorServices(): Promise<readonly VendorServiceView[]>;
  /** Reach requests answered (GET and preflight, reach.ts) since start: tests prove the SDK asked first. */
  readonly reachAnswered: number;
  /** Open connection slots (diagnostics, tests: no slot outlives its socket). */
  readonly connections: Pick<ConnectionLimits, "total" | "count">;
}

export function createBridge(options: BridgeOptions): Bridge {
  const { services } = options;
  const policy = services.policy;
  const ports: BridgePorts = {
    wss: options.ports?.wss ?? policy.ports.wss ?? DEFAULT_PORTS.wss,
    ws: options.ports?.ws ?? policy.ports.ws ?? DEFAULT_PORTS.ws,
  };
  const controller = createController(services);
  const connections = createConnectionLimits({
    trusted: { total: policy.limits.maxConnections, perOrigin: policy.limits.maxConnectionsPerOrigin },
    unknown: { total: policy.limits.maxUnknownConnections, perOrigin: policy.limits.maxConnectionsPerUnknownOrigin },
  });
  const open = new Set<ConnectionHandle>();
  const listeners: Listener[] = [];
  let certificate: LocalCertificate | undefined;
  let trusted: boolean | undefined;
  let problem: string | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let compat: CompatService | undefined;
  let reachAnswered = 0;

  const hooks = {
    limits: policy.limits,
    connections,
    poolOf: (origin: string) => (originTrust(origin, services) === "none" ? ("unknown" as const) : ("trusted" as const)),
    developerOrigins: () => policy.developerOrigins,
    onMessage(connection: ConnectionHandle, text: string) {
      void controller.handle(connection, text).catch(() => connection.send(failure(null, errorObject("internal", services.language()))));
    },
    onBinary(connection: ConnectionHandle) {
      connection.send(failure(null, errorObject("invalid_request", services.language(), "binary frames are not part of protocol v1")));
    },
    onOpen: (connection: ConnectionHandle) => open.add(connection),
    onReach: () => void reachAnswered++,
    onClose(connection: ConnectionHandle) {
      open.delete(connection);
      // A portal that goes away withdraws what it asked for: nothing is signed for a page that is gone.
      services.approvals.withdraw(connection.id);
    },
  };

  let machineCertificate = false;
  async function trust(current: LocalCertificate, previous?: LocalCertificate): Promise<void> {
    if (!options.trustStore) return;
    // The installer trusted the machine's CA machine-wide; Linux browsers read only per-user NSS databases, so there
    // the user's copy is still added (no prompt on Linux).
    if (machineCertificate && options.trustStore.platform !== "linux") {
      trusted = true;
      problem = undefined;
      return;
    }
    try {
      if (previous) await removeCa(previous.caPem, options.trustStore).catch(() => undefined);
      await installCa(current.caPem, options.trustStore);
      trusted = (await isCaTrusted(current.caPem, options.trustStore)) ?? true;
      problem = undefined;
    } catch (error) {
      trusted = false;
      problem = (error as Error).message.slice(0, 300);
    }
  }

  const bridge: Bridge = {
    get ports() {
      const result: { ws?: number; wss?: number } = {};
      for (const l of listeners) result[l.scheme] = l.port;
      return result;
    },
    get compatPorts() {
      return compat?.ports ?? {};
    },
    get caCertificatePem() {
      return certificate?.caPem;
    },
    connections,
    get reachAnswered() {
      return reachAnswered;
    },
    get connectionSlots() {
      return connections.total;
    },
    async start() {
      if (ports.wss.length > 0) {
        const ensured = await ensureBridgeCertificate(options.tlsDir, options.machineTlsDir, services.now());
        certificate = ensured.certificate;
        machineCertificate = ensured.machine;
        if (ensured.renewed || options.trustStore) await trust(certificate, ensured.previous);
        listeners.push(await startListener("wss", ports.wss, hooks, { cert: certificate.certPem, key: certificate.keyPem }));
        // The app runs for months: check for renewal twice a day, not only at start.
        renewTimer = setInterval(() => void bridge.renewLocalCertificate().catch(() => undefined), RENEWAL_CHECK_MS);
        renewTimer.unref();
      }
      if (ports.ws.length > 0) listeners.push(await startListener("ws", ports.ws, hooks));
      if (compatEnabled(policy)) {
        // The vendor adapters serve TLS with the same local certificate (the user trusts one CA, not one per vendor).
        if (!certificate) certificate = (await ensureBridgeCertificate(options.tlsDir, options.machineTlsDir, services.now())).certificate;
        compat = await startCompat({ services, tls: { cert: certificate.certPem, key: certificate.keyPem }, ...(options.compatPorts ? { ports: options.compatPorts } : {}), ...(options.compatHooks ? { hooks: options.compatHooks } : {}) });
        compat.setPaused(controller.paused);
      }
    },
    async close() {
      if (renewTimer) clearInterval(renewTimer);
      await Promise.all(listeners.splice(0).map((l) => l.close()));
      await compat?.close();
      await controller.close();
    },
    status() {
      return {
        listening: listeners.map((l) => ({ scheme: l.scheme, port: l.port })),
        paused: controller.paused,
        compat: compat?.views() ?? offViews(options.compatPorts),
        localCertificate: {
          trusted: trusted ?? false,
          ...(certificate ? { notAfter: certificate.notAfter.toISOString() } : {}),
          ...(problem ? { problem } : options.trustStore ? {} : { problem: "trust store installation not enabled" }),
        },
      };
    },
    async repairLocalCertificate() {
      if (!certificate) return { trusted: false };
      await trust(certificate);
      return { trusted: trusted ?? false };
    },
    async renewLocalCertificate(now = services.now()) {
      if (!certificate) return false;
      const ensured = await ensureBridgeCertificate(options.tlsDir, options.machineTlsDir, now);
      // A change of set, not only a renewal: a machine set past its renewal date hands over to the user's own.
      if (ensured.certificate.caFingerprintSha256 === certificate.caFingerprintSha256) return false;
      const previous = machineCertificate ? undefined : (ensured.previous ?? certificate);
      certificate = ensured.certificate;
      machineCertificate = ensured.machine;
      for (const listener of listeners) listener.updateTls({ cert: certificate.certPem, key: certificate.keyPem });
      compat?.updateTls({ cert: certificate.certPem, key: certificate.keyPem });
      await trust(certificate, previous);
      return true;
    },
    vendorServices: () => probeVendorServices(compat?.views() ?? offViews(options.compatPorts)),
    setPaused(paused) {
      controller.paused = paused;
      compat?.setPaused(paused);
    },
    broadcastTokens(tokens) {
      const message = notification("tokensChanged", { tokens: tokens.map(toTokenSummary) });
      // Only to origins that may see tokens: an unknown origin must not learn that a token was plugged in.
      for (const connection of open) if (originTrust(connection.origin, services) !== "none") connection.send(message);
    },
  };
  return bridge;
}

/**
 * The vendor adapters, started by the bridge (bridge.ts) next to its own listeners, with its local certificate and
 * the same services. Each adapter is off until the policy lists an origin for it; an adapter whose port is held
 * by another program stays off (`port-in-use`) rather than fighting for it.
 */
import type { CompatListenerView } from "../app-api/views.js";
import type { BridgeServices } from "../bridge/command.js";
import { createConnectionLimits } from "../bridge/connection-limits.js";
import type { KysoPolicy } from "../policy/policy-schema.js";
import { createKysoGateway, type KysoGateway } from "./kyso-gateway.js";
import { SIGNPLUGIN_PORTS, startSignPluginListeners, type SignPluginListeners } from "./signplugin/signplugin-listener.js";
import type { HostResolver } from "./vgca/vgca-file-flow.js";
import { startVgcaListener, VGCA_PORT, type VgcaListener } from "./vgca/vgca-listener.js";

export interface CompatPorts {
  readonly vgca: number;
  readonly signpluginHttp: number;
  readonly signpluginHttps: number;
  readonly signpluginV2: number;
}

export const DEFAULT_COMPAT_PORTS: CompatPorts = { vgca: VGCA_PORT, signpluginHttp: SIGNPLUGIN_PORTS.http, signpluginHttps: SIGNPLUGIN_PORTS.https, signpluginV2: SIGNPLUGIN_PORTS.v2 };

/** Test hooks: how VGCA file-flow hosts are resolved (a rebinding resolver in tests). */
export interface CompatHooks {
  readonly resolveHost?: HostResolver;
}

export interface CompatService {
  views(): CompatListenerView[];
  /** Actual ports (tests that ask for port 0). */
  readonly ports: { vgca?: number; signpluginHttp?: number; signpluginHttps?: number; signpluginV2?: number };
  setPaused(paused: boolean): void;
  updateTls(tls: { cert: string; key: string }): void;
  close(): Promise<void>;
}

export function compatEnabled(policy: KysoPolicy): boolean {
  return policy.compatibility.vgca.origins.length > 0 || policy.compatibility.signplugin.origins.length > 0;
}

export async function startCompat(options: {
  readonly services: BridgeServices;
  readonly tls: { cert: string; key: string };
  readonly ports?: Partial<CompatPorts>;
  readonly hooks?: CompatHooks;
}): Promise<CompatService> {
  const { services } = options;
  const policy = services.policy;
  const ports: CompatPorts = { ...DEFAULT_COMPAT_PORTS, ...options.ports };
  // The adapters' own pool, with the bridge's limits: a vendor page cannot take a slot a KySo portal needs.
  const connections = createConnectionLimits({
    trusted: { total: policy.limits.maxConnections, perOrigin: policy.limits.maxConnectionsPerOrigin },
    unknown: { total: 1, perOrigin: 1 },
  });
  const gateways: KysoGateway[] = [];
  let vgca: VgcaListener | undefined;
  let signplugin: SignPluginListeners | undefined;
  if (policy.compatibility.vgca.origins.length > 0) {
    const gateway = createKysoGateway("vgca", services);
    gateways.push(gateway);
    vgca = await startVgcaListener({
      port: ports.vgca,
      tls: options.tls,
      gateway,
      limits: policy.limits,
      connections,
      language: services.language,
      ...(options.hooks?.resolveHost ? { resolveHost: options.hooks.resolveHost } : {}),
    });
  }
  if (policy.compatibility.signplugin.origins.length > 0) {
    const gateway = createKysoGateway("signplugin", services);
    gateways.push(gateway);
    signplugin = await startSignPluginListeners({
      ports: { http: ports.signpluginHttp, https: ports.signpluginHttps, v2: ports.signpluginV2 },
      tls: options.tls,
      gateway,
      limits: policy.limits,
      connections,
    });
  }
  const portOf = (outcome: { state: string; port?: number } | undefined, fallback: number): number => outcome?.port ?? fallback;
  return {
    get ports() {
      return {
        ...(vgca?.outcome.state === "listening" ? { vgca: vgca.outcome.port } : {}),
        ...(signplugin?.http.state === "listening" ? { signpluginHttp: signplugin.http.port } : {}),
        ...(signplugin?.https.state === "listening" ? { signpluginHttps: signplugin.https.port } : {}),
        ...(signplugin?.v2.state === "listening" ? { signpluginV2: signplugin.v2.port } : {}),
      };
    },
    views() {
      return [
        { adapter: "vgca", scheme: "wss", port: portOf(vgca?.outcome, ports.vgca), state: vgca?.outcome.state ?? "off" },
        { adapter: "signplugin", scheme: "http", port: portOf(signplugin?.http, ports.signpluginHttp), state: signplugin?.http.state ?? "off" },
        { adapter: "signplugin", scheme: "https", port: portOf(signplugin?.https, ports.signpluginHttps), state: signplugin?.https.state ?? "off" },
        { adapter: "signplugin", scheme: "https", port: portOf(signplugin?.v2, ports.signpluginV2), state: signplugin?.v2.state ?? "off" },
      ];
    },
    setPaused(paused) {
      for (const gateway of gateways) gateway.paused = paused;
    },
    updateTls(tls) {
      vgca?.updateTls(tls);
      signplugin?.updateTls(tls);
    },
    async close() {
      await Promise.all([vgca?.close(), signplugin?.close()]);
      await Promise.all(gateways.map((g) => g.close()));
    },
  };
}

/** Diagnostics when no adapter is enabled: every listener `off`, on its default port. */
export function offViews(ports: Partial<CompatPorts> = {}): CompatListenerView[] {
  const p = { ...DEFAULT_COMPAT_PORTS, ...ports };
  return [
    { adapter: "vgca", scheme: "wss", port: p.vgca, state: "off" },
    { adapter: "signplugin", scheme: "http", port: p.signpluginHttp, state: "off" },
    { adapter: "signplugin", scheme: "https", port: p.signpluginHttps, state: "off" },
    { adapter: "signplugin", scheme: "https", port: p.signpluginV2, state: "off" },
  ];
}

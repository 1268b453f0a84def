import type { ModuleDiagnostic } from "../../domain/token.js";

export interface AppInfo {
  readonly product: "KySo";
  readonly version: string;
  readonly protocol: 1;
  readonly formats: readonly string[];
  readonly platform: string;
}

export interface PairingView {
  readonly origin: string;
  readonly source: "policy" | "user";
  readonly pairedAt?: string;
}

export interface AuditEntryView {
  /** Set on signature lines: names the record for the evidence export (`evidence.export`). */
  readonly id?: string;
  readonly time: string;
  readonly origin: string;
  readonly method: string;
  readonly format?: string;
  readonly certificateFingerprint?: string;
  readonly documentSha256?: string;
  readonly decision: "approved" | "rejected" | "timeout" | "withdrawn" | "none";
  readonly result: string;
  /** Coalesced refusals: this many requests with the same origin, method and result in one window (bridge/refusal-audit.ts). */
  readonly count?: number;
  /** Ids of the certificate-check evidence kept for this signature (main/core/evidence/evidence-store.ts). */
  readonly evidence?: readonly string[];
}

export type Language = "vi" | "en";

export interface SettingsView {
  readonly language: Language;
  readonly startAtLogin: boolean;
  readonly userModules: readonly string[];
  readonly pinCacheMinutes: number;
  /** The PIN cache may be turned on only when the policy allows it. */
  readonly pinCacheAllowed: boolean;
  readonly bridgePaused: boolean;
  /** Setting keys the machine policy fixes: shown locked, "managed by your organisation". */
  readonly managed: readonly (keyof Omit<SettingsView, "managed" | "pinCacheAllowed">)[];
}

export interface BridgeStatusView {
  readonly listening: readonly { readonly scheme: "ws" | "wss"; readonly port: number }[];
  readonly paused: boolean;
  readonly localCertificate: { readonly trusted: boolean; readonly notAfter?: string; readonly problem?: string };
  /** Vendor protocol adapters (main/core/compat): one line per listener. */
  readonly compat?: readonly CompatListenerView[];
}

/**
 * A vendor adapter's listener: `off` (no origin listed in the policy), `listening`, or `port-in-use` (another
 * program, usually the vendor's own service, holds the port: KySo leaves it alone).
 */
export interface CompatListenerView {
  readonly adapter: "vgca" | "signplugin";
  readonly scheme: "http" | "https" | "wss";
  readonly port: number;
  readonly state: "listening" | "port-in-use" | "off";
}

/** Where the machine policy came from, or why none is in force (policy/machine-policy.ts). */
export interface PolicyStatusView {
  readonly status: "none" | "loaded" | "invalid";
  readonly source?: { readonly kind: "registry" | "managed-preferences" | "file" | "environment"; readonly location: string };
  /** `none`: the places looked at. */
  readonly searched?: readonly { readonly kind: string; readonly location: string }[];
  /** `invalid`: what is wrong, key by key; the bridge stays off until it is fixed. */
  readonly problems?: readonly string[];
}

/**
 * Another signing service listening on a port its vendor fixed. `kyso`: `yields-port` (KySo's adapter for that
 * protocol is enabled but leaves the port to the vendor's service), `adapter-off` (KySo's adapter is not enabled:
 * the vendor's service answers those portals), `not-emulated` (KySo has no adapter for that protocol).
 */
export interface VendorServiceView {
  readonly vendor: "vgca" | "vnpt-ca" | "viettel-ca" | "bkav-ca";
  readonly port: number;
  readonly kyso: "yields-port" | "adapter-off" | "not-emulated";
}

export interface DiagnosticsView {
  readonly app: AppInfo;
  readonly bridge: BridgeStatusView;
  readonly modules: readonly ModuleDiagnostic[];
  readonly tokens: number;
  readonly policyFile?: string;
  readonly policy?: PolicyStatusView;
  /** Other signing services found on their vendors' ports (main/core/compat/vendor-conflicts.ts). */
  readonly vendorServices?: readonly VendorServiceView[];
}

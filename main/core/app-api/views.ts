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
  /** Seconds after a successful signing before the approval window hides itself; 0 = it stays. */
  readonly approvalAutoHideSeconds: number;
  /** Setting keys the machine policy fixes: shown locked, "managed by your organisation". */
  readonly managed: readonly (keyof Omit<SettingsView, "managed" | "pinCacheAllowed">)[];
}

export interface BridgeStatusView {
  readonly listening: readonly { readonly scheme: "ws" | "wss"; readonly port: number }[];
  readonly paused: boolean;
  readonly localCertificate: { readonly trusted: boolean; readonly notAfter?: string; readonly problem?: string };
}

export interface DiagnosticsView {
  readonly app: AppInfo;
  readonly bridge: BridgeStatusView;
  readonly modules: readonly ModuleDiagnostic[];
  readonly tokens: number;
  readonly policyFile?: string;
}

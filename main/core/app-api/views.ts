import type { ModuleDiagnostic } from "../../domain/token.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import type { CandidateChainView } from "./approval-view.js";
import type { TrustBundleStatus } from "../certificates/trust/trust-bundle-types.js";

/** A certificate on the certificates page, with the same chain line the approval shows (absent: checks off, or cannot sign). */
export type CertificateListItem = CertificateInfo & { readonly trustChain?: CandidateChainView };

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
  /**
   * The document's name as the PAGE gave it (`display.fileName`, else `display.title`): a claim, not KySo's
   * reading; control characters removed, at most AUDIT_NAME_MAX characters (audit-log.ts `documentNameClaim`).
   */
  readonly documentName?: string;
  /** The signing certificate's display name (CN, else O, else the first readable attribute). */
  readonly certificateName?: string;
  readonly decision: "approved" | "rejected" | "timeout" | "withdrawn" | "none";
  readonly result: string;
  /** `verify` lines: the document's verdict (ETSI EN 319 102-1 indication). */
  readonly verdict?: "TOTAL-PASSED" | "TOTAL-FAILED" | "INDETERMINATE";
  /** Coalesced refusals: this many requests with the same origin, method and result in one window (bridge/refusal-audit.ts). */
  readonly count?: number;
  /** `user`: the stamp's place was chosen by the user on the approval's preview (bridge/user-placement.ts). */
  readonly stampPlacedBy?: "user";
  /** Ids of the certificate-check evidence kept for this signature (main/core/evidence/evidence-store.ts). */
  readonly evidence?: readonly string[];
}

/** An audit line in the UI language's words (audit/audit-words.ts), never the raw codes. */
export interface AuditWordsView {
  readonly action: string;
  readonly format?: string;
  readonly decision: string;
  readonly result: string;
  /** The request ended as asked (signed, allowed, answered). */
  readonly ok: boolean;
}

export type AuditRowView = AuditEntryView & { readonly words: AuditWordsView };

export type Language = "vi" | "en";

/** The user's own account at a remote signing provider: the id they sign in with (CCCD, MST or account id). */
export interface RemoteAccountSetting {
  readonly userId: string;
  /** NEAC: the CA that holds the key (`ca_name`). */
  readonly caName?: string;
}

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
  /** The user's account id at each remote signing provider the policy configures (by provider id). */
  readonly remoteAccounts: Readonly<Record<string, RemoteAccountSetting>>;
  /** Setting keys the machine policy fixes: shown locked, "managed by your organisation". */
  readonly managed: readonly (keyof Omit<SettingsView, "managed" | "pinCacheAllowed" | "remoteAccounts">)[];
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
  readonly policy: PolicyView;
  /** Other signing services found on their vendors' ports (main/core/compat/vendor-conflicts.ts). */
  readonly vendorServices?: readonly VendorServiceView[];
  /** Policy `trustBundle`: the signed bundle in use and each candidate refused (bad signature, unknown key, rollback, expired). */
  readonly trustBundle?: TrustBundleStatus;
  /** The trust anchors in force per source, and whether the OS store is used (policy `trustAnchorsOsStore`). */
  readonly trustAnchors?: TrustAnchorsView;
}

export interface TrustAnchorsView {
  readonly counts: { readonly bundled: number; readonly policy: number; readonly file: number; readonly "trust-bundle": number; readonly system: number };
  readonly osStore: boolean;
  readonly problems: readonly { readonly origin: string; readonly message: string }[];
}

/**
 * The policy in force, as diagnostics shows it: where it came from and every key the organisation set (a value
 * other than the built-in default), flattened to `limits.maxBatchItems`-style paths, plus the settings it fixes.
 */
export interface PolicyView {
  /**
   * Where it was read (policy/machine-policy.ts): `file`, `registry` (`file` is the key), `managed-preferences` (a
   * configuration profile), `environment` (KYSO_POLICY_FILE, development builds); `provided`: handed to the core
   * already loaded (sandbox, tests); `default`: none installed.
   */
  readonly source: "file" | "registry" | "managed-preferences" | "environment" | "provided" | "default";
  /** The file path or registry key. */
  readonly file?: string;
  /** Present when the policy found is invalid: what is wrong, key by key. The bridge stays off until it is fixed. */
  readonly problems?: readonly string[];
  readonly keys: readonly { readonly key: string; readonly value: string }[];
  readonly managed: readonly { readonly key: string; readonly value: string }[];
}

/** One policy provider on the settings page (`remote.status`): never its secrets (`spPassword`, `clientSecret`). */
export interface RemoteProviderView {
  readonly id: string;
  readonly name: string;
  readonly kind: "csc" | "vnpt-smartca" | "neac" | "viettel-mysign";
  /** The account id the user entered (settings `remoteAccounts`), if any. */
  readonly userId?: string;
  /** CSC only: the browser sign-in's state; `expiresAt` (ISO) the access token's end, renewed by `refreshable`. */
  readonly signIn?: { readonly signedIn: boolean; readonly expiresAt?: string; readonly refreshable?: boolean };
}

/**
 * The remote accounts section: the providers the machine policy configures and where sign-in tokens can live
 * (`os`: the OS secret store; `memory`: kept until KySo quits; `unavailable`: no secure store, with the reason the
 * settings page explains).
 */
export interface RemoteAccountsView {
  readonly secretStore: { readonly kind: "os" | "memory" } | { readonly kind: "unavailable"; readonly reason: "no-encryption" | "basic-text" };
  readonly providers: readonly RemoteProviderView[];
}

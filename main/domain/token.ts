/**
 * PIN state read from the token's CK_TOKEN_INFO flags (CKF_USER_PIN_COUNT_LOW / FINAL_TRY / LOCKED).
 * `finalTry` means one more wrong PIN locks the token: the UI must say so before the user types.
 */
import type { PinStatus } from "./wire/protocol.js";
export type { PinStatus };

/** A token currently plugged in, as one PKCS#11 module reports it. */
export interface TokenInfo {
  /** Stable while the token is plugged in and across re-plugging: module id + serial (or label when no serial). */
  readonly id: string;
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  /** The module (driver) that reports the token. */
  readonly moduleId: string;
  readonly pinStatus: PinStatus;
  /** PIN pad reader: the PIN is typed on the device, never in KySo. */
  readonly protectedAuthenticationPath: boolean;
  readonly loginRequired: boolean;
}

/** Where a module path came from; policy modules cannot be removed in the UI. */
export type ModuleSource = "policy" | "user" | "catalogue";

export type ModuleStatus =
  | { readonly kind: "ready"; readonly library: string; readonly tokens: number }
  /**
   * `code`: why, as a stable code the UI labels (`settings.moduleFailure.<code>`: not_found, wrong_architecture,
   * not_pkcs11, load_failed, initialize_failed, timeout, crashed, error); `reason`: the raw technical detail (path,
   * loader message), shown beside the label, never worded by the core.
   */
  | { readonly kind: "failed"; readonly reason: string; readonly code: string }
  | { readonly kind: "starting" };

/**
 * How a module's token host has fared since start, so diagnostics can say "the token driver restarted"
 * (filled from HostSupervisor.health()).
 */
export interface ModuleRecovery {
  /** Hosts that ended unexpectedly (crash, hung and killed, failed restart). */
  readonly crashes: number;
  /** Failures in a row, after decay: more than 1 means the driver keeps dying and restarts are slowed down. */
  readonly consecutiveFailures: number;
  readonly lastCrash?: { readonly at: string; readonly reason: string };
  /** When the last replacement host answered. */
  readonly lastRestartAt?: string;
  /** Set while a restart waits out its back-off. */
  readonly restartInMs?: number;
}

/** One line of the diagnostics page: a PKCS#11 module KySo tried, and what happened. */
export interface ModuleDiagnostic {
  readonly id: string;
  readonly path: string;
  readonly source: ModuleSource;
  /** A vendor name from the driver catalogue when known ("VNPT-CA", "Viettel-CA", ...). */
  readonly vendor?: string;
  readonly status: ModuleStatus;
  /** Present once the module's host has crashed at least once. */
  readonly recovery?: ModuleRecovery;
}

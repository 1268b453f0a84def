/**
 * Per-call time limits of the token hosts. Enumeration is short (a healthy driver lists tokens in milliseconds;
 * a VNPT module that opens its own PIN dialog must not freeze the tray), signing longer (real tokens take
 * 0.3-2 s, RSA-3072 on old chips more), login longest (a PIN pad waits for the user's fingers).
 */
export interface HostTimeouts {
  /** A new host process: start the runtime, load and C_Initialize the module. */
  readonly startupMs: number;
  /** probe, listTokens, listObjects, close, logout */
  readonly enumerationMs: number;
  readonly signingMs: number;
  /** open: C_Login, including typing the PIN on a PIN pad reader. */
  readonly loginMs: number;
}

export const DEFAULT_TIMEOUTS: HostTimeouts = { startupMs: 15_000, enumerationMs: 10_000, signingMs: 30_000, loginMs: 120_000 };

export interface RestartBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  /** A host that lived this long is healthy again: the next crash starts from `initialMs`. */
  readonly resetAfterMs: number;
}

export const DEFAULT_BACKOFF: RestartBackoff = { initialMs: 250, maxMs: 30_000, resetAfterMs: 60_000 };

export function backoffDelay(backoff: RestartBackoff, failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 1));
}

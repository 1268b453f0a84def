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

/**
 * How a crashed host comes back. The first failure restarts it at once: a driver that crashed once is usually
 * fine again, and the user is waiting. Only a module that keeps dying is slowed down: the n-th failure in a row
 * waits `initialMs * 2^(n-2)` (0.5 s, 1 s, 2 s, ...), capped at `maxMs`. Stable time forgives failures.
 */
export interface RestartBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Each full period of this length that a host stays up forgives one earlier failure (the count decays). */
  readonly resetAfterMs: number;
}

export const DEFAULT_BACKOFF: RestartBackoff = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

/** The wait before restarting after `failures` failures in a row (the one just counted included). */
export function backoffDelay(backoff: RestartBackoff, failures: number): number {
  if (failures <= 1) return 0;
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 2));
}

/** The failure count after a host that lived `livedMs` ended: decayed by its stable time, plus this failure. */
export function failuresAfterExit(backoff: RestartBackoff, failures: number, livedMs: number): number {
  const forgiven = backoff.resetAfterMs > 0 ? Math.floor(livedMs / backoff.resetAfterMs) : failures;
  return Math.max(0, failures - forgiven) + 1;
}

import { KysoError } from "../../domain/errors/index.js";
import { redactError } from "./errors.js";
import { pollUntilFinal } from "./remote-signer.js";
import type { RemoteClock, RemoteSignOptions, RemoteSignState } from "./types.js";

export interface PhoneWait {
  readonly provider: string;
  /** The provider's id for the pending transaction (shown nowhere; lets the approval tell two waits apart). */
  readonly transactionId: string;
  readonly clock: RemoteClock;
  /** When the request was sent: the provider's expiry counts from here. */
  readonly started: number;
  readonly expiryMs: number;
  readonly intervalMs: number;
  /** Redacted from any error the wait ends with (a service may echo them). */
  readonly secrets: readonly string[];
  readonly options: RemoteSignOptions;
}

/**
 * The part every asynchronous provider shares once the request is accepted (VNPT SmartCA, Viettel MySign, CSC
 * `signPolling`): tell the approval "confirm on your phone" with the expiry, poll `check` on the injected clock
 * until a final state, honour cancel, and end with the state's catalogue error, free of the provider's secrets.
 */
export async function waitForPhone<T>(check: () => Promise<{ state: RemoteSignState; value?: T }>, wait: PhoneWait): Promise<T> {
  const deadline = wait.started + wait.expiryMs;
  wait.options.onState?.({ state: "waiting_for_phone", transactionId: wait.transactionId, expiresAt: deadline });
  try {
    return await pollUntilFinal(check, {
      provider: wait.provider,
      clock: wait.clock,
      intervalMs: wait.intervalMs,
      deadline,
      ...(wait.options.onState ? { onState: wait.options.onState } : {}),
      ...(wait.options.signal ? { signal: wait.options.signal } : {}),
    });
  } catch (error) {
    throw error instanceof KysoError ? redactError(error, wait.secrets) : error;
  }
}

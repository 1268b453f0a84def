/**
 * What the Electron shell uses of the core (main/core/kyso-core.ts `KysoCore`): the shell is thin wiring and
 * depends on nothing more than this.
 */
import type { AppEvent, AppEvents, AppHandlers } from "../core/app-api/contract.js";

export interface ShellCore {
  readonly handlers: AppHandlers;
  onEvent<E extends AppEvent>(event: E, listener: (payload: AppEvents[E]) => void): () => void;
  start(): Promise<void>;
  close(): Promise<void>;
}

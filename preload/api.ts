/**
 * The API the renderer sees as `window.kyso`, derived from the core's one contract (style habit 2): the Electron
 * preload and the test transport both implement exactly this type, so the renderer cannot tell them apart.
 * Type-only: nothing here runs.
 */
import type { AppEvent, AppEvents, AppMethod, AppParams, AppResult } from "../main/core/app-api/contract.js";
import type { ErrorPayload } from "../main/domain/errors/kyso-error.js";

export type { AppEvent, AppEvents, AppMethod, AppParams, AppResult };

/** Methods whose params schema is `z.void()` take no second argument. */
export type InvokeArgs<M extends AppMethod> = [AppParams<M>] extends [void] ? [] : [params: AppParams<M>];

/**
 * What a failed `invoke` rejects with: the core's ErrorPayload (message already in the user's language) as a plain
 * object, because Electron's contextBridge drops custom properties from thrown Error objects.
 */
export interface KysoApiError extends ErrorPayload {
  readonly name: "KysoApiError";
}

export interface KysoApi {
  invoke<M extends AppMethod>(method: M, ...params: InvokeArgs<M>): Promise<AppResult<M>>;
  /**
   * The absolute path of a dropped file or folder (Electron: `webUtils.getPathForFile`); "" when there is none, as
   * in the browser transport, whose page cannot know where a dropped file came from.
   */
  pathForFile(file: File): string;
  /** Returns the unsubscribe function. */
  on<E extends AppEvent>(event: E, listener: (payload: AppEvents[E]) => void): () => void;
}

/**
 * IPC channel names, as types: the sandboxed preload cannot `require` a local module, so each side writes the
 * literal and the compiler checks it matches.
 */
export type IpcInvokeChannel = "kyso:invoke";
export type IpcEventChannel = "kyso:event";

/** The surface a window shows; the approval window's preload and IPC handlers allow only approval methods. */
export type KysoSurface = "main" | "approval";
/** Passed to the preload through `webPreferences.additionalArguments`. */
export type SurfaceArgument = `--kyso-surface=${KysoSurface}`;

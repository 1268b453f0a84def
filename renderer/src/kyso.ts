import type { AppEvent, AppEvents, KysoApi, KysoApiError } from "../../preload/api.js";

declare global {
  interface Window {
    /** Set by the Electron preload or, in tests, by the test transport's script. Nothing else is exposed. */
    readonly kyso: KysoApi;
  }
}

export function api(): KysoApi {
  return window.kyso;
}

export function isKysoApiError(value: unknown): value is KysoApiError {
  return typeof value === "object" && value !== null && (value as { name?: unknown }).name === "KysoApiError";
}

/** The core's message (already in the user's language) or, for a programming error, its text. */
export function errorMessage(error: unknown): string {
  if (isKysoApiError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export type { AppEvent, AppEvents, KysoApi, KysoApiError };

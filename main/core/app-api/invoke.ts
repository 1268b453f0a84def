import { KysoError, toKysoError, type ErrorPayload, type Language } from "../../domain/errors/kyso-error.js";
import { APP_PARAMS, isAppMethod, type AppHandlers, type AppMethod, type AppParams } from "./contract.js";

export type InvokeOutcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: ErrorPayload };

/**
 * The single door from a renderer (Electron IPC or the test transport) into the core: unknown methods and
 * params that fail the schema stop here as `invalid_params`; everything thrown leaves as an ErrorPayload.
 */
export async function invokeAppMethod(
  handlers: AppHandlers,
  method: unknown,
  params: unknown,
  language: Language = "en",
): Promise<InvokeOutcome> {
  try {
    if (!isAppMethod(method)) throw new KysoError("invalid_params", `unknown method ${String(method).slice(0, 64)}`);
    const parsed = APP_PARAMS[method].safeParse(params ?? undefined);
    if (!parsed.success) throw new KysoError("invalid_params", `${method}: ${parsed.error.issues[0]?.message ?? "bad params"}`);
    const handler = handlers[method] as (p: AppParams<AppMethod>) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data as AppParams<AppMethod>) };
  } catch (error) {
    return { ok: false, error: toKysoError(error).toPayload(language) };
  }
}

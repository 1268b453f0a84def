/**
 * Why a module cannot be used, for the diagnostics and settings pages. The codes are stable (support scripts read
 * them, the renderer labels them: `settings.moduleFailure.<code>` in main/domain/messages); `reason` is the raw
 * technical detail (the path, the loader's or the driver's own message, the timeout), never a sentence: the core
 * returns keys and raw values, the UI words them in its language.
 */
import { existsSync } from "node:fs";
import { isKysoError } from "../../domain/errors/index.js";

export type ProbeFailureCode = "not_found" | "wrong_architecture" | "not_pkcs11" | "load_failed" | "initialize_failed" | "timeout" | "crashed" | "error";

export function probeFailure(error: unknown, path: string, timeoutMs: number): { code: ProbeFailureCode; reason: string } {
  if (!existsSync(path)) return { code: "not_found", reason: path };
  if (isKysoError(error, "timeout")) return { code: "timeout", reason: `${timeoutMs} ms` };
  const details = isKysoError(error) ? error.details : undefined;
  if (details?.reason === "host_exited") return { code: "crashed", reason: "host_exited" };
  const detail = typeof details?.detail === "string" ? details.detail : error instanceof Error ? error.message : String(error);
  switch (details?.reason) {
    case "not_found":
    case "wrong_architecture":
    case "not_pkcs11":
    case "initialize_failed":
    case "load_failed":
      return { code: details.reason, reason: detail };
    default:
      return { code: "error", reason: detail };
  }
}

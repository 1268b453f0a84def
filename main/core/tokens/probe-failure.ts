/**
 * A readable reason for the diagnostics page when a module cannot be used. The codes are stable (support
 * scripts read them); the reasons are for people.
 */
import { existsSync } from "node:fs";
import { isKysoError } from "../../domain/errors/index.js";

export type ProbeFailureCode = "not_found" | "wrong_architecture" | "not_pkcs11" | "load_failed" | "initialize_failed" | "timeout" | "crashed" | "error";

export function probeFailure(error: unknown, path: string, timeoutMs: number): { code: ProbeFailureCode; reason: string } {
  if (!existsSync(path)) return { code: "not_found", reason: `The file does not exist: ${path}` };
  if (isKysoError(error, "timeout")) return { code: "timeout", reason: `The driver did not answer within ${timeoutMs} ms` };
  const details = isKysoError(error) ? error.details : undefined;
  if (details?.reason === "host_exited") return { code: "crashed", reason: "The driver crashed while loading" };
  const detail = typeof details?.detail === "string" ? details.detail : error instanceof Error ? error.message : String(error);
  switch (details?.reason) {
    case "not_found":
      return { code: "not_found", reason: `The file could not be opened: ${detail}` };
    case "wrong_architecture":
      return { code: "wrong_architecture", reason: `The driver is built for another processor architecture (often a 32-bit driver): ${detail}` };
    case "not_pkcs11":
      return { code: "not_pkcs11", reason: `The file is not a PKCS#11 library: ${detail}` };
    case "initialize_failed":
      return { code: "initialize_failed", reason: `The driver refused to start: ${detail}` };
    case "load_failed":
      return { code: "load_failed", reason: `The driver could not be loaded: ${detail}` };
    default:
      return { code: "error", reason: detail };
  }
}

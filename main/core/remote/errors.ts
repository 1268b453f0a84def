import { KysoError } from "../../domain/errors/index.js";
import type { RemoteSignState } from "./types.js";

/**
 * One catalogue code per failure state. The detail is for the log and never carries a secret: it is built from
 * the state and provider-chosen codes only, then passed through `redact` with the provider's secrets anyway.
 */
export function remoteStateError(state: Exclude<RemoteSignState, { state: "waiting_for_phone" | "success" }>, provider: string): KysoError {
  const details = { provider, remoteState: state.state };
  switch (state.state) {
    case "rejected":
      return new KysoError("user_rejected", `${provider}: the user declined on the phone`, details);
    case "expired":
      return new KysoError("timeout", `${provider}: the phone confirmation expired`, details);
    case "quota_exhausted":
      return new KysoError("remote_quota_exceeded", `${provider}: signing quota exhausted`, details);
    case "network_failure":
      return new KysoError("remote_unavailable", `${provider}: the service could not be reached`, details);
    case "failed":
      return new KysoError("signing_failed", `${provider}: ${state.reason}`, details);
  }
}

/** Replaces every occurrence of a secret (and its URL-encoded form) by `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      out = out.split(form).join("[redacted]");
    }
  }
  return out;
}

/** A KysoError whose message and details are free of the given secrets. */
export function redactError(error: KysoError, secrets: readonly string[]): KysoError {
  const detail = error.message.startsWith(`${error.code}: `) ? error.message.slice(error.code.length + 2) : "";
  const clean = redact(detail, secrets);
  const details = error.details ? (JSON.parse(redact(JSON.stringify(error.details), secrets)) as Record<string, unknown>) : undefined;
  return clean === detail && details === error.details ? error : new KysoError(error.code, clean, details);
}

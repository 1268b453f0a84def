/** The diagnostics page's plain-text parts (no React, no DOM): the support report and the restart line. */
import type { DiagnosticsView } from "../../../main/core/app-api/views.js";
import type { Translate } from "../i18n/index.js";

/**
 * The support report: only what the page shows (versions, ports, driver paths and their status, counts).
 * No PIN, no document, no certificate, no site list.
 */
export function diagnosticsReport(d: DiagnosticsView, t: Translate): string {
  const lines = [
    t("diag.app", { version: d.app.version, platform: d.app.platform }),
    `${t("diag.bridge")}: ${d.bridge.listening.map((l) => `${l.scheme}://127.0.0.1:${l.port}`).join(", ") || t("diag.notListening")}${d.bridge.paused ? ` (${t("diag.paused")})` : ""}`,
    `${t("diag.localCert")}: ${d.bridge.localCertificate.trusted ? t("diag.trusted") : t("diag.notTrusted")}${d.bridge.localCertificate.problem ? ` (${d.bridge.localCertificate.problem})` : ""}`,
    t("diag.tokens", { count: d.tokens }),
    `${t("diag.policy")}: ${policySourceText(d.policy, t)}`,
    ...[...d.policy.keys, ...d.policy.managed].map(({ key, value }) => `  - ${key} = ${key === "allowedOrigins" ? `${value.split(", ").length} origin(s)` : value}`),
    `${t("diag.modules")}:`,
    ...d.modules.map((m) => {
      const status = m.status.kind === "ready" ? `ready (${m.status.tokens})` : m.status.kind === "failed" ? `failed: ${m.status.code} ${m.status.reason}` : "starting";
      const restarted = m.recovery?.lastCrash ? `; ${restartText(m.recovery.crashes, m.recovery.lastCrash, t, (iso) => iso)}` : "";
      return `  - ${m.vendor ?? m.id} [${m.source}] ${m.path}: ${status}${restarted}`;
    }),
  ];
  return lines.join("\n");
}

/** Where the policy in force came from, in words. */
export function policySourceText(policy: DiagnosticsView["policy"], t: Translate): string {
  if (policy.problems) return t("diag.policySource.invalid", { path: policy.file ?? "", problems: policy.problems.join("; ") });
  switch (policy.source) {
    case "file":
      return t("diag.policySource.file", { path: policy.file ?? "" });
    case "registry":
      return t("diag.policySource.registry", { path: policy.file ?? "" });
    case "managed-preferences":
      return t("diag.policySource.profile", { path: policy.file ?? "" });
    case "environment":
      return t("diag.policySource.environment", { path: policy.file ?? "" });
    case "provided":
      return t("diag.policySource.provided");
    case "default":
      return t("diag.policySource.default");
  }
}

/** "the token driver restarted": how often, the last time and why (exit code, signal, hung call). */
export function restartText(crashes: number, last: { at: string; reason: string }, t: Translate, date: (iso: string) => string): string {
  return t("diag.restarted", { count: crashes, date: date(last.at), reason: last.reason });
}

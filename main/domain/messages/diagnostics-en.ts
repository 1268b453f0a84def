/**
 * English words of the diagnostics page: kept apart from en.ts only to keep each file short; merged into the one
 * catalogue by en.ts.
 */
export const diagnosticsEn = {
  "diag.heading": "Diagnostics",
  "diag.app": "KySo {version} on {platform}",
  "diag.bridge": "Connection for websites",
  "diag.listening": "Listening on {list}",
  "diag.notListening": "Not listening",
  "diag.paused": "Paused in Settings",
  "diag.localCert": "Local certificate (for secure wss:// connections)",
  "diag.trusted": "Trusted by this computer",
  "diag.notTrusted": "Not trusted by this computer",
  "diag.certUntil": "valid until {date}",
  "diag.repair": "Repair",
  "diag.repaired": "Repair finished: {result}",
  "diag.modules": "Token drivers",
  "diag.tokens": "USB tokens plugged in: {count}",
  "diag.policy": "Organisation policy",
  "diag.policySource.file": "Read from the file {path}",
  "diag.policySource.provided": "Given to KySo when it started (no file path)",
  "diag.policySource.registry": "Read from the Windows registry {path}",
  "diag.policySource.profile": "From a configuration profile ({path})",
  "diag.policySource.environment": "Read from {path} (KYSO_POLICY_FILE, development build)",
  "diag.policySource.invalid": "The organisation policy at {path} is invalid, so KySo accepts no website until it is fixed: {problems}",
  "diag.policySource.default": "No organisation policy on this computer: KySo's defaults apply.",
  "diag.policyKeys": "Set by the organisation",
  "diag.policyManaged": "Settings fixed by the organisation",
  "diag.policyNoKeys": "Nothing differs from KySo's defaults.",
  "diag.policyKey": "Key",
  "diag.policyValue": "Value",
  "diag.lnaHeading": "If the browser blocks the connection",
  "diag.lnaHelp": "Chrome and Edge ask “Allow this site to access other apps and services on this device?”. Choose Allow. If your organisation manages the browser, ask the administrator to allow the portal in the LocalNetworkAccessAllowedForUrls policy.",
  "diag.copy": "Copy report",
  "diag.copied": "The report is copied. It contains no PIN and no document.",
  "diag.report": "Report",
  "diag.restarted": "the driver restarted {count} times after a crash; last: {date} ({reason})",
} as const;

export type DiagnosticsMessageKey = keyof typeof diagnosticsEn;

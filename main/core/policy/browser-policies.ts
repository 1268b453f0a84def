/**
 * Browser policies generated from the machine policy's `allowedOrigins` (and the vendor adapters' origins), so the sites an admin trusts in KySo are
 * the sites the browsers let reach KySo on 127.0.0.1 without a Local Network Access prompt (one source of truth,
 * docs/admin.md). Chrome and Edge take two list policies: `LoopbackNetworkAllowedForUrls` (146+, loopback only,
 * the narrow one) and `LocalNetworkAccessAllowedForUrls` (older versions; also covers the local network, which
 * is why the loopback one is listed first and both carry exactly the same origins). Firefox's `LocalNetworkAccess`
 * policy has only a `SkipDomains` list; see docs/admin.md for what it exempts.
 */
import type { KysoPolicy } from "./policy-schema.js";

export interface BrowserPolicyFile {
  /** Path inside `deploy/` (forward slashes). */
  readonly path: string;
  /** Where an admin (or a per-machine installer with `browserPolicy: "write"`) puts it. */
  readonly installTo: string;
  readonly text: string;
}

const CHROMIUM_POLICIES = ["LoopbackNetworkAllowedForUrls", "LocalNetworkAccessAllowedForUrls"] as const;

function chromiumJson(origins: readonly string[]): string {
  return `${JSON.stringify(Object.fromEntries(CHROMIUM_POLICIES.map((name) => [name, origins])), null, 2)}\n`;
}

/** Windows `.reg` (UTF-16 is what regedit writes; it also imports this plain form with the version 5 header). */
function windowsReg(origins: readonly string[]): string {
  const escape = (value: string) => value.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
  const lines = ["Windows Registry Editor Version 5.00", ""];
  for (const vendor of ["Google\\Chrome", "Microsoft\\Edge"]) {
    for (const name of CHROMIUM_POLICIES) {
      // Replace, not merge: delete the list first so an origin removed from KySo's policy is removed here too.
      lines.push(`[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\${vendor}\\${name}]`, "");
      lines.push(`[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\${vendor}\\${name}]`);
      origins.forEach((origin, index) => lines.push(`"${index + 1}"="${escape(origin)}"`));
      lines.push("");
    }
  }
  return lines.join("\r\n");
}

function xmlEscape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** A configuration profile with one payload per browser; UUIDs are derived from the content so the file is stable. */
function macMobileconfig(origins: readonly string[], uuid: (seed: string) => string): string {
  const array = origins.map((o) => `        <string>${xmlEscape(o)}</string>`).join("\n");
  const payload = (domain: string) => `    <dict>
      <key>PayloadType</key><string>${domain}</string>
      <key>PayloadIdentifier</key><string>vn.kyso.browser-policy.${domain}</string>
      <key>PayloadUUID</key><string>${uuid(domain)}</string>
      <key>PayloadVersion</key><integer>1</integer>
${CHROMIUM_POLICIES.map((name) => `      <key>${name}</key>\n      <array>\n${array}\n      </array>`).join("\n")}
    </dict>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadDisplayName</key><string>KySo: browsers may reach KySo for these portals</string>
  <key>PayloadIdentifier</key><string>vn.kyso.browser-policy</string>
  <key>PayloadType</key><string>Configuration</string>
  <key>PayloadScope</key><string>System</string>
  <key>PayloadUUID</key><string>${uuid("profile")}</string>
  <key>PayloadVersion</key><integer>1</integer>
  <key>PayloadContent</key>
  <array>
${payload("com.google.Chrome")}
${payload("com.microsoft.Edge")}
  </array>
</dict>
</plist>
`;
}

function firefoxPolicies(origins: readonly string[]): string {
  // Origins come validated from the policy schema; anything unparsable is left out rather than guessed at.
  const hosts = [...new Set(origins.filter((o) => URL.canParse(o)).map((o) => new URL(o).hostname))];
  return `${JSON.stringify({ policies: { LocalNetworkAccess: { Enabled: true, SkipDomains: hosts } } }, null, 2)}\n`;
}

/**
 * The origins a browser must let reach 127.0.0.1: the allowlist and the portals the vendor adapters answer (their
 * pages call KySo from the browser just the same), each once.
 */
export function browserPolicyFiles(
  policy: Pick<KysoPolicy, "allowedOrigins"> & { readonly compatibility?: Pick<KysoPolicy, "compatibility">["compatibility"] },
  uuid: (seed: string) => string,
): BrowserPolicyFile[] {
  const adapters = policy.compatibility ? [...policy.compatibility.vgca.origins, ...policy.compatibility.signplugin.origins] : [];
  const origins = [...new Set([...policy.allowedOrigins, ...adapters])].sort();
  const json = chromiumJson(origins);
  return [
    { path: "linux/chrome/kyso.json", installTo: "/etc/opt/chrome/policies/managed/kyso.json", text: json },
    { path: "linux/chromium/kyso.json", installTo: "/etc/chromium/policies/managed/kyso.json", text: json },
    { path: "linux/edge/kyso.json", installTo: "/etc/opt/edge/policies/managed/kyso.json", text: json },
    { path: "windows/kyso-browsers.reg", installTo: "reg import kyso-browsers.reg (as administrator, or a GPO preference)", text: windowsReg(origins) },
    { path: "macos/kyso-browsers.mobileconfig", installTo: "an MDM, or System Settings → Profiles", text: macMobileconfig(origins, uuid) },
    { path: "firefox/policies.json", installTo: "/etc/firefox/policies/policies.json, or distribution/ next to firefox.exe / in Firefox.app", text: firefoxPolicies(origins) },
  ];
}

import { describe, expect, it } from "vitest";
import { discoverMachinePolicy, policyLocations, type MachineAccess } from "../../../../main/core/policy/machine-policy.js";
import { parseRegQuery, registryPolicy } from "../../../../main/core/policy/windows-registry.js";
import { plistPolicy } from "../../../../main/core/policy/macos-plist.js";
import { PolicyFileError } from "../../../../main/core/policy/load-policy.js";

/** `reg query HKLM\Software\Policies\KySo /s` as Windows prints it (CRLF, four-space columns, \0 between strings). */
const REG_VALUES = [
  "",
  "HKEY_LOCAL_MACHINE\\Software\\Policies\\KySo",
  "    AllowedOrigins    REG_MULTI_SZ    https://dichvucong.gov.vn\\0https://thuedientu.gdt.gov.vn",
  "    allowUserPairing    REG_DWORD    0x0",
  "    revocationCheck    REG_SZ    require",
  "    modules    REG_MULTI_SZ    C:\\Windows\\System32\\vnptca_p11_v10.dll",
  "    disableModuleDiscovery    REG_SZ    1",
  "",
  "HKEY_LOCAL_MACHINE\\Software\\Policies\\KySo\\Limits",
  "    maxConnections    REG_DWORD    0x10",
  "    approvalTimeoutSeconds    REG_SZ    300",
  "",
  "HKEY_LOCAL_MACHINE\\Software\\Policies\\KySo\\ports",
  "    ws    REG_MULTI_SZ    17640\\017641",
  "",
  "HKEY_LOCAL_MACHINE\\Software\\Policies\\KySo\\managed",
  "    language    REG_SZ    vi",
  "    startAtLogin    REG_DWORD    0x1",
  "",
].join("\r\n");

const PLIST = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadUUID</key><string>0D1B6C1E-7C1A-4A57-9E0B-3F7E2A1C9B10</string>
  <key>allowedOrigins</key>
  <array><string>https://dichvucong.gov.vn</string></array>
  <key>allowUserPairing</key><false/>
  <key>limits</key>
  <dict><key>maxConnections</key><integer>16</integer></dict>
  <key>managed</key>
  <dict><key>language</key><string>en</string></dict>
</dict>
</plist>`;

function recorded(files: Record<string, string>, commands: Record<string, string> = {}): MachineAccess {
  return {
    readFile: (path) => files[path],
    run: (command, args) => commands[[command, ...args].join(" ")],
  };
}

describe("machine policy places", () => {
  it("are the admin-owned places of each OS, in order; the environment variable only in development builds", () => {
    const env = { KYSO_POLICY_FILE: "/tmp/mine.json", ProgramData: "C:\\ProgramData" };
    expect(policyLocations({ platform: "win32", env, development: false }).map((p) => p.location)).toEqual([
      "HKLM\\Software\\Policies\\KySo",
      "C:\\ProgramData\\KySo\\policy.json",
    ]);
    expect(policyLocations({ platform: "darwin", env, development: false }).map((p) => p.location)).toEqual([
      "/Library/Managed Preferences/vn.kyso.app.plist",
      "/Library/Application Support/KySo/policy.json",
    ]);
    expect(policyLocations({ platform: "linux", env, development: false }).map((p) => p.location)).toEqual(["/etc/kyso/policy.json"]);
    expect(policyLocations({ platform: "linux", env, development: true }).map((p) => p.location)).toEqual(["/tmp/mine.json", "/etc/kyso/policy.json"]);
  });

  it("a packaged build ignores KYSO_POLICY_FILE: a user cannot swap the organisation's policy", () => {
    const access = recorded({ "/tmp/mine.json": JSON.stringify({ allowedOrigins: ["https://evil.example"] }), "/etc/kyso/policy.json": JSON.stringify({ allowUserPairing: false }) });
    const result = discoverMachinePolicy({ platform: "linux", env: { KYSO_POLICY_FILE: "/tmp/mine.json" }, development: false, access });
    expect(result.status).toBe("loaded");
    if (result.status !== "loaded") return;
    expect(result.source.location).toBe("/etc/kyso/policy.json");
    expect(result.policy.allowedOrigins).toEqual([]);
    expect(result.policy.allowUserPairing).toBe(false);
  });

  it("no policy anywhere → the default policy and the places searched", () => {
    const result = discoverMachinePolicy({ platform: "win32", env: {}, development: false, access: recorded({}) });
    expect(result.status).toBe("none");
    if (result.status === "none") expect(result.searched).toHaveLength(2);
  });

  it("the first place with a policy wins: the registry over ProgramData", () => {
    const access = recorded(
      { "C:\\ProgramData\\KySo\\policy.json": JSON.stringify({ allowedOrigins: ["https://other.example"] }) },
      { "reg query HKLM\\Software\\Policies\\KySo /s": REG_VALUES },
    );
    const result = discoverMachinePolicy({ platform: "win32", env: {}, development: false, access });
    expect(result.status === "loaded" && result.source.kind).toBe("registry");
  });

  it("an invalid policy is the answer, never a fall-through to the next place or to no policy", () => {
    const access = recorded(
      { "C:\\ProgramData\\KySo\\policy.json": JSON.stringify({ allowUserPairing: false }) },
      { "reg query HKLM\\Software\\Policies\\KySo /s": "\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\KySo\r\n    allowUserPairing    REG_SZ    maybe\r\n" },
    );
    const result = discoverMachinePolicy({ platform: "win32", env: {}, development: false, access });
    expect(result.status).toBe("invalid");
    if (result.status === "invalid") {
      expect(result.source.kind).toBe("registry");
      expect(result.problems.join("\n")).toContain("allowUserPairing");
    }
  });

  it("a file that exists but cannot be read is invalid, not absent", () => {
    const access: MachineAccess = {
      readFile: () => {
        throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      },
      run: () => undefined,
    };
    const result = discoverMachinePolicy({ platform: "linux", env: {}, development: false, access });
    expect(result.status === "invalid" && result.problems[0]).toContain("EACCES");
  });
});

describe("Windows registry form", () => {
  it("reads values and subkeys, matching key names without regard to case", () => {
    expect(parseRegQuery(REG_VALUES).map((v) => [...v.path, v.name].join("/"))).toContain("Limits/maxConnections");
    const policy = JSON.parse(registryPolicy(REG_VALUES)!);
    expect(policy).toEqual({
      allowedOrigins: ["https://dichvucong.gov.vn", "https://thuedientu.gdt.gov.vn"],
      allowUserPairing: false,
      revocationCheck: "require",
      modules: ["C:\\Windows\\System32\\vnptca_p11_v10.dll"],
      disableModuleDiscovery: true,
      limits: { maxConnections: 16, approvalTimeoutSeconds: 300 },
      ports: { ws: [17640, 17641] },
      managed: { language: "vi", startAtLogin: true },
    });
  });

  it("validates through the same schema as a file", () => {
    const result = discoverMachinePolicy({
      platform: "win32",
      env: {},
      development: false,
      access: recorded({}, { "reg query HKLM\\Software\\Policies\\KySo /s": REG_VALUES }),
    });
    expect(result.status).toBe("loaded");
    if (result.status === "loaded") {
      expect(result.policy.limits.maxConnections).toBe(16);
      expect(result.policy.limits.maxConnectionsPerOrigin).toBe(8);
      expect(result.policy.revocationCheck).toBe("require");
    }
  });

  it("the whole policy as one JSON string value", () => {
    const output = `\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\KySo\r\n    Policy    REG_SZ    {"allowedOrigins":["https://a.gov.vn"]}\r\n`;
    expect(JSON.parse(registryPolicy(output)!)).toEqual({ allowedOrigins: ["https://a.gov.vn"] });
  });

  it("refuses the JSON value mixed with separate values", () => {
    const output = `\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\KySo\r\n    Policy    REG_SZ    {}\r\n    allowUserPairing    REG_DWORD    0x0\r\n`;
    expect(() => registryPolicy(output)).toThrow(PolicyFileError);
  });

  it("expands %VARIABLES% in REG_EXPAND_SZ driver paths", () => {
    const output = `\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\KySo\r\n    modules    REG_EXPAND_SZ    %SystemRoot%\\System32\\viettel-ca_v6.dll\r\n`;
    expect(JSON.parse(registryPolicy(output, { SystemRoot: "C:\\Windows" })!).modules).toBe("C:\\Windows\\System32\\viettel-ca_v6.dll");
  });

  it("an empty key holds no policy", () => {
    expect(registryPolicy("\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\KySo\r\n")).toBeUndefined();
  });
});

describe("macOS managed preferences form", () => {
  it("reads a configuration profile's payload, without the profile's own keys", () => {
    expect(JSON.parse(plistPolicy(PLIST)!)).toEqual({
      allowedOrigins: ["https://dichvucong.gov.vn"],
      allowUserPairing: false,
      limits: { maxConnections: 16 },
      managed: { language: "en" },
    });
  });

  it("is converted with plutil and validated like a file", () => {
    const path = "/Library/Managed Preferences/vn.kyso.app.plist";
    const access = recorded({ [path]: "bplist00…" }, { [`plutil -convert xml1 -o - ${path}`]: PLIST });
    const result = discoverMachinePolicy({ platform: "darwin", env: {}, development: false, access });
    expect(result.status === "loaded" && result.policy.managed.language).toBe("en");
  });

  it("a broken plist is invalid with the reason", () => {
    expect(() => plistPolicy("<plist><dict><key>a</key>")).toThrow(PolicyFileError);
  });
});

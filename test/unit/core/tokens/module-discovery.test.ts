import { describe, expect, it } from "vitest";
import { discoverModules, moduleId } from "../../../../main/core/tokens/module-discovery.js";
import { catalogueCandidates, loadDriverCatalogue, vendorOf } from "../../../../native/drivers/catalogue.js";

describe("driver catalogue", () => {
  it("lists the Vietnamese CA drivers, the generic chips, OpenSC and p11-kit-proxy", () => {
    const vendors = loadDriverCatalogue().drivers.map((driver) => driver.vendor);
    for (const vendor of ["Viettel-CA", "VNPT-CA", "FPT-CA", "BkavCA", "CA2 (Nacencomm)", "NewCA", "SmartSign (Vina-CA)", "Safe-CA", "Bit4id", "OpenSC", "p11-kit"]) {
      expect(vendors).toContain(vendor);
    }
    expect(vendorOf("C:\\Windows\\System32\\VNPTCACARDV8CSP11.DLL")).toBe("VNPT-CA");
    expect(vendorOf("/usr/lib/fptca_v4.so")).toBe("FPT-CA");
  });

  it("Windows: every DLL is looked up in System32 and SysWOW64 under %SystemRoot%", () => {
    const paths = catalogueCandidates("win32", { SystemRoot: "D:\\Win" }).map((candidate) => candidate.path);
    expect(paths).toContain("D:\\Win\\System32\\viettel-ca_v6.dll");
    expect(paths).toContain("D:\\Win\\SysWOW64\\viettel-ca_v6.dll");
  });

  it("macOS and Linux standard directories", () => {
    expect(catalogueCandidates("darwin", {}).map((candidate) => candidate.path)).toEqual(
      expect.arrayContaining(["/usr/local/lib/viettel-ca_v6.dylib", "/opt/homebrew/lib/libbit4xpki.dylib", "/Library/OpenSC/lib/opensc-pkcs11.so"]),
    );
    expect(catalogueCandidates("linux", {}).map((candidate) => candidate.path)).toEqual(
      expect.arrayContaining(["/usr/lib/fptca_v4.so", "/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so", "/usr/local/lib/libbit4xpki.so"]),
    );
  });
});

describe("discoverModules", () => {
  const present = new Set(["/usr/lib/fptca_v4.so", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", "/usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so", "/opt/policy.so"]);
  const environment = {
    platform: "linux" as const,
    env: {},
    exists: (path: string) => present.has(path),
    // The pkcs11/ copy is a symlink to the same file.
    realpath: (path: string) => path.replace("/pkcs11/opensc", "/opensc"),
  };

  it("order: policy, then user, then catalogue; missing policy/user paths kept, missing catalogue paths dropped", () => {
    const modules = discoverModules({ policy: ["/opt/policy.so"], user: ["/home/u/missing.so"] }, environment);
    expect(modules.map((module) => [module.source, module.path])).toEqual([
      ["policy", "/opt/policy.so"],
      ["user", "/home/u/missing.so"],
      ["catalogue", "/usr/lib/fptca_v4.so"],
      ["catalogue", "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"],
    ]);
    expect(modules[2]?.vendor).toBe("FPT-CA");
  });

  it("the same file reached twice is tried once, under its first source", () => {
    const modules = discoverModules({ user: ["/usr/lib/fptca_v4.so"] }, environment);
    expect(modules.filter((module) => module.path === "/usr/lib/fptca_v4.so").map((module) => module.source)).toEqual(["user"]);
  });

  it("catalogue off: only the given paths; ids are stable per path", () => {
    const modules = discoverModules({ policy: ["/opt/policy.so"], catalogue: false }, environment);
    expect(modules).toEqual([{ id: moduleId("/opt/policy.so"), path: "/opt/policy.so", source: "policy" }]);
  });
});

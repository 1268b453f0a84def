import { DOMParser } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { browserPolicyFiles } from "../../../../main/core/policy/browser-policies.js";

const origins = ["https://thuedientu.gdt.gov.vn", "https://dichvucong.gov.vn"];
const files = browserPolicyFiles({ allowedOrigins: origins }, (seed) => `UUID-${seed}`);
const file = (path: string) => files.find((f) => f.path === path)!.text;

describe("browser policies generated from allowedOrigins", () => {
  it("Chrome, Chromium and Edge on Linux: both LNA list policies with exactly the allowlisted origins", () => {
    for (const path of ["linux/chrome/kyso.json", "linux/chromium/kyso.json", "linux/edge/kyso.json"]) {
      expect(JSON.parse(file(path))).toEqual({
        LoopbackNetworkAllowedForUrls: ["https://dichvucong.gov.vn", "https://thuedientu.gdt.gov.vn"],
        LocalNetworkAccessAllowedForUrls: ["https://dichvucong.gov.vn", "https://thuedientu.gdt.gov.vn"],
      });
    }
  });

  it("Windows .reg replaces each list (delete, then numbered values) for Chrome and Edge", () => {
    const reg = file("windows/kyso-browsers.reg");
    expect(reg.startsWith("Windows Registry Editor Version 5.00\r\n")).toBe(true);
    for (const vendor of ["Google\\Chrome", "Microsoft\\Edge"]) {
      const key = `HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\${vendor}\\LoopbackNetworkAllowedForUrls`;
      expect(reg).toContain(`[-${key}]\r\n\r\n[${key}]\r\n"1"="https://dichvucong.gov.vn"\r\n"2"="https://thuedientu.gdt.gov.vn"\r\n`);
    }
  });

  it("macOS profile is well-formed XML with a payload per browser", () => {
    const doc = new DOMParser().parseFromString(file("macos/kyso-browsers.mobileconfig"), "text/xml");
    const strings = Array.from(doc.getElementsByTagName("string")).map((s) => s.textContent);
    expect(strings).toContain("com.google.Chrome");
    expect(strings).toContain("com.microsoft.Edge");
    expect(strings.filter((s) => s === "https://dichvucong.gov.vn")).toHaveLength(4);
  });

  it("Firefox: the portals' host names", () => {
    expect(JSON.parse(file("firefox/policies.json"))).toEqual({
      policies: { LocalNetworkAccess: { Enabled: true, SkipDomains: ["dichvucong.gov.vn", "thuedientu.gdt.gov.vn"] } },
    });
  });

  it("an origin with XML or registry metacharacters cannot break out of its value", () => {
    const tricky = browserPolicyFiles({ allowedOrigins: ['https://a.vn"&<x>'] }, () => "U");
    expect(tricky.find((f) => f.path.endsWith(".reg"))!.text).toContain('"1"="https://a.vn\\"&<x>"');
    expect(tricky.find((f) => f.path.endsWith(".mobileconfig"))!.text).toContain("https://a.vn&quot;&amp;&lt;x&gt;");
  });
});

describe("browser policies include the vendor adapters' portals", () => {
  it("origins listed for the VGCA and SignPlugin adapters reach KySo too, once each, sorted with the allowlist", () => {
    const withCompat = browserPolicyFiles(
      {
        allowedOrigins: ["https://dichvucong.gov.vn"],
        compatibility: { vgca: { origins: ["https://egov.example.gov.vn", "https://dichvucong.gov.vn"] }, signplugin: { origins: ["https://hoadon.example.vn"] } },
      },
      () => "U",
    );
    const chromium = JSON.parse(withCompat.find((f) => f.path === "linux/chromium/kyso.json")!.text) as Record<string, string[]>;
    expect(chromium.LoopbackNetworkAllowedForUrls).toEqual(["https://dichvucong.gov.vn", "https://egov.example.gov.vn", "https://hoadon.example.vn"]);
    const firefox = JSON.parse(withCompat.find((f) => f.path === "firefox/policies.json")!.text) as { policies: { LocalNetworkAccess: { SkipDomains: string[] } } };
    expect(firefox.policies.LocalNetworkAccess.SkipDomains).toEqual(["dichvucong.gov.vn", "egov.example.gov.vn", "hoadon.example.vn"]);
  });
});

import { describe, expect, it } from "vitest";
import { normaliseConfiguredOrigin, parseOrigin } from "../../../../main/core/policy/origin.js";
import { parsePolicy, PolicyFileError } from "../../../../main/core/policy/load-policy.js";

describe("parseOrigin: exact browser serialisation only", () => {
  it("accepts bare origins", () => {
    expect(parseOrigin("https://dichvucong.gov.vn")).toMatchObject({ origin: "https://dichvucong.gov.vn", port: 443, loopback: false });
    expect(parseOrigin("https://portal.example:8443")?.port).toBe(8443);
    expect(parseOrigin("http://localhost:3000")).toMatchObject({ scheme: "http", loopback: true });
  });
  it.each([
    ["trailing slash", "https://a.example/"],
    ["path", "https://a.example/x"],
    ["userinfo", "https://a.example@evil.example"],
    ["user:pass", "https://u:p@a.example"],
    ["upper case", "https://A.example"],
    ["default port spelled out", "https://a.example:443"],
    ["null", "null"],
    ["file", "file:///etc/passwd"],
    ["query", "https://a.example?x"],
    ["empty", ""],
  ])("refuses %s", (_, value) => expect(parseOrigin(value)).toBeUndefined());
  it("decimal/octal IP spellings are normalised by URL, so they never equal a configured name", () => {
    expect(parseOrigin("https://2130706433")).toBeUndefined();
  });
});

describe("policy file", () => {
  it("defaults: nothing allowlisted, pairing allowed, 64 MiB messages, 120 s approvals", () => {
    const policy = parsePolicy("{}");
    expect(policy).toMatchObject({ allowedOrigins: [], allowUserPairing: true, developerOrigins: false });
    expect(policy.limits).toMatchObject({ maxMessageBytes: 64 * 1024 * 1024, approvalTimeoutSeconds: 120 });
  });
  it("normalises configured origins (trailing slash, case)", () => {
    expect(parsePolicy('{"allowedOrigins": ["https://Portal.Example.gov.vn/"]}').allowedOrigins).toEqual(["https://portal.example.gov.vn"]);
    expect(normaliseConfiguredOrigin("https://a.example/path")).toBeUndefined();
  });
  it("bad files → PolicyFileError listing each problem with its path", () => {
    expect(() => parsePolicy("{", "/etc/kyso/policy.json")).toThrow(PolicyFileError);
    try {
      parsePolicy('{"allowedOrigins": ["https://a.example/x"], "limits": {"maxConnections": 0}, "colour": 1}', "p.json");
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyFileError);
      const problems = (error as PolicyFileError).problems.join("\n");
      expect(problems).toMatch(/allowedOrigins\.0/);
      expect(problems).toMatch(/limits\.maxConnections/);
      expect(problems).toMatch(/colour/);
      expect((error as Error).message).toContain("p.json");
    }
  });
});

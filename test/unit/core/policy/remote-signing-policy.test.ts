/** Policy `remoteSigning.providers`: each kind's required keys, https only, and the secrets never in diagnostics. */
import { describe, expect, it } from "vitest";
import { policySchema } from "../../../../main/core/policy/policy-schema.js";
import { policyView } from "../../../../main/core/policy/policy-view.js";

const vnpt = { id: "vnpt", kind: "vnpt-smartca", baseUrl: "https://gwsca.vnpt.vn/sca/sp769/v1/", spId: "sp-4411", spPassword: "sp-password-never-shown" };
const csc = { id: "rssp", kind: "csc", baseUrl: "https://rssp.example/csc/v2/", clientId: "kyso-desktop", clientSecret: "client-secret-never-shown", redirectUri: "http://127.0.0.1:53682/callback" };

describe("remoteSigning.providers", () => {
  it("takes VNPT (sp_id/sp_password) and CSC (clientId/redirectUri) providers", () => {
    const policy = policySchema.parse({ remoteSigning: { providers: [vnpt, csc] } });
    expect(policy.remoteSigning.providers.map((p) => p.kind)).toEqual(["vnpt-smartca", "csc"]);
    expect(policySchema.parse({}).remoteSigning.providers).toEqual([]);
  });

  it("refuses a provider without its kind's credentials, plain http off loopback, duplicate ids, unknown keys", () => {
    const { spPassword: _omit, ...noPassword } = vnpt;
    expect(policySchema.safeParse({ remoteSigning: { providers: [noPassword] } }).success).toBe(false);
    expect(policySchema.safeParse({ remoteSigning: { providers: [{ ...vnpt, baseUrl: "http://gwsca.vnpt.vn/" }] } }).success).toBe(false);
    expect(policySchema.safeParse({ remoteSigning: { providers: [{ ...vnpt, baseUrl: "http://127.0.0.1:8080/vnpt/" }] } }).success).toBe(true);
    expect(policySchema.safeParse({ remoteSigning: { providers: [vnpt, { ...vnpt }] } }).success).toBe(false);
    expect(policySchema.safeParse({ remoteSigning: { providers: [{ ...vnpt, userPassword: "x" }] } }).success).toBe(false);
  });

  it("diagnostics' policy view names the providers and never shows sp_password or the client secret", () => {
    const view = policyView(policySchema.parse({ remoteSigning: { providers: [vnpt, csc] } }), "file");
    const text = JSON.stringify(view);
    expect(view.keys.find((k) => k.key === "remoteSigning.providers")?.value).toBe(
      "vnpt (vnpt-smartca, https://gwsca.vnpt.vn/sca/sp769/v1/), rssp (csc, https://rssp.example/csc/v2/)",
    );
    expect(text).not.toContain("sp-password-never-shown");
    expect(text).not.toContain("client-secret-never-shown");
  });
});

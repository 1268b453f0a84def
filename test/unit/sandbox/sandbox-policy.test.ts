/**
 * The policy `npm run sandbox` runs under: built-in without a file; with a file, that file's policy with the demo
 * portal allowed, and a banner line that names every change (none when the file already allows the portal).
 */
import { describe, expect, it } from "vitest";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import { sandboxPolicy, withDemoRoot } from "../../../sandbox/sandbox-policy.js";

const PORTAL = "http://127.0.0.1:41234";

describe("sandboxPolicy", () => {
  it("no policy file → the built-in policy: only the demo portal allowlisted, developer origins on", () => {
    const { policy, description } = sandboxPolicy(PORTAL);
    expect(policy).toEqual(policySchema.parse({ allowedOrigins: [PORTAL], developerOrigins: true }));
    expect(description).toBe(`built-in (allowlist ${PORTAL}, developer origins on)`);
  });

  it("a file that already allows the portal with developer origins on → used as it is, the banner names the file only", () => {
    const own = policySchema.parse({ allowedOrigins: [PORTAL, "https://a.example"], developerOrigins: true, pinCacheAllowed: true });
    const { policy, description } = sandboxPolicy(PORTAL, { path: "/p.json", policy: own });
    expect(policy).toEqual(own);
    expect(description).toBe("/p.json");
  });

  it("a file without the portal → every other key kept, the portal appended once, each change named", () => {
    const own = policySchema.parse({ allowedOrigins: ["https://a.example"], revocationCheck: "require", limits: { maxConnections: 3 } });
    const { policy, description } = sandboxPolicy(PORTAL, { path: "/p.json", policy: own });
    expect(policy).toEqual({ ...own, allowedOrigins: ["https://a.example", PORTAL], developerOrigins: true });
    expect(description).toBe(
      `/p.json; the sandbox changed it: demo portal ${PORTAL} added to allowedOrigins; developerOrigins turned on (the demo portal is a loopback http page)`,
    );
  });
});

describe("withDemoRoot", () => {
  const ROOT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  it("adds the demo tokens' test root to trustAnchors once and says so; every other key kept", () => {
    const base = sandboxPolicy(PORTAL);
    const once = withDemoRoot(base, ROOT);
    expect(once.policy).toEqual({ ...base.policy, trustAnchors: [ROOT] });
    expect(once.description).toBe(`${base.description}; the demo tokens' test root added to trustAnchors`);
    expect(withDemoRoot(once, ROOT)).toBe(once);
  });
});

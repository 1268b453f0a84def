import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPairingStore } from "../../../../main/core/pairing/pairing-store.js";
import { originTrust } from "../../../../main/core/bridge/origin-gate.js";
import { policySchema } from "../../../../main/core/policy/policy-schema.js";

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), "kyso-pairing-"))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("pairings and the origin gate", () => {
  it("add, persist across instances, revoke", () => {
    const store = createPairingStore(dir);
    store.add("https://a.example", new Date("2026-01-01T00:00:00Z"));
    store.add("https://a.example", new Date());
    expect(createPairingStore(dir).list()).toEqual([{ origin: "https://a.example", source: "user", pairedAt: "2026-01-01T00:00:00.000Z" }]);
    expect(store.revoke("https://a.example")).toBe(true);
    expect(store.revoke("https://a.example")).toBe(false);
    expect(store.has("https://a.example")).toBe(false);
  });
  it("refuses to store a non-normalised origin", () => {
    expect(() => createPairingStore(dir).add("https://a.example/", new Date())).toThrow();
  });
  it("originTrust: policy > paired > none; pairings ignored when the policy disables pairing", () => {
    const pairings = createPairingStore(dir);
    pairings.add("https://paired.example", new Date());
    const policy = policySchema.parse({ allowedOrigins: ["https://gov.example"] });
    expect(originTrust("https://gov.example", { policy, pairings })).toBe("policy");
    expect(originTrust("https://paired.example", { policy, pairings })).toBe("paired");
    expect(originTrust("https://gov.example.evil", { policy, pairings })).toBe("none");
    expect(originTrust("https://paired.example", { policy: { ...policy, allowUserPairing: false }, pairings })).toBe("none");
  });
});

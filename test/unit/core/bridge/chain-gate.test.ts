/** withChains (main/core/bridge/chain-gate.ts): the chain line and the refusal it adds, pure. */
import { describe, expect, it } from "vitest";
import type { CandidateView } from "../../../../main/core/app-api/approval-view.js";
import { portalChainStatus, withChains } from "../../../../main/core/bridge/chain-gate.js";
import type { ChainCheckResult } from "../../../../main/core/certificates/trust/chain-check.js";

const at = new Date("2026-12-01T00:00:00Z");
const candidate = (id: string): CandidateView => ({ id, valid: true, problems: [] }) as unknown as CandidateView;
const untrusted: ChainCheckResult = { trusted: false, reason: "no-anchor", chain: [], intermediates: [], checkedAt: at };
const revokedIntermediate: ChainCheckResult = {
  trusted: true,
  anchor: { name: "Vietnam National Root CA", fingerprintSha256: "ba", nationalRoot: "vn-national-root", source: "bundled" },
  chain: [],
  intermediates: [{ name: "Some CA", fingerprintSha256: "aa", status: "revoked", source: "crl" }],
  checkedAt: at,
};

describe("withChains", () => {
  it("warn: the line with its warning, no refusal", () => {
    const [c] = withChains([candidate("a")], new Map([["a", untrusted]]), { chainCheck: "warn", revocationCheck: "warn" });
    expect(c?.trustChain).toEqual({ trusted: false, intermediates: [], checkedAt: at.toISOString(), warning: "chain.untrusted" });
    expect(c?.refusal).toBeUndefined();
  });

  it("require: refused with the chain problem; an earlier refusal (revocation) is kept, not replaced", () => {
    const modes = { chainCheck: "require", revocationCheck: "require" } as const;
    const [c] = withChains([candidate("a")], new Map([["a", untrusted]]), modes);
    expect(c?.refusal).toMatchObject({ code: "certificate_invalid", details: { problems: ["untrustedChain"] } });
    const earlier = { code: "certificate_invalid", message: "revoked", retriable: false, details: { problems: ["revoked"] } } as unknown as CandidateView["refusal"];
    const [d] = withChains([{ ...candidate("b"), refusal: earlier }], new Map([["b", revokedIntermediate]]), modes);
    expect(d?.refusal).toBe(earlier);
    expect(d?.trustChain).toMatchObject({ trusted: true, anchor: "Vietnam National Root CA", nationalRoot: "vn-national-root", warning: "chain.intermediateRevoked" });
  });

  it("a candidate without a result is untouched; the portal view names the anchor and says whether it blocks", () => {
    const c = candidate("z");
    expect(withChains([c], new Map(), { chainCheck: "require", revocationCheck: "require" })[0]).toBe(c);
    expect(portalChainStatus(revokedIntermediate, { chainCheck: "warn", revocationCheck: "require" })).toEqual({ trusted: true, anchor: "Vietnam National Root CA", blocking: true });
  });

  it("an anchor from the OS store is labelled as such: the view carries anchorSource, the portal reads '<name> (system store)'", () => {
    const fromOs: ChainCheckResult = { ...revokedIntermediate, anchor: { name: "Org Root", fingerprintSha256: "cc", source: "system" }, intermediates: [] };
    const [c] = withChains([candidate("a")], new Map([["a", fromOs]]), { chainCheck: "warn", revocationCheck: "warn" });
    expect(c?.trustChain).toMatchObject({ trusted: true, anchor: "Org Root", anchorSource: "system" });
    expect(portalChainStatus(fromOs, { chainCheck: "warn", revocationCheck: "warn" })).toEqual({ trusted: true, anchor: "Org Root (system store)", blocking: false });
    const [d] = withChains([candidate("b")], new Map([["b", revokedIntermediate]]), { chainCheck: "warn", revocationCheck: "off" });
    expect(d?.trustChain?.anchorSource).toBeUndefined();
  });
});

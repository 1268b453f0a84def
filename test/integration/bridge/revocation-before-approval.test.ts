/**
 * Policy `revocationCheck` through the real bridge, before any approval opens (issue 13 §2-3).
 *
 * What is real and what is not: the SoftHSM fixture certificates carry no OCSP/CRL URLs and their CA's database
 * is not served by an OCSP responder, so their own status cannot be "good" or "revoked". The bridge therefore
 * gets a revocation port (createCore's `revocation` option) that answers for each token certificate with a real
 * RevocationService checking a certificate of the local revocation PKI (test/fixtures/revocation-pki.ts): a real
 * `openssl ocsp` responder and CRL router on 127.0.0.1 give "good" and "revoked"; a stopped responder gives
 * "could not check". Which PKI certificate stands for which token certificate is the test's choice. The last
 * block uses the core's own default port on the fixture certificates (no URL: "could not be checked").
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalView, CandidateView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { RevocationPort } from "../../../main/core/bridge/command.js";
import { RevocationService } from "../../../main/core/certificates/revocation/index.js";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import type { ServerMessage } from "../../../sdk/src/protocol.js";
import { startPkiHarness, type PkiHarness } from "../certificates/pki-harness.js";
import { connect, errorName, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

type Stand = "good" | "revoked" | "down";

let pki: PkiHarness;
/** Asks the certificates' own OCSP URLs (the router forwards to openssl ocsp). */
let service: RevocationService;
/** Its only responder URL is a stopped openssl responder: connection refused. */
let downService: RevocationService;

beforeAll(async () => {
  pki = await startPkiHarness();
  service = new RevocationService({ proxy: {} });
  const stopped = await pki.startResponder("delegated");
  await stopped.stop();
  downService = new RevocationService({ proxy: {}, policyUrls: [{ ocsp: [stopped.url] }] });
});
afterAll(async () => {
  await pki?.close();
});

const PERSON = "001234567890";

/** A port whose answer for each token certificate is the real check of the PKI certificate it stands for. */
function pkiPort(stand: (certificate: CertificateInfo) => Stand): RevocationPort & { calls: number } {
  const port = {
    calls: 0,
    check(certificate: CertificateInfo) {
      port.calls += 1;
      const as = stand(certificate);
      if (as === "down") return downService.check(pki.pki.der.noUrls, pki.pki.der.ca);
      return service.check(as === "good" ? pki.pki.der.good : pki.pki.der.revoked, pki.pki.der.ca);
    },
  };
  return port;
}

interface Setup {
  bridge: BridgeHarness;
  client: Client;
  shown: ApprovalView[];
}

async function setUp(mode: "off" | "warn" | "require", port: RevocationPort | undefined): Promise<Setup> {
  const bridge = await startBridgeHarness({ revocationCheck: mode }, port ? { revocation: port } : {});
  const shown: ApprovalView[] = [];
  bridge.core.onEvent("approvalsChanged", (views) => shown.push(...views));
  return { bridge, client: await connect(bridge.wsPort), shown };
}
async function tearDown(setup: Setup | undefined): Promise<void> {
  setup?.client.close();
  await setup?.bridge.close();
}

const raw = { format: "raw", document: Buffer.from("x").toString("base64") };

/** Sends a sign request that must be refused before any approval opens. */
async function refused(setup: Setup): Promise<ServerMessage> {
  const before = setup.shown.length;
  const answer = await setup.client.call("sign", raw);
  expect(setup.shown.slice(before)).toEqual([]);
  return answer;
}

/** Opens an approval, hands its candidates to the test, then rejects it. */
async function offered(setup: Setup): Promise<readonly CandidateView[]> {
  const pending = setup.client.call("sign", raw);
  const approval = (await setup.bridge.nextApproval("sign")) as SignApprovalView;
  await setup.bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
  expect(errorName(await pending)).toBe("user_rejected");
  return approval.candidates;
}

describe('revocationCheck "require"', () => {
  let stand: Stand | ((c: CertificateInfo) => Stand) = "good";
  const port = pkiPort((c) => (typeof stand === "function" ? stand(c) : stand));
  let setup: Setup | undefined;
  beforeAll(async () => {
    setup = await setUp("require", port);
  });
  afterAll(() => tearDown(setup));

  it("every certificate revoked (OCSP): certificate_invalid, problems [revoked], no approval opened", async () => {
    stand = "revoked";
    const answer = await refused(setup!);
    expect(errorName(answer)).toBe("certificate_invalid");
    expect(answer).toMatchObject({ error: { data: { problems: ["revoked"] } } });
  });

  it("responder down: certificate_invalid, problems [revocationUnknown], no approval opened", async () => {
    stand = "down";
    const answer = await refused(setup!);
    expect(errorName(answer)).toBe("certificate_invalid");
    expect(answer).toMatchObject({ error: { data: { problems: ["revocationUnknown"] } } });
  });

  it("one certificate revoked, the others good: the revoked one is listed refused with the reason, the others carry 'good (OCSP)'", async () => {
    stand = (c) => (c.vn.personalId === PERSON ? "revoked" : "good");
    const candidates = await offered(setup!);
    const revoked = candidates.find((c) => c.vn.personalId === PERSON);
    expect(revoked?.refusal).toMatchObject({ code: "certificate_invalid", details: { problems: ["revoked"] } });
    expect(revoked?.revocation).toMatchObject({ status: "revoked" });
    const usable = candidates.filter((c) => c.valid && !c.refusal);
    expect(usable.length).toBeGreaterThan(0);
    for (const c of usable) expect(c.revocation).toMatchObject({ status: "good", source: "ocsp" });
    for (const c of usable) expect(c.revocation?.warning).toBeUndefined();
  });
});

describe('revocationCheck "warn"', () => {
  const port = pkiPort((c) => (c.vn.personalId === PERSON ? "revoked" : "down"));
  let setup: Setup | undefined;
  beforeAll(async () => {
    setup = await setUp("warn", port);
  });
  afterAll(() => tearDown(setup));

  it("a revoked certificate is still offered, with the warning; one that could not be checked says so", async () => {
    const candidates = await offered(setup!);
    const person = candidates.find((c) => c.vn.personalId === PERSON);
    expect(person?.revocation).toMatchObject({ status: "revoked", source: "ocsp", warning: "revocation.revoked" });
    expect(Number.isNaN(Date.parse(person!.revocation!.checkedAt))).toBe(false);
    const others = candidates.filter((c) => c.valid && c.vn.personalId !== PERSON);
    expect(others.length).toBeGreaterThan(0);
    for (const c of others) expect(c.revocation).toMatchObject({ status: "error", warning: "revocation.unchecked" });
    // Certificates that cannot sign anyway are not checked.
    for (const c of candidates.filter((c) => !c.valid)) expect(c.revocation).toBeUndefined();
  });
});

describe('revocationCheck "off"', () => {
  const port = pkiPort(() => "revoked");
  let setup: Setup | undefined;
  beforeAll(async () => {
    setup = await setUp("off", port);
  });
  afterAll(() => tearDown(setup));

  it("no check is made and the approval opens without a status", async () => {
    const candidates = await offered(setup!);
    expect(port.calls).toBe(0);
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) expect(c.revocation).toBeUndefined();
  });
});

describe("the core's own revocation service (default policy: warn)", () => {
  let setup: Setup | undefined;
  beforeAll(async () => {
    const bridge = await startBridgeHarness();
    const shown: ApprovalView[] = [];
    bridge.core.onEvent("approvalsChanged", (views) => shown.push(...views));
    setup = { bridge, client: await connect(bridge.wsPort), shown };
  });
  afterAll(() => tearDown(setup));

  it("fixture certificates name no OCSP/CRL URL: offered, each with 'could not be checked'", async () => {
    const candidates = await offered(setup!);
    const usable = candidates.filter((c) => c.valid);
    expect(usable.length).toBeGreaterThan(0);
    for (const c of usable) expect(c.revocation).toMatchObject({ status: "error", source: "none", warning: "revocation.unchecked" });
  });
});

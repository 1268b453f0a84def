/**
 * Policy `chainCheck` through the real bridge and core, before any approval opens (issue 13 §1, §3): each
 * candidate carries its trust path (trusted with the anchor named, or no trusted path), `certificates.list` on the
 * wire and the app's certificates page report the same. The fixtures' root is not a national root: with the
 * default anchors nothing chains; with the root as a policy anchor and the issuing CAs from a signed trust bundle
 * (policy `trustBundle.file`, key generated here), every fixture certificate chains to it.
 */
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalView, CandidateView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { CertificateSummary } from "../../../sdk/src/protocol.js";
import { loadManifest } from "../../fixtures/index.js";
import { signedEnvelope } from "../../fixtures/trust-bundle.js";
import { connect, errorName, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

interface Setup {
  bridge: BridgeHarness;
  client: Client;
  shown: ApprovalView[];
}

async function setUp(policy: Record<string, unknown>): Promise<Setup> {
  const bridge = await startBridgeHarness(policy);
  const shown: ApprovalView[] = [];
  bridge.core.onEvent("approvalsChanged", (views) => shown.push(...views));
  return { bridge, client: await connect(bridge.wsPort), shown };
}
async function tearDown(setup: Setup | undefined): Promise<void> {
  setup?.client.close();
  await setup?.bridge.close();
}

const raw = { format: "raw", document: Buffer.from("x").toString("base64") };

async function offered(setup: Setup): Promise<readonly CandidateView[]> {
  const pending = setup.client.call("sign", raw);
  const approval = (await setup.bridge.nextApproval("sign")) as SignApprovalView;
  await setup.bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
  expect(errorName(await pending)).toBe("user_rejected");
  return approval.candidates;
}

async function listed(setup: Setup): Promise<readonly CertificateSummary[]> {
  const answer = (await setup.client.call("certificates.list", {})) as { result: readonly CertificateSummary[] };
  return answer.result;
}

let dir: string;
let rootPem: string;
let rootName: string;
let caPems: string[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kyso-chain-bridge-"));
  const manifest = await loadManifest();
  rootPem = await readFile(manifest.pki.rootPem, "utf8");
  rootName = /CN=([^\n]+)/.exec(new X509Certificate(rootPem).subject)![1]!;
  caPems = await Promise.all([manifest.pki.govCaPem, manifest.pki.publicCaPem].map((file) => readFile(file, "utf8")));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('chainCheck "warn" (default), the fixtures\' root not an anchor', () => {
  let setup: Setup | undefined;
  beforeAll(async () => {
    setup = await setUp({});
  });
  afterAll(() => tearDown(setup));

  it("every usable candidate says 'no trusted path' and stays usable; certificates.list says the same", async () => {
    const candidates = await offered(setup!);
    const valid = candidates.filter((c) => c.valid);
    expect(valid.length).toBeGreaterThan(0);
    for (const c of valid) expect(c.trustChain).toMatchObject({ trusted: false, warning: "chain.untrusted" });
    for (const c of valid) expect(c.refusal).toBeUndefined();
    for (const c of candidates.filter((c) => !c.valid)) expect(c.trustChain).toBeUndefined();
    const summaries = (await listed(setup!)).filter((s) => s.valid);
    expect(summaries.length).toBe(valid.length);
    for (const s of summaries) expect(s.trustChain).toEqual({ trusted: false });
  });
});

describe('chainCheck "require", the fixtures\' root not an anchor', () => {
  let setup: Setup | undefined;
  beforeAll(async () => {
    setup = await setUp({ chainCheck: "require" });
  });
  afterAll(() => tearDown(setup));

  it("refused before any approval opens: certificate_invalid, problems [untrustedChain]; certificates.list: not valid", async () => {
    const before = setup!.shown.length;
    const answer = await setup!.client.call("sign", raw);
    expect(setup!.shown.slice(before)).toEqual([]);
    expect(errorName(answer)).toBe("certificate_invalid");
    expect(answer).toMatchObject({ error: { data: { problems: ["untrustedChain"] } } });
    const summaries = await listed(setup!);
    expect(summaries.filter((s) => s.valid)).toEqual([]);
    expect(summaries.filter((s) => s.trustChain).length).toBeGreaterThan(0);
  });
});

describe("the root as a policy anchor, the issuing CAs from a signed trust bundle", () => {
  let setup: Setup | undefined;
  beforeAll(async () => {
    const publisher = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const file = join(dir, "bundle.json");
    const content = { version: 1, issuedAt: new Date(Date.now() - 60_000).toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString(), intermediates: caPems };
    await writeFile(file, signedEnvelope(content, publisher.privateKey, publisher.publicKey));
    const publisherKeys = [publisher.publicKey.export({ type: "spki", format: "pem" }).toString()];
    // revocationCheck off: the fixture CAs' CRL URLs are not served here; the intermediates' status has its own test.
    setup = await setUp({ chainCheck: "require", revocationCheck: "off", trustAnchors: [rootPem], trustBundle: { file, publisherKeys } });
  });
  afterAll(() => tearDown(setup));

  it("every usable candidate chains to the root, named; the wire, the app's list and diagnostics agree", async () => {
    const candidates = await offered(setup!);
    const valid = candidates.filter((c) => c.valid);
    expect(valid.length).toBeGreaterThan(0);
    for (const c of valid) expect(c.trustChain).toMatchObject({ trusted: true, anchor: rootName, intermediates: [] });
    for (const c of valid) expect(c.trustChain?.warning).toBeUndefined();
    // Issue 13: the algorithm check is its own line of the approval, with what was checked.
    for (const c of valid) expect(c.algorithm).toMatchObject({ allowed: true, hash: "SHA-256", problems: [] });
    for (const s of (await listed(setup!)).filter((s) => s.valid)) expect(s.trustChain).toEqual({ trusted: true, anchor: rootName });
    const app = await setup!.bridge.core.handlers["certificates.list"]();
    for (const c of app.filter((c) => c.valid)) expect(c.trustChain).toMatchObject({ trusted: true, anchor: rootName });
    const diagnostics = await setup!.bridge.core.handlers["diagnostics.get"]();
    expect(diagnostics.trustBundle).toMatchObject({ configured: true, inUse: { version: 1, intermediates: 2 }, problems: [] });
  });
});

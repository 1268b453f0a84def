/**
 * Issue 13 through the real bridge: each signature keeps its certificate-check evidence next to its audit line and
 * the history exports it; `certificates.list` reports the approval's own revocation check; certificates with a
 * weak algorithm (RSA-1024, SHA-1-signed) are refused before any approval.
 *
 * As in revocation-before-approval.test.ts, the SoftHSM fixture certificates name no OCSP/CRL URL, so the core's
 * revocation port answers for each token certificate with a real RevocationService check of a certificate of the
 * local PKI (real `openssl ocsp` on 127.0.0.1). The weak certificates are real openssl certificates parsed by the
 * core's own parser and listed beside the token's (they never reach the token: they are refused before it).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { RevocationPort } from "../../../main/core/bridge/command.js";
import type { SignContext, SigningPort } from "../../../main/core/bridge/signing-port.js";
import { parseCertificateInfo } from "../../../main/core/certificates/parse-certificate.js";
import { RevocationService } from "../../../main/core/certificates/revocation/index.js";
import type { EvidenceBundle } from "../../../main/core/evidence/evidence-bundle.js";
import { createCore, type KysoCore } from "../../../main/core/kyso-core.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import { signingPort } from "../../../main/core/signing/index.js";
import type { TokenService } from "../../../main/core/tokens/token-service.js";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import type { CertificateSummary } from "../../../sdk/src/protocol.js";
import { openssl } from "../../../sandbox/demo-tokens/openssl-pki.js";
import { openTokenHarness, type TokenHarness } from "../../helpers/token-service-harness.js";
import { startPkiHarness, type PkiHarness } from "../certificates/pki-harness.js";
import { connect, errorName, PORTAL, type Client } from "./bridge-harness.js";

const run = promisify(execFile);
const PERSON = "001234567890";

let pki: PkiHarness;
let tokens: TokenHarness;
let work: string;
let weak: { rsa1024: CertificateInfo; sha1: CertificateInfo };
beforeAll(async () => {
  pki = await startPkiHarness();
  tokens = await openTokenHarness();
  work = await mkdtemp(join(tmpdir(), "kyso-evidence-bridge-"));
  const make = async (name: string, key: string, digest: string): Promise<CertificateInfo> => {
    const pem = join(work, `${name}.pem`);
    await openssl(["req", "-x509", "-newkey", key, "-nodes", "-keyout", join(work, `${name}.key`), "-subj", `/C=VN/CN=${name}`, "-days", "30", `-${digest}`,
      "-addext", "keyUsage=critical,digitalSignature,nonRepudiation", "-out", pem]);
    const der = new Uint8Array(Buffer.from((await readFile(pem, "latin1")).replace(/-----[^-]+-----|\s/g, ""), "base64"));
    return parseCertificateInfo(der, { tokenId: "weak", tokenSerial: "weak", label: name, hasPrivateKey: true, caCertificates: [] });
  };
  weak = { rsa1024: await make("Weak RSA 1024", "rsa:1024", "sha256"), sha1: await make("SHA-1 Signed", "rsa:2048", "sha1") };
});
afterAll(async () => {
  await tokens?.close();
  await pki?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

type Stand = "good" | "revoked";

interface Setup {
  core: KysoCore;
  dataDir: string;
  client: Client;
  /** What the formats were handed for each signature. */
  contexts: SignContext[];
  stand: Stand;
  close(): Promise<void>;
}

async function setUp(mode: "warn" | "require"): Promise<Setup> {
  const dataDir = await mkdtemp(join(tmpdir(), "kyso-evidence-core-"));
  const service = new RevocationService({ proxy: {} });
  const setup = { stand: "good" as Stand } as Setup;
  const port: RevocationPort = {
    check: (c) => service.check(c.vn.personalId === PERSON && setup.stand === "revoked" ? pki.pki.der.revoked : pki.pki.der.good, pki.pki.der.ca),
  };
  const formats = signingPort();
  const contexts: SignContext[] = [];
  const signing: SigningPort = {
    prepare: (item, candidates) => formats.prepare(item, candidates),
    sign: (item, signer, context) => {
      contexts.push(context);
      return formats.sign(item, signer, context);
    },
  };
  // The token's certificates, and the two weak ones beside them.
  const tokenService = new Proxy(tokens.service, {
    get(target, property) {
      if (property === "close") return async () => undefined;
      if (property === "listCertificates") return async () => [...(await target.listCertificates()), weak.rsa1024, weak.sha1];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as TokenService;
  const core = createCore({
    dataDir,
    policy: policySchema.parse({ allowedOrigins: [PORTAL], revocationCheck: mode }),
    tokenService,
    revocation: port,
    signing,
    bridgePorts: { ws: [0], wss: [0] },
    language: "en",
  });
  await core.start();
  const client = await connect(core.bridge.ports.ws!);
  return Object.assign(setup, {
    core,
    dataDir,
    client,
    contexts,
    async close() {
      client.close();
      await core.close();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
    },
  });
}

function nextApproval(core: KysoCore): Promise<SignApprovalView> {
  return new Promise((resolve) => {
    const check = (views: readonly ApprovalView[]): void => {
      const shown = views.find((v) => v.kind === "sign" && v.state.kind === "choosing-certificate");
      if (!shown) return;
      off();
      resolve(shown as SignApprovalView);
    };
    const off = core.onEvent("approvalsChanged", check);
  });
}

async function listed(setup: Setup): Promise<CertificateSummary[]> {
  const answer = await setup.client.call("certificates.list");
  if (!("result" in answer)) throw new Error(JSON.stringify(answer));
  return answer.result as CertificateSummary[];
}

/** Signs one raw hash with the person's certificate, approving it; resolves with the audit line of the signature. */
async function signAsPerson(setup: Setup, text: string) {
  const pending = setup.client.call("sign", { format: "raw", hash: createHash("sha256").update(text).digest("base64") });
  const approval = await nextApproval(setup.core);
  const person = approval.candidates.find((c) => c.valid && c.vn.personalId === PERSON)!;
  await setup.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
  const answer = await pending;
  expect("result" in answer).toBe(true);
  const lines = await setup.core.handlers["audit.list"]({});
  return { line: lines.find((l) => l.method === "sign" && l.result === "ok")!, person };
}

describe('signing keeps the evidence (revocationCheck "warn")', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await setUp("warn");
  });
  afterAll(() => setup?.close());

  it("certificates.list reports valid, revocation good and checkedAt; weak certificates are not valid and not checked", async () => {
    pki.router.resetCounts();
    const summaries = await listed(setup);
    const usable = summaries.filter((s) => s.valid);
    expect(usable.length).toBeGreaterThan(0);
    for (const s of usable) {
      expect(s.revocation?.status).toBe("good");
      expect(Number.isNaN(Date.parse(s.revocation!.checkedAt))).toBe(false);
    }
    for (const id of [weak.rsa1024.id, weak.sha1.id]) {
      const summary = summaries.find((s) => s.id === id);
      expect(summary?.valid).toBe(false);
      expect(summary?.revocation).toBeUndefined();
    }
    // Every token certificate stands for the same PKI certificate here: one OCSP request, the rest from the cache.
    expect(pki.router.count("/ocsp")).toBe(1);
  });

  it("the signature's audit line names its evidence; the export holds the chain, the OCSP response and the result", async () => {
    const before = pki.router.count("/ocsp");
    const { line, person } = await signAsPerson(setup, "first");
    expect(line.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(line.evidence).toHaveLength(1);
    // The approval's check was used: nothing fetched again for the signature.
    expect(pki.router.count("/ocsp")).toBe(before);

    const { fileName, json } = await setup.core.handlers["evidence.export"]({ auditId: line.id! });
    expect(fileName).toMatch(/^kyso-evidence-\d{8}T\d{6}Z-[0-9a-f-]{12}\.json$/);
    const bundle = JSON.parse(json) as EvidenceBundle;
    // The history's row adds the record in words for the UI (`words`); the evidence keeps the record as stored.
    const { words: _words, ...stored } = line as typeof line & { words?: unknown };
    expect(bundle.auditRecord).toEqual(stored);
    expect(bundle.missing).toEqual([]);
    expect(bundle.checks[0]).toMatchObject({ id: line.evidence![0], check: { valid: true, revocationCheck: "warn", revocation: { status: "good", source: "ocsp" } } });
    const signer = bundle.objects.find((o) => o.id === bundle.checks[0]!.certificate)!;
    expect(signer.der).toBe(person.certificate);
    const ocsp = bundle.objects.find((o) => o.type === "ocsp-response")!;

    // The formats got exactly the bytes the evidence keeps (what B-LT embeds).
    const handed = setup.contexts.at(-1)!.revocation!;
    expect(Buffer.from(handed.ocspResponses[0]!).toString("base64")).toBe(ocsp.der);
    expect(Buffer.from(handed.certificates[0]!).toString("base64")).toBe(person.certificate);

    // The OCSP response parses and is about the certificate the port checked (the PKI's "good" one).
    await writeFile(join(work, "resp.der"), Buffer.from(ocsp.der, "base64"));
    const { stdout } = await run("openssl", ["ocsp", "-respin", join(work, "resp.der"), "-resp_text", "-noverify"]);
    const serial = (await run("openssl", ["x509", "-in", join(pki.pki.dir, "ca", "Good Signer.pem"), "-noout", "-serial"])).stdout.trim().split("=")[1]!;
    expect(stdout.replace(/\s/g, "")).toContain(`SerialNumber:${serial}`);
    expect(stdout).toContain("Cert Status: good");
  });

  it("a second signature on the same check reuses the same evidence: nothing new is written", async () => {
    const folder = join(setup.dataDir, "evidence");
    const filesBefore = (await readdir(folder)).sort();
    const first = (await setup.core.handlers["audit.list"]({})).find((l) => l.method === "sign")!;
    await signAsPerson(setup, "second");
    const lines = (await setup.core.handlers["audit.list"]({})).filter((l) => l.method === "sign" && l.result === "ok");
    expect(lines).toHaveLength(2);
    expect(lines[0]!.id).not.toBe(lines[1]!.id);
    expect(lines[0]!.evidence).toEqual(first.evidence);
    expect((await readdir(folder)).sort()).toEqual(filesBefore);
  });

  it("an audit record without evidence, or an unknown id, exports nothing", async () => {
    await expect(setup.core.handlers["evidence.export"]({ auditId: "no-such-record" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("refused before any approval", () => {
  let setup: Setup;
  const shown: ApprovalView[] = [];
  beforeAll(async () => {
    setup = await setUp("require");
    setup.core.onEvent("approvalsChanged", (views) => shown.push(...views));
  });
  afterAll(() => setup?.close());

  it("an RSA-1024 certificate and a SHA-1-signed certificate: certificate_invalid, problems [weakAlgorithm]", async () => {
    expect(weak.rsa1024.problems).toEqual(["weakAlgorithm"]);
    expect(weak.sha1.problems).toEqual(["weakAlgorithm"]);
    for (const certificate of [weak.rsa1024, weak.sha1]) {
      const answer = await setup.client.call("sign", { format: "raw", document: Buffer.from("x").toString("base64"), certificateId: certificate.id });
      expect(errorName(answer)).toBe("certificate_invalid");
      expect(answer).toMatchObject({ error: { data: { problems: ["weakAlgorithm"] } } });
    }
    expect(shown).toEqual([]);
  });

  it('under "require", certificates.list says a revoked certificate is not valid, with its status', async () => {
    setup.stand = "revoked";
    const summaries = await listed(setup);
    const person = summaries.filter((s) => s.subject.includes(PERSON));
    expect(person.length).toBeGreaterThan(0);
    for (const s of person) expect(s).toMatchObject({ valid: false, revocation: { status: "revoked" } });
    const others = summaries.filter((s) => s.revocation && !s.subject.includes(PERSON));
    expect(others.length).toBeGreaterThan(0);
    for (const s of others) expect(s).toMatchObject({ valid: true, revocation: { status: "good" } });
    const filtered = await setup.client.call("certificates.list", { filter: { validOnly: true } });
    expect("result" in filtered && (filtered.result as CertificateSummary[]).some((s) => s.subject.includes(PERSON))).toBe(false);
  });
});

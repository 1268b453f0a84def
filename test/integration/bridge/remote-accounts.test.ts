/**
 * Remote signing accounts through the real bridge (issue 16, step 2): a VNPT SmartCA (sp769) and a CSC v2 account
 * at the local remote-signing server (SoftHSM key) are listed beside the tokens, checked like them, and sign raw,
 * CMS and PAdES when approved in the app; the phone's answers end as the catalogue's codes. The server records
 * every body: only digests arrive, and no secret from the policy reaches settings, audit or diagnostics.
 */
import { createVerify, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ApprovalView, PhoneWaitView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { RemoteClock } from "../../../main/core/remote/index.js";
import type { CertificateSummary, SignResult, TokenSummary } from "../../../sdk/src/protocol.js";
import { opensslCmsVerify, pdfsigVerify } from "../../verifiers/cli-verifiers.js";
import { REMOTE_TEST_USER } from "../../../sandbox/remote-server/remote-signing-server.js";
import { cscAuthorize, DOCUMENT, expectNoDocumentBytes, openRemoteSuite, remoteCertificate, SECRETS, type RemoteSuite } from "../remote/remote-harness.js";
import { makeSamplePdf } from "../signing/pdf-samples.js";
import { connect, errorName, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";
import { dataFolderTexts } from "../../helpers/data-folder-text.js";

/** Polls without waiting; `hold()` keeps the next sleeps pending (the phone "thinks") until `release()` or abort. */
function gatedClock(): RemoteClock & { hold(): void; release(): void } {
  let now = Date.now();
  let held = false;
  let waiting: (() => void)[] = [];
  return {
    now: () => now,
    hold: () => void (held = true),
    release() {
      held = false;
      for (const wake of waiting.splice(0)) wake();
    },
    sleep(ms, signal) {
      now += ms;
      if (!held) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiting.push(resolve);
        signal?.addEventListener("abort", () => {
          waiting = waiting.filter((w) => w !== resolve);
          reject(signal.reason as Error);
        }, { once: true });
      });
    },
  };
}

let suite: RemoteSuite;
let bridge: BridgeHarness;
let client: Client;
const clock = gatedClock();
const accounts: Record<string, CertificateSummary> = {};

beforeAll(async () => {
  suite = await openRemoteSuite();
  const { server } = suite;
  bridge = await startBridgeHarness({
    trustAnchors: [await readFile(suite.rootPem, "utf8")],
    remoteSigning: {
      providers: [
        { id: "vnpt", kind: "vnpt-smartca", baseUrl: server.vnptBase, spId: SECRETS.spId, spPassword: SECRETS.spPassword },
        { id: "rssp", kind: "csc", name: "Test RSSP", baseUrl: server.cscBase, clientId: SECRETS.cscClientId, clientSecret: SECRETS.clientSecret, redirectUri: "http://127.0.0.1:53682/callback" },
      ],
    },
  }, { remote: { clock, pollIntervalMs: 2000, cscAuthorize, cscOtp: async () => SECRETS.otp } });
  await bridge.core.handlers["settings.set"]({ remoteAccounts: { vnpt: { userId: REMOTE_TEST_USER }, rssp: { userId: REMOTE_TEST_USER } } });
  client = await connect(bridge.wsPort);
  for (const id of ["vnpt", "rssp"]) {
    accounts[id] = await remoteCertificate(client, id);
  }
});
afterAll(async () => {
  client?.close();
  await bridge?.close();
  await suite?.close();
});
beforeEach(() => {
  suite.server.phone = "approve";
  suite.server.waitingPolls = 2;
  clock.release();
});

/** The next time an approval shows the phone step in `phase`. */
function nextPhone(phase: PhoneWaitView["phase"]): Promise<{ view: SignApprovalView; phone: PhoneWaitView }> {
  return new Promise((resolve) => {
    const off = bridge.core.onEvent("approvalsChanged", (views: readonly ApprovalView[]) => {
      for (const view of views) {
        if (view.kind === "sign" && view.state.kind === "signing" && view.state.phone?.phase === phase) {
          off();
          resolve({ view, phone: view.state.phone });
        }
      }
    });
  });
}

async function approveWith(id: string, params: Record<string, unknown>): Promise<Awaited<ReturnType<Client["call"]>>> {
  const pending = client.call("sign", { certificateId: accounts[id]!.id, ...params });
  const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
  // No PIN: the phone confirms.
  await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: accounts[id]!.id });
  return pending;
}

const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString("base64");

describe.each(["vnpt", "rssp"])("remote account %s through the bridge", (id) => {
  it("is listed as its own pseudo-token with its provider, valid, its chain built, through the same checks", async () => {
    const account = accounts[id]!;
    expect(account.tokenId).toBe(`remote:${id}`);
    expect(account.valid).toBe(true);
    expect(account.chain.length).toBeGreaterThan(0);
    const tokens = await client.call("tokens.list");
    const token = ("result" in tokens ? (tokens.result as TokenSummary[]) : []).find((t) => t.id === `remote:${id}`);
    expect(token?.label).toBe(id === "vnpt" ? "VNPT SmartCA" : "Test RSSP");
    expect(token?.protectedAuthenticationPath).toBe(true);
  });

  it("signs raw: the signature verifies with the account's certificate", async () => {
    const answer = await approveWith(id, { format: "raw", document: b64("xin chào"), display: { title: "Tờ khai" } });
    const result = (answer as { result: SignResult }).result;
    const certificate = new X509Certificate(Buffer.from(result.certificate, "base64"));
    expect(createVerify("sha256").update("xin chào").verify(certificate.publicKey, Buffer.from(result.signature!, "base64"))).toBe(true);
    expect(result.certificate).toBe(accounts[id]!.certificate);
  });

  it("signs CMS (detached): openssl cms -verify passes; only hashes reached the server", async () => {
    suite.server.requests.length = 0;
    const answer = await approveWith(id, { format: "cms", document: b64(DOCUMENT), options: { detached: true } });
    const result = (answer as { result: SignResult }).result;
    const sig = await suite.h.file(`bridge-${id}.p7s`, Buffer.from(result.signature!, "base64"));
    const content = await suite.h.file(`bridge-${id}.txt`, DOCUMENT);
    const verified = await opensslCmsVerify({ signature: sig, content, caFile: suite.rootPem });
    expect(verified.stderr).toContain("Verification successful");
    expectNoDocumentBytes(suite.server);
  });

  it("signs PAdES: pdfsig says the signature is valid and covers the document; no PDF byte left", async () => {
    const pdf = await makeSamplePdf(1);
    suite.server.requests.length = 0;
    const answer = await approveWith(id, { format: "pades", document: b64(pdf) });
    const signed = Buffer.from((answer as { result: { document: string } }).result.document, "base64");
    const report = await pdfsigVerify(await suite.h.file(`bridge-${id}.pdf`, signed));
    expect(report.signatures.map((s) => s.valid)).toEqual([true]);
    const bodies = suite.server.requests.map((r) => r.body).join("\n");
    expect(bodies).not.toContain(Buffer.from(pdf.subarray(0, 64)).toString("base64").slice(0, 40));
    expect(bodies).not.toContain("%PDF");
  });

  it.each([
    ["reject", "user_rejected"],
    ["expire", "timeout"],
    ["quota", "remote_quota_exceeded"],
    ["network", "remote_unavailable"],
  ] as const)("phone %s -> %s, named to the portal and shown as the approval's failure", async (outcome, code) => {
    suite.server.phone = outcome;
    if (outcome === "expire") suite.server.waitingPolls = 10_000; // VNPT: the client's own expiry ends the wait
    const failed = new Promise<string | undefined>((resolve) => {
      const off = bridge.core.onEvent("approvalsChanged", (views: readonly ApprovalView[]) => {
        const view = views.find((v) => v.state.kind === "failed");
        if (view?.state.kind === "failed") {
          off();
          resolve(view.state.error.code);
        }
      });
    });
    const answer = await approveWith(id, { format: "raw", document: b64("không ký") });
    expect(errorName(answer)).toBe(code);
    expect(await failed).toBe(code);
  });
});

describe("the phone step in the approval", () => {
  it("VNPT: waiting shows the description and origin KySo sent and the provider's expiry; cancel ends it as user_rejected", async () => {
    clock.hold();
    const waiting = nextPhone("waiting");
    const pending = client.call("sign", { certificateId: accounts.vnpt!.id, format: "raw", document: b64("chờ điện thoại"), display: { title: "Quyết định 123" } });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    void bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: accounts.vnpt!.id });
    const { phone } = await waiting;
    expect(phone).toMatchObject({ provider: "VNPT SmartCA", description: "Quyết định 123", origin: "https://portal.example.gov.vn" });
    expect(Date.parse(phone.expiresAt!)).toBeGreaterThan(clock.now());
    const sent = JSON.parse(suite.server.requests.findLast((r) => r.path.endsWith("signatures/sign"))!.body) as { transaction_desc: string };
    expect(sent.transaction_desc).toBe("Quyết định 123 (https://portal.example.gov.vn)");
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect(errorName(await pending)).toBe("user_rejected");
  });

  it("VNPT: approved on the phone, the step reads confirmed before the approval is done", async () => {
    const confirmed = nextPhone("confirmed");
    const answer = await approveWith("vnpt", { format: "raw", document: b64("đã xác nhận") });
    expect("result" in answer).toBe(true);
    expect((await confirmed).phone.provider).toBe("VNPT SmartCA");
  });
});

describe("secrets stay in the machine policy", () => {
  it("no sp_password, client secret or OTP in settings, audit, evidence or diagnostics", async () => {
    const texts: string[] = [JSON.stringify(await bridge.core.handlers["diagnostics.get"]()), JSON.stringify(await bridge.core.handlers["settings.get"]())];
    texts.push(...(await dataFolderTexts(bridge.dataDir)));
    const all = texts.join("\n");
    expect(all).toContain(REMOTE_TEST_USER); // the account id is a setting
    for (const secret of [SECRETS.spPassword, SECRETS.clientSecret, SECRETS.otp]) expect(all).not.toContain(secret);
  });
});

/**
 * A CSC account from sign-in to signature through the real core and bridge (issue 16): the settings page's
 * `remote.signIn` runs the loopback sign-in against the local server (the "browser" is an HTTP client), the tokens
 * land only in the SecretStore (never in the data folder), the account's credential is then listed, and a page's
 * `sign` is authorized with the OTP the user types in the approval's remote step (`approvals.otp`). A wrong OTP
 * is a typed failure; cancelling at the OTP step is a rejection.
 */
import { createVerify, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalView, PhoneWaitView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { loopbackSignIn } from "../../../main/core/remote/csc-sign-in.js";
import { MemorySecretStore } from "../../../main/core/remote/index.js";
import type { CertificateSummary, SignResult } from "../../../sdk/src/protocol.js";
import { REMOTE_TEST_USER } from "../../../sandbox/remote-server/remote-signing-server.js";
import { fakeClock, openRemoteSuite, SECRETS, type RemoteSuite } from "../remote/remote-harness.js";
import { connect, errorName, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";
import { dataFolderTexts } from "../../helpers/data-folder-text.js";

let suite: RemoteSuite;
let bridge: BridgeHarness;
let client: Client;
const store = new MemorySecretStore();
const opened: string[] = [];

beforeAll(async () => {
  suite = await openRemoteSuite();
  bridge = await startBridgeHarness({
    trustAnchors: [await readFile(suite.rootPem, "utf8")],
    remoteSigning: {
      providers: [{ id: "rssp", kind: "csc", name: "Test RSSP", baseUrl: suite.server.cscBase, clientId: SECRETS.cscClientId, redirectUri: "http://127.0.0.1:53682/callback" }],
    },
  }, {
    remote: {
      clock: fakeClock(),
      secretStore: store,
      secretStoreStatus: () => ({ kind: "os" }),
      // The system browser: the server's authorize endpoint redirects to KySo's loopback listener.
      cscSignIn: loopbackSignIn({ open: async (url) => void (opened.push(url), await fetch(url)) }),
    },
  });
  await bridge.core.handlers["settings.set"]({ remoteAccounts: { rssp: { userId: REMOTE_TEST_USER } } });
  client = await connect(bridge.wsPort);
});
afterAll(async () => {
  client?.close();
  await bridge?.close();
  await suite?.close();
});

const b64 = (text: string): string => Buffer.from(text).toString("base64");

async function listed(): Promise<CertificateSummary[]> {
  const answer = await client.call("certificates.list", { filter: { tokenId: "remote:rssp" } });
  return "result" in answer ? (answer.result as CertificateSummary[]) : [];
}

/** The next time an approval's remote step is in `phase`. */
function nextPhone(phase: PhoneWaitView["phase"]): Promise<SignApprovalView> {
  return new Promise((resolve) => {
    const off = bridge.core.onEvent("approvalsChanged", (views: readonly ApprovalView[]) => {
      const view = views.find((v) => v.kind === "sign" && v.state.kind === "signing" && v.state.phone?.phase === phase);
      if (view?.kind === "sign") {
        off();
        resolve(view);
      }
    });
  });
}

/** A page signs with the account; the user approves, then types `otp` (or cancels) at the OTP step. */
async function signWithOtp(text: string, otp: string | "cancel"): Promise<Awaited<ReturnType<Client["call"]>>> {
  const [certificate] = await listed();
  const pending = client.call("sign", { certificateId: certificate!.id, format: "raw", document: b64(text), display: { title: "Hợp đồng 7" } });
  const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
  const asking = nextPhone("otp");
  await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: certificate!.id });
  await asking;
  if (otp === "cancel") await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
  else await bridge.core.handlers["approvals.otp"]({ approvalId: approval.id, otp });
  return pending;
}

describe("CSC account: sign-in from the settings page, then signing with an OTP", () => {
  it("before sign-in: listed by the policy, not signed in, no credential offered, no browser opened", async () => {
    const status = await bridge.core.handlers["remote.status"]();
    expect(status.secretStore).toEqual({ kind: "os" });
    expect(status.providers).toEqual([{ id: "rssp", name: "Test RSSP", kind: "csc", userId: REMOTE_TEST_USER, signIn: { signedIn: false } }]);
    expect(await listed()).toEqual([]);
    expect(opened).toEqual([]);
  });

  it("remote.signIn: the tokens go only to the SecretStore; the credential is then listed", async () => {
    const status = await bridge.core.handlers["remote.signIn"]({ providerId: "rssp" });
    expect(opened).toHaveLength(1);
    const provider = status.providers[0]!;
    expect(provider.signIn?.signedIn).toBe(true);
    expect(Date.parse(provider.signIn!.expiresAt!)).toBeGreaterThan(0);
    expect(store.size).toBe(1);
    const [certificate] = await listed();
    expect(certificate?.tokenId).toBe("remote:rssp");
    // No token in any file of the data folder (settings, audit, anything).
    const texts: string[] = [];
    texts.push(...(await dataFolderTexts(bridge.dataDir)));
    for (const token of suite.server.issuedTokens) expect(texts.join("\n")).not.toContain(token);
  });

  it("sign: the approval's remote step asks for the OTP; with the right one the signature verifies", async () => {
    const answer = await signWithOtp("xin chào", SECRETS.otp);
    const result = (answer as { result: SignResult }).result;
    const certificate = new X509Certificate(Buffer.from(result.certificate, "base64"));
    expect(createVerify("sha256").update("xin chào").verify(certificate.publicKey, Buffer.from(result.signature!, "base64"))).toBe(true);
    const authorize = JSON.parse(suite.server.requests.findLast((r) => r.path.endsWith("credentials/authorize"))!.body) as { OTP: string };
    expect(authorize.OTP).toBe(SECRETS.otp);
  });

  it("a wrong OTP: the approval fails remote_otp_incorrect, the page gets signing_failed, nothing was signed", async () => {
    const before = suite.server.requests.filter((r) => r.path.endsWith("signHash")).length;
    const failed = new Promise<string>((resolve) => {
      const off = bridge.core.onEvent("approvalsChanged", (views: readonly ApprovalView[]) => {
        const view = views.find((v) => v.state.kind === "failed");
        if (view?.state.kind === "failed") {
          off();
          resolve(view.state.error.code);
        }
      });
    });
    const answer = await signWithOtp("sai mã", "000000");
    expect(errorName(answer)).toBe("signing_failed");
    expect(await failed).toBe("remote_otp_incorrect");
    expect(suite.server.requests.filter((r) => r.path.endsWith("signHash")).length).toBe(before);
  });

  it("cancel at the OTP step: the page gets user_rejected", async () => {
    const answer = await signWithOtp("huỷ", "cancel");
    expect(errorName(answer)).toBe("user_rejected");
  });

  it("approvals.otp when no approval asks for one is refused (invalid_params or not_found)", async () => {
    await expect(bridge.core.handlers["approvals.otp"]({ approvalId: "nope", otp: "123456" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("remote.signOut forgets the tokens; the account lists nothing until the next sign-in", async () => {
    const status = await bridge.core.handlers["remote.signOut"]({ providerId: "rssp" });
    expect(status.providers[0]!.signIn).toEqual({ signedIn: false });
    expect(store.size).toBe(0);
    expect(await listed()).toEqual([]);
  });
});

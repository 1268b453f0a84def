/**
 * `npm run sandbox -- --remote` (issue 16): the sandbox also starts the local remote-signing server on 127.0.0.1,
 * signing with a demo token key in its own token host, configures one account per dialect (CSC, VNPT SmartCA,
 * NEAC, Viettel MySign) and prints how to play the phone; a portal signs with those accounts through the real
 * bridge, and the curl endpoint the banner names changes what the phone does. The demo tokens are the fixture
 * tokens (their manifest placed where the sandbox looks), so nothing is provisioned here.
 */
import { createVerify, X509Certificate } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { CertificateSummary, SignResult } from "../../../sdk/src/protocol.js";
import { startSandbox, type Sandbox } from "../../../sandbox/start-sandbox.js";
import { copyFixtureTokens, type TokenCopy } from "../../fixtures/index.js";
import { connect, errorName, type Client } from "../bridge/bridge-harness.js";

let tokens: TokenCopy;
let dir: string;
let sandbox: Sandbox;
let portal: Client;

beforeAll(async () => {
  tokens = await copyFixtureTokens();
  dir = await mkdtemp(join(tmpdir(), "kyso-sandbox-remote-"));
  await mkdir(join(dir, "demo-tokens"), { recursive: true });
  await writeFile(join(dir, "demo-tokens", "manifest.json"), JSON.stringify(tokens.manifest));
  sandbox = await startSandbox({ dataDir: dir, remote: true, bridgePorts: { ws: [0], wss: [] }, approvalUi: false });
  portal = await connect(sandbox.core.bridge.ports.ws!, { origin: sandbox.portalOrigin });
}, 120_000);

afterAll(async () => {
  portal?.close();
  await sandbox?.close();
  await tokens?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function signRaw(certificateId: string, text: string): Promise<Awaited<ReturnType<Client["call"]>>> {
  const pending = portal.call("sign", { certificateId, format: "raw", document: Buffer.from(text).toString("base64"), display: { title: "Sandbox" } });
  const approval = await new Promise<ApprovalView>((resolve) => {
    const off = sandbox.core.onEvent("approvalsChanged", (views: readonly ApprovalView[]) => {
      const shown = views.find((v) => v.kind === "sign" && v.state.kind === "choosing-certificate");
      if (shown) {
        off();
        resolve(shown);
      }
    });
  });
  await sandbox.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId });
  return pending;
}

describe("npm run sandbox -- --remote", () => {
  it("the server listens on 127.0.0.1; the banner names it, the four accounts and the curl line for the phone", () => {
    const remote = sandbox.remote!;
    expect(remote.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const text = sandbox.banner.join("\n");
    expect(text).toContain(`Remote:        ${remote.server.url}`);
    expect(text).toContain("remote:vnpt, remote:neac, remote:csc, remote:mysign");
    expect(text).toContain(`curl -X POST ${remote.server.url}/phone/<approve|reject|expire|quota|network>`);
    expect(sandbox.policy.remoteSigning.providers.map((p) => `${p.id}:${p.kind}`)).toEqual(["vnpt:vnpt-smartca", "neac:neac", "csc:csc", "mysign:viettel-mysign"]);
  });

  it("the demo portal lists one valid account per dialect, each chaining to the demo root", { timeout: 60_000 }, async () => {
    for (const id of ["vnpt", "neac", "csc", "mysign"]) {
      const listed = await portal.call("certificates.list", { filter: { tokenId: `remote:${id}` } });
      const certificates = "result" in listed ? (listed.result as CertificateSummary[]) : [];
      expect(certificates, id).toHaveLength(1);
      expect(certificates[0]!.valid, id).toBe(true);
    }
  });

  it("signs with a remote account (the demo key in its own token host); curl POST /phone/reject makes the next one user_rejected", { timeout: 60_000 }, async () => {
    const listed = await portal.call("certificates.list", { filter: { tokenId: "remote:neac" } });
    const account = ("result" in listed ? (listed.result as CertificateSummary[]) : [])[0]!;
    const signed = await signRaw(account.id, "xin chào sandbox");
    const result = (signed as { result: SignResult }).result;
    const certificate = new X509Certificate(Buffer.from(result.certificate, "base64"));
    expect(createVerify("sha256").update("xin chào sandbox").verify(certificate.publicKey, Buffer.from(result.signature!, "base64"))).toBe(true);

    const url = sandbox.remote!.server.url;
    expect(await (await fetch(`${url}/phone/reject`, { method: "POST" })).json()).toMatchObject({ phone: "reject" });
    expect(errorName(await signRaw(account.id, "không ký"))).toBe("user_rejected");
    expect((await fetch(`${url}/phone/maybe`, { method: "POST" })).status).toBe(400);
    await fetch(`${url}/phone/approve`, { method: "POST" });
    expect(await (await fetch(`${url}/phone`)).json()).toMatchObject({ phone: "approve" });
  });
});

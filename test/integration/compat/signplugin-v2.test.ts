/**
 * Issue 15: SignPlugin v2 (`https://127.0.0.1:14408/process`, a base64 JSON `request=` envelope with `OperationId`,
 * answered with `ResponseCode`) on real sockets, a real core and SoftHSM: the same v1 handling behind the same
 * Host/Origin/CORS gates and KySo's approval; signatures verify independently.
 */
import { createHash, createVerify, X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { createPrng } from "../../fuzz/prng.js";
import { startBridgeHarness, type BridgeHarness } from "../bridge/bridge-harness.js";
import { httpCall, VENDOR_PORTAL, xmlsecVerifies, type PostOptions } from "./compat-clients.js";

let bridge: BridgeHarness;
let port: number;
let ca: string;

interface V2Reply {
  readonly OperationId: number | string | null;
  readonly ResponseCode: number;
  readonly ResponseMsg: string;
  readonly Data: string;
}

const envelope = (message: unknown): string => new URLSearchParams({ request: Buffer.from(JSON.stringify(message), "utf8").toString("base64") }).toString();

async function processCall(message: unknown, options: PostOptions = {}): Promise<V2Reply> {
  const answer = await httpCall(port, "/process", envelope(message), { scheme: "https", ca, ...options });
  expect(answer.status).toBe(200);
  expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  expect(answer.headers["access-control-allow-origin"]).toBe(VENDOR_PORTAL);
  return JSON.parse(answer.body) as V2Reply;
}

async function approved(message: unknown): Promise<{ reply: V2Reply; approval: SignApprovalView }> {
  const pending = processCall(message);
  const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
  await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: approval.candidates[0]!.id, pin: "1234" });
  return { reply: await pending, approval };
}

function verifies(certificate: string, data: Buffer, signature: string): boolean {
  return createVerify("sha256").update(data).verify(new X509Certificate(Buffer.from(certificate, "base64")).publicKey, Buffer.from(signature, "base64"));
}

beforeAll(async () => {
  bridge = await startBridgeHarness({ revocationCheck: "off", compatibility: { signplugin: { origins: [VENDOR_PORTAL] } } });
  port = bridge.core.bridge.compatPorts.signpluginV2!;
  ca = bridge.core.bridge.caCertificatePem!;
});
afterAll(async () => {
  await bridge?.close();
});

describe("SignPlugin v2 /process: listed origin", () => {
  it("OperationId 1 (session) and 2 (certificate) answer without an approval, OperationId echoed", async () => {
    expect(await processCall({ OperationId: 1, dllList: "C:\\evil\\x.dll" })).toMatchObject({ OperationId: 1, ResponseCode: 0, ResponseMsg: "" });
    const certificate = await processCall({ OperationId: 2 });
    expect(Object.keys(certificate).sort()).toEqual(["Data", "OperationId", "ResponseCode", "ResponseMsg"]);
    expect(certificate.ResponseCode).toBe(0);
    expect(new X509Certificate(Buffer.from(certificate.Data, "base64")).subject).toBeTruthy();
    expect((await processCall({ OperationId: "getCertSubject" })).Data).not.toBe("");
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("OperationId 3 (signHash) and 4 (Sign): approval, PKCS#1 signatures that verify", async () => {
    const certificate = (await processCall({ OperationId: 2 })).Data;
    const hash = createHash("sha256").update("hóa đơn 0002").digest("hex");
    const first = await approved({ OperationId: 3, HashVal: hash, HashOpt: 2 });
    expect(first.approval.origin).toEqual({ origin: VENDOR_PORTAL, trust: "policy" });
    expect(first.approval.display?.title).toBe("Viettel-CA SignPlugin: signHash");
    expect(first.reply).toMatchObject({ OperationId: 3, ResponseCode: 0 });
    expect(verifies(certificate, Buffer.from("hóa đơn 0002"), first.reply.Data)).toBe(true);
    const data = Buffer.from("Tờ khai 02/GTGT");
    const second = await approved({ OperationId: "4", Data: data.toString("base64") });
    expect(verifies(certificate, data, second.reply.Data)).toBe(true);
  });

  it("OperationId 5 (signXMLData) returns signed XML that xmlsec1 verifies", async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?><TKhai><NoiDung>Kỳ 02/2025</NoiDung></TKhai>';
    const { reply } = await approved({ OperationId: 5, XmlData: xml });
    expect(reply.ResponseCode).toBe(0);
    expect(reply.Data).toContain("Kỳ 02/2025");
    expect(xmlsecVerifies(reply.Data)).toBe(true);
  });

  it("ResponseCode carries v1's codes: SHA-1/MD5 6 (no approval), declined 2, unknown OperationId 8, bad envelope 5", async () => {
    expect(await processCall({ OperationId: 3, HashVal: createHash("sha1").update("x").digest("hex"), HashOpt: 0 })).toMatchObject({ ResponseCode: 6, Data: "" });
    expect((await processCall({ OperationId: 3, HashVal: createHash("md5").update("x").digest("hex"), HashOpt: "1" })).ResponseCode).toBe(6);
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
    const pending = processCall({ OperationId: 4, Data: Buffer.from("no").toString("base64") });
    const approval = await bridge.nextApproval("sign");
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect(await pending).toMatchObject({ OperationId: 4, ResponseCode: 2, Data: "" });
    expect(await processCall({ OperationId: 99 })).toMatchObject({ OperationId: 99, ResponseCode: 8 });
    expect((await processCall({ OperationId: "getLastErr" })).ResponseCode).toBe(8); // the code is in each reply
    const notBase64 = await httpCall(port, "/process", "request=%7B%7D!", { scheme: "https", ca });
    expect(JSON.parse(notBase64.body)).toMatchObject({ OperationId: null, ResponseCode: 5 });
  });

  it("fixed-seed malformed envelopes: always a JSON reply with a non-zero ResponseCode, never an approval", async () => {
    const prng = createPrng(15_003);
    for (let i = 0; i < 30; i++) {
      const junk = Buffer.from(prng.bytes(prng.range(0, 200))).toString("latin1");
      const body = prng.pick([
        `request=${encodeURIComponent(junk)}`,
        envelope(prng.pick<unknown>([junk, [1, 2], null, { OperationId: 3, HashVal: junk, HashOpt: 2 }, { OperationId: 4, Data: `${junk}!` }, { OperationId: { x: 1 } }])),
        junk,
      ]);
      const answer = await httpCall(port, "/process", body, { scheme: "https", ca });
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.body) as V2Reply).ResponseCode).toBeGreaterThan(0);
    }
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });
});

describe("SignPlugin v2 /process: everyone else gets a bare refusal", () => {
  it("unlisted Origin or other Host: 403 with no CORS header; other paths 404; preflight only for the listed origin", async () => {
    for (const origin of ["https://evil.example", "null", null]) {
      const answer = await httpCall(port, "/process", envelope({ OperationId: 2 }), { scheme: "https", ca, origin });
      expect(answer.status).toBe(403);
      expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
      expect(answer.body).toBe("");
    }
    expect((await httpCall(port, "/process", envelope({ OperationId: 2 }), { scheme: "https", ca, host: `localhost:${port}` })).status).toBe(403);
    expect((await httpCall(port, "/signHash", envelope({ OperationId: 2 }), { scheme: "https", ca })).status).toBe(404);
    const preflight = await httpCall(port, "/process", undefined, { scheme: "https", ca, method: "OPTIONS", headers: { "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(VENDOR_PORTAL);
  });
});

/**
 * Issue 15: the VGCA Sign Service adapter on real sockets, a real core and SoftHSM tokens. A listed origin's calls
 * open KySo's approval and the signatures verify independently; anything else gets a bare refusal and no approval.
 */
import { createHash, createVerify, X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { CertificateSummary } from "../../../sdk/src/protocol.js";
import { createPrng } from "../../fuzz/prng.js";
import { connect, startBridgeHarness, type BridgeHarness } from "../bridge/bridge-harness.js";
import { httpCall, VENDOR_PORTAL, vgcaCall, vgcaRefusal, xmlsecVerifies } from "./compat-clients.js";

let bridge: BridgeHarness;
let person: CertificateSummary;
let port: number;
let ca: string;

const XML = '<?xml version="1.0" encoding="UTF-8"?><HoSo><NoiDung Id="ND">Đơn đề nghị cấp phép</NoiDung></HoSo>';

function verifiesOver(reply: Record<string, unknown>, data: Buffer): boolean {
  const certificate = new X509Certificate(Buffer.from(String(reply.CertBase64), "base64"));
  return createVerify("sha256").update(data).verify(certificate.publicKey, Buffer.from(String(reply.Signature), "base64"));
}

/** Sends a call and approves its approval in the app with the person's certificate. */
async function approved(endpoint: string, message: string): Promise<{ reply: Record<string, unknown>; approval: SignApprovalView }> {
  const pending = vgcaCall(port, endpoint, message, { ca });
  const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
  await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
  return { reply: await pending, approval };
}

beforeAll(async () => {
  bridge = await startBridgeHarness({ revocationCheck: "off", compatibility: { vgca: { origins: [VENDOR_PORTAL] } } });
  port = bridge.core.bridge.compatPorts.vgca!;
  ca = bridge.core.bridge.caCertificatePem!;
  const client = await connect(bridge.wsPort);
  const listed = await client.call("certificates.list", { filter: { personalId: "001234567890" } });
  person = ("result" in listed ? (listed.result as CertificateSummary[]) : [])[0]!;
  client.close();
});
afterAll(async () => {
  await bridge?.close();
});

describe("VGCA Sign Service adapter: listed origin", () => {
  it("GET / over TLS with the local CA answers a small 'KySo is running' page", async () => {
    const page = await httpCall(port, "/", undefined, { scheme: "https", method: "GET", origin: null, ca });
    expect(page.status).toBe(200);
    expect(page.body).toContain("KySo is running");
    expect(page.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("GetVersion and GetCertInfo answer in the documented shape without an approval", async () => {
    const version = await vgcaCall(port, "GetVersion", "", { ca });
    expect(version).toMatchObject({ Status: 0, Message: "" });
    expect(String(version.Version)).toMatch(/^KySo /);
    const info = await vgcaCall(port, "GetCertInfo", "get_cert_info", { ca });
    expect(Object.keys(info).sort()).toEqual(["CertBase64", "Message", "Status"]);
    expect(info.Status).toBe(0);
    expect(new X509Certificate(Buffer.from(String(info.CertBase64), "base64")).subject).toBeTruthy();
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("SignMsg with base64 data: KySo's approval (origin, adapter named), PKCS#1 signature verifies over the data", async () => {
    const data = Buffer.from("Hồ sơ số 123", "utf8");
    const { reply, approval } = await approved("SignMsg", data.toString("base64"));
    expect(approval.origin).toEqual({ origin: VENDOR_PORTAL, trust: "policy" });
    expect(approval.display?.title).toBe("VGCA Sign Service: SignMsg");
    expect(Object.keys(reply).sort()).toEqual(["CertBase64", "Message", "Signature", "Status"]);
    expect(reply.Status).toBe(0);
    expect(reply.CertBase64).toBe(person.certificate);
    expect(verifiesOver(reply, data)).toBe(true);
  });

  it("SignMsg with {HashAlg, HashValue, Encode} and SignHash with a bare hash sign the digest", async () => {
    const hash = createHash("sha256").update("tờ khai").digest("base64");
    const first = await approved("SignMsg", JSON.stringify({ HashAlg: "SHA256", HashValue: hash, Encode: "RSA" }));
    expect(first.approval.items[0]?.description).toMatchObject({ kind: "hash", hashAlgorithm: "SHA-256" });
    expect(verifiesOver(first.reply, Buffer.from("tờ khai"))).toBe(true);
    const second = await approved("SignHash", hash);
    expect(verifiesOver(second.reply, Buffer.from("tờ khai"))).toBe(true);
  });

  it("SignJson signs the JSON text as sent", async () => {
    const text = JSON.stringify({ MaHoSo: "000.00.01.H12-240101-0001", NgayNop: "2024-01-01" });
    const { reply } = await approved("SignJson", text);
    expect(verifiesOver(reply, Buffer.from(text, "utf8"))).toBe(true);
  });

  it("SignXML returns the signed XML (xmlsec1 verifies) or only the Signature element", async () => {
    const base = { Base64Content: Buffer.from(XML).toString("base64"), HashAlg: "Sha256", XmlDsigForm: "true" };
    const whole = await approved("SignXML", JSON.stringify({ ...base, ReturnSignatureOnly: "false" }));
    expect(whole.reply.Status).toBe(0);
    const signed = Buffer.from(String(whole.reply.Signature), "base64").toString("utf8");
    expect(signed).toContain("Đơn đề nghị cấp phép");
    expect(xmlsecVerifies(signed)).toBe(true);
    expect(xmlsecVerifies(signed.replace("cấp phép", "cấp phep"))).toBe(false); // the verifier is not a rubber stamp
    const only = await approved("SignXML", JSON.stringify({ ...base, ReturnSignatureOnly: "true" }));
    const element = Buffer.from(String(only.reply.Signature), "base64").toString("utf8");
    expect(element).toMatch(/^<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"/);
    expect(element).toMatch(/<\/Signature>$/);
    expect(element).not.toContain("HoSo");
  });

  it("errors come back as {Status, Message}: declined (1), SHA-1 (3, no approval), flows not emulated (5)", async () => {
    const pending = vgcaCall(port, "SignMsg", Buffer.from("x").toString("base64"), { ca });
    const approval = await bridge.nextApproval("sign");
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    const declined = await pending;
    expect(declined.Status).toBe(1);
    expect(Object.keys(declined).sort()).toEqual(["Message", "Status"]);
    const sha1 = await vgcaCall(port, "SignMsg", JSON.stringify({ HashAlg: "SHA1", HashValue: createHash("sha1").update("x").digest("base64") }), { ca });
    expect(sha1.Status).toBe(3);
    // Every file flow is emulated now: a message without its FileUploadHandler is invalid input, refused before anything.
    const income = await vgcaCall(port, "SignIncome", JSON.stringify({ FileName: "https://egov.example.gov.vn/a.pdf" }), { ca });
    expect(income.Status).toBe(3);
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("a page that closes its socket withdraws its approval", async () => {
    const { WebSocket } = await import("ws");
    const socket = new WebSocket(`wss://127.0.0.1:${port}/SignMsg`, { origin: VENDOR_PORTAL, ca });
    await new Promise((resolve) => socket.once("open", resolve));
    socket.send(Buffer.from("bye").toString("base64"));
    await bridge.nextApproval("sign");
    socket.close();
    await expect.poll(async () => (await bridge.core.handlers["approvals.list"]()).length).toBe(0);
  });

  it("fixed-seed malformed messages get a non-zero Status, open no approval and leave the adapter working", async () => {
    const prng = createPrng(15_001);
    const endpoints = ["SignMsg", "SignHash", "SignXML", "SignJson"];
    for (let i = 0; i < 24; i++) {
      const bytes = Buffer.from(prng.bytes(prng.range(0, 300)));
      const variants = [bytes.toString("latin1"), `{"HashValue":${JSON.stringify(bytes.toString("latin1"))}}`, `{"Base64Content":"${bytes.toString("hex")}!"}`, "{".repeat(prng.range(1, 2000))];
      const endpoint = prng.pick(endpoints);
      // SignJson signs any JSON text (a real request): only its non-JSON variants are malformed.
      const message = endpoint === "SignJson" ? prng.pick([variants[0]!, variants[3]!]) : prng.pick(variants);
      const reply = await vgcaCall(port, endpoint, message, { ca });
      expect(typeof reply.Status).toBe("number");
      expect(reply.Status).not.toBe(0);
      expect(typeof reply.Message).toBe("string");
    }
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
    expect((await vgcaCall(port, "GetVersion", "", { ca })).Status).toBe(0);
  });
});

describe("VGCA Sign Service adapter: everyone else gets a bare refusal", () => {
  it("unlisted, look-alike, missing or null Origin: 403 at the upgrade, no approval", async () => {
    for (const origin of ["https://evil.example", "https://egov.example.gov.vn.evil.example", "http://egov.example.gov.vn", "https://EGOV.example.gov.vn", "null", null]) {
      expect(await vgcaRefusal(port, "SignMsg", { origin, ca })).toBe(403);
    }
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("a Host other than 127.0.0.1:<port> (rebinding name, localhost, other port): 403", async () => {
    for (const host of ["evil.example:" + port, `localhost:${port}`, "127.0.0.1:1"]) expect(await vgcaRefusal(port, "SignMsg", { host, ca })).toBe(403);
  });

  it("unknown endpoint: 404; the KySo protocol is not spoken here", async () => {
    expect(await vgcaRefusal(port, "sign", { ca })).toBe(404);
    expect(await vgcaRefusal(port, "", { ca })).toBe(404);
  });

  it("diagnostics list the adapter as listening; the SignPlugin adapter is off", async () => {
    const diagnostics = await bridge.core.handlers["diagnostics.get"]();
    expect(diagnostics.bridge.compat).toEqual([
      { adapter: "vgca", scheme: "wss", port, state: "listening" },
      { adapter: "signplugin", scheme: "http", port: 0, state: "off" },
      { adapter: "signplugin", scheme: "https", port: 0, state: "off" },
      { adapter: "signplugin", scheme: "https", port: 0, state: "off" },
    ]);
  });
});

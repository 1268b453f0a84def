/**
 * Issue 15: the Viettel-CA SignPlugin adapter on real sockets, a real core and SoftHSM tokens: form POSTs from a
 * listed origin reach KySo's approval and verify; CORS, Host and Origin gates refuse everything else bare.
 */
import { createHash, createVerify, X509Certificate } from "node:crypto";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { probeVendorServices } from "../../../main/core/compat/vendor-conflicts.js";
import { createPrng } from "../../fuzz/prng.js";
import { startBridgeHarness, type BridgeHarness } from "../bridge/bridge-harness.js";
import { httpCall, VENDOR_PORTAL, xmlsecVerifies, type PostOptions } from "./compat-clients.js";

let bridge: BridgeHarness;
let httpPort: number;
let httpsPort: number;
let ca: string;

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const post = (fn: string, fields: Record<string, string> = {}, options: PostOptions = {}) => httpCall(httpPort, `/${fn}`, form(fields), options);
const lastErr = async (): Promise<string> => (await post("getLastErr")).body;

async function approved(fn: string, fields: Record<string, string>): Promise<{ body: string; approval: SignApprovalView }> {
  const pending = post(fn, fields);
  const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
  await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: approval.candidates[0]!.id, pin: "1234" });
  const answer = await pending;
  expect(answer.status).toBe(200);
  return { body: answer.body, approval };
}

function verifies(certificate: string, data: Buffer, signature: string): boolean {
  return createVerify("sha256").update(data).verify(new X509Certificate(Buffer.from(certificate, "base64")).publicKey, Buffer.from(signature, "base64"));
}

beforeAll(async () => {
  bridge = await startBridgeHarness({ revocationCheck: "off", compatibility: { signplugin: { origins: [VENDOR_PORTAL, "http://portal.example.vn"] } } });
  httpPort = bridge.core.bridge.compatPorts.signpluginHttp!;
  httpsPort = bridge.core.bridge.compatPorts.signpluginHttps!;
  ca = bridge.core.bridge.caCertificatePem!;
});
afterAll(async () => {
  await bridge?.close();
});

describe("SignPlugin adapter: listed origin", () => {
  it("preflight answers the listed origin exactly (with Private Network Access), nothing more", async () => {
    const preflight = await httpCall(httpPort, "/signHash", undefined, {
      method: "OPTIONS",
      headers: { "access-control-request-method": "POST", "access-control-request-private-network": "true" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe(VENDOR_PORTAL);
    expect(preflight.headers["access-control-allow-private-network"]).toBe("true");
    expect(preflight.headers.vary).toBe("Origin");
  });

  it("getSession ignores the page's DLL list; getCertificate and the field getters describe one certificate", async () => {
    const session = await post("getSession", { dllList: "C:\\evil\\x.dll;viettel-ca_v5.dll" });
    expect(session.status).toBe(200);
    expect(session.headers["access-control-allow-origin"]).toBe(VENDOR_PORTAL);
    expect(session.body).toMatch(/^[0-9a-f]{24}$/);
    expect(await lastErr()).toBe("0");
    const certificate = (await post("getCertificate")).body;
    const parsed = new X509Certificate(Buffer.from(certificate, "base64"));
    const serial = (await post("getCertSerial")).body;
    expect(serial.replace(/^0+/, "")).toBe(parsed.serialNumber.toLowerCase().replace(/^0+/, ""));
    expect((await post("getCertSubject")).body).not.toBe("");
    expect(new Date((await post("getCertValidTo")).body).getTime()).toBe(new Date(parsed.validTo).getTime());
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("signHash (HashOpt 2, hex SHA-256): approval, then a base64 PKCS#1 signature from the certificate getCertificate gave", async () => {
    const certificate = (await post("getCertificate")).body;
    const hash = createHash("sha256").update("hóa đơn 0001").digest("hex");
    const { body, approval } = await approved("signHash", { HashVal: hash, HashOpt: "2" });
    expect(approval.origin).toEqual({ origin: VENDOR_PORTAL, trust: "policy" });
    expect(approval.display?.title).toBe("Viettel-CA SignPlugin: signHash");
    expect(approval.candidates.map((c) => c.certificate)).toEqual([certificate]);
    expect(verifies(certificate, Buffer.from("hóa đơn 0001"), body)).toBe(true);
    expect(await lastErr()).toBe("0");
  });

  it("signHash with HashOpt 0 (SHA-1) or 1 (MD5): empty answer, getLastErr 6, no approval", async () => {
    for (const [option, hash] of [["0", createHash("sha1").update("x").digest("hex")], ["1", createHash("md5").update("x").digest("hex")]] as const) {
      const answer = await post("signHash", { HashVal: hash, HashOpt: option });
      expect(answer.body).toBe("");
      expect(await lastErr()).toBe("6");
    }
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("Sign signs base64 data; signXMLData returns signed XML that xmlsec1 verifies", async () => {
    const certificate = (await post("getCertificate")).body;
    const data = Buffer.from("Tờ khai 01/GTGT");
    const signed = await approved("Sign", { Data: data.toString("base64") });
    expect(verifies(certificate, data, signed.body)).toBe(true);
    const xml = '<?xml version="1.0" encoding="UTF-8"?><TKhai><NoiDung>Kỳ 01/2025</NoiDung></TKhai>';
    const xmlAnswer = await approved("signXMLData", { XmlData: xml });
    expect(xmlAnswer.body).toContain("Kỳ 01/2025");
    expect(xmlsecVerifies(xmlAnswer.body)).toBe(true);
  });

  it("declined in KySo: empty answer and getLastErr 2; the https listener answers the same way", async () => {
    const pending = post("Sign", { Data: Buffer.from("no").toString("base64") });
    const approval = await bridge.nextApproval("sign");
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect((await pending).body).toBe("");
    expect(await lastErr()).toBe("2");
    const overTls = await httpCall(httpsPort, "/getLastErr", "", { scheme: "https", ca });
    expect(overTls.status).toBe(200);
    expect(overTls.body).toBe("2");
  });

  it("fixed-seed malformed forms: never a 5xx, never an approval, getLastErr says why", async () => {
    const prng = createPrng(15_002);
    const fns = ["signHash", "Sign", "signXMLData"];
    for (let i = 0; i < 30; i++) {
      const junk = Buffer.from(prng.bytes(prng.range(0, 200))).toString("latin1");
      const fields = prng.pick<Record<string, string>>([{ HashVal: junk, HashOpt: prng.pick(["2", "3", "-1", junk]) }, { Data: junk + "!" }, { XmlData: "" }, { [junk]: junk }]);
      const answer = await httpCall(httpPort, `/${prng.pick(fns)}`, prng.chance(0.2) ? junk : form(fields));
      expect(answer.status).toBe(200);
      expect(answer.body).toBe("");
      expect(Number(await lastErr())).toBeGreaterThan(0);
    }
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });
});

describe("SignPlugin adapter: everyone else gets a bare refusal", () => {
  it("unlisted, look-alike or missing Origin: 403 without any CORS header, for requests and preflights; no approval", async () => {
    for (const origin of ["https://evil.example", "https://egov.example.gov.vn:8443", "https://egov.example.gov.vn/", "null", null]) {
      for (const method of ["POST", "OPTIONS"]) {
        const answer = await httpCall(httpPort, "/signHash", form({ HashVal: "00".repeat(32), HashOpt: "2" }), { origin, method });
        expect(answer.status).toBe(403);
        expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
        expect(answer.body).toBe("");
      }
    }
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("Host other than 127.0.0.1:<port>: 403", async () => {
    for (const host of [`evil.example:${httpPort}`, `localhost:${httpPort}`, "127.0.0.1"]) {
      const answer = await post("getSession", {}, { host });
      expect(answer.status).toBe(403);
      expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    }
  });

  it("GET, unknown functions, JSON bodies and oversized bodies are refused", async () => {
    expect((await httpCall(httpPort, "/getSession", undefined, { method: "GET" })).status).toBe(405);
    expect((await post("sign")).status).toBe(404);
    expect((await httpCall(httpPort, "/Sign", "{}", { headers: { "content-type": "application/json" } })).status).toBe(415);
    const big = await httpCall(httpPort, "/Sign", "a".repeat(64 * 1024 * 1024 + 1)).catch(() => ({ status: 413 }));
    expect(big.status).toBe(413);
  });
});

describe("SignPlugin adapter: off and port conflicts", () => {
  let holder: Server;
  let held: number;
  let other: BridgeHarness | undefined;
  beforeAll(async () => {
    holder = createServer((socket) => {
      socket.on("error", () => undefined); // the probe hangs up at once
      socket.end("genuine vendor service\n");
    });
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    held = (holder.address() as { port: number }).port;
  });
  afterAll(async () => {
    await other?.close();
    await new Promise((resolve) => holder.close(resolve));
  });

  it("a held port is left alone: diagnostics say port-in-use, the other listener still runs", async () => {
    other = await startBridgeHarness({ compatibility: { signplugin: { origins: [VENDOR_PORTAL] } } }, { compatPorts: { signpluginHttp: held } });
    const views = (await other.core.handlers["diagnostics.get"]()).bridge.compat;
    expect(views?.find((v) => v.scheme === "http")).toEqual({ adapter: "signplugin", scheme: "http", port: held, state: "port-in-use" });
    expect(views?.find((v) => v.scheme === "https")?.state).toBe("listening");
    expect(views?.find((v) => v.adapter === "vgca")?.state).toBe("off");
    expect(other.core.bridge.compatPorts).toEqual({ signpluginHttps: expect.any(Number) as number, signpluginV2: expect.any(Number) as number });
  });

  it("vendor conflicts: other services on known ports are listed with what KySo does; KySo's own ports are not", async () => {
    const own = (await other!.core.handlers["diagnostics.get"]()).bridge.compat!;
    const ownHttps = own.find((v) => v.scheme === "https")!.port;
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const found = await probeVendorServices(own, [
      { vendor: "viettel-ca", port: held, adapter: "signplugin" },
      { vendor: "vgca", port: held, adapter: "vgca" },
      { vendor: "bkav-ca", port: held },
      { vendor: "viettel-ca", port: ownHttps, adapter: "signplugin" },
      { vendor: "vnpt-ca", port: closedPort },
    ]);
    expect(found).toEqual([
      { vendor: "viettel-ca", port: held, kyso: "yields-port" },
      { vendor: "vgca", port: held, kyso: "adapter-off" },
      { vendor: "bkav-ca", port: held, kyso: "not-emulated" },
    ]);
    expect(Array.isArray((await other!.core.handlers["diagnostics.get"]()).vendorServices)).toBe(true);
  });

  it("with no origin listed, no adapter listens at all", async () => {
    const off = await startBridgeHarness();
    try {
      expect(off.core.bridge.compatPorts).toEqual({});
      expect((await off.core.handlers["diagnostics.get"]()).bridge.compat?.map((v) => v.state)).toEqual(["off", "off", "off", "off"]);
    } finally {
      await off.close();
    }
  });
});

/**
 * Issue 15: VGCA's server-mediated file flows (`SignPDF`, `SignApproved`, `SignIssued`) against a local portal server
 * on 127.0.0.1 that counts every request. KySo downloads `FileName`, shows it in its approval (approved here through
 * core.handlers), signs PAdES and uploads the signed file as multipart field `uploadfile`, relaying the handler's
 * JSON. Cross-origin, redirecting and rebinding URLs are refused before any request reaches anything.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { HostResolver } from "../../../main/core/compat/vgca/vgca-file-flow.js";
import type { CertificateSummary } from "../../../sdk/src/protocol.js";
import { pdfsigVerify } from "../../verifiers/cli-verifiers.js";
import { connect, startBridgeHarness, type BridgeHarness } from "../bridge/bridge-harness.js";
import { makeSamplePdf } from "../signing/pdf-samples.js";
import { vgcaCall } from "./compat-clients.js";

interface Portal {
  readonly server: Server;
  readonly port: number;
  readonly requests: string[];
  readonly uploads: { field: string; fileName: string; bytes: Buffer; authorization?: string; sessionId?: string }[];
}

let pdf: Buffer;
let portal: Portal;
/** Where a redirect points: another server that must never be reached. */
let elsewhere: Portal;
let bridge: BridgeHarness;
let person: CertificateSummary;
let vgcaPort: number;
let ca: string;
let resolutions: string[];
/** The injected resolver's answer per name: a rebinding DNS answers a loopback address for a public name. */
const dns = new Map<string, string>();

const resolver: HostResolver = async (hostname) => {
  resolutions.push(hostname);
  const address = dns.get(hostname);
  if (!address) throw new Error(`no answer for ${hostname}`);
  return { address, family: 4 };
};

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

/** The multipart parts of a body, by field name (enough for what KySo sends). */
function multipart(body: Buffer, contentType: string): Map<string, { fileName?: string; bytes: Buffer }> {
  const boundary = /boundary=(.+)$/.exec(contentType)![1]!;
  const parts = new Map<string, { fileName?: string; bytes: Buffer }>();
  const text = body.toString("latin1");
  for (const chunk of text.split(`--${boundary}`).slice(1, -1)) {
    const split = chunk.indexOf("\r\n\r\n");
    const head = chunk.slice(0, split);
    const name = /name="([^"]+)"/.exec(head)![1]!;
    // The header carries the name as UTF-8 bytes (as browsers send it).
    const raw = /filename="([^"]*)"/.exec(head)?.[1];
    const fileName = raw === undefined ? undefined : Buffer.from(raw, "latin1").toString("utf8");
    parts.set(name, { ...(fileName !== undefined ? { fileName } : {}), bytes: Buffer.from(chunk.slice(split + 4, -2), "latin1") });
  }
  return parts;
}

async function startPortal(redirectTo?: () => string): Promise<Portal> {
  const requests: string[] = [];
  const uploads: Portal["uploads"] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.method === "GET" && (request.url === "/vb/to-trinh.pdf" || request.url === "/vb/phu-luc.pdf")) {
      response.writeHead(200, { "content-type": "application/pdf" }).end(pdf);
    } else if (request.method === "GET" && request.url === "/vb/huge.pdf") {
      // Declares more than a KySo message could carry (64 MiB × 3/4), then waits: KySo must hang up unread.
      response.writeHead(200, { "content-type": "application/pdf", "content-length": String(48 * 1024 * 1024 + 1) });
      response.write(pdf.subarray(0, 16));
    } else if (request.method === "GET" && request.url === "/vb/moved.pdf" && redirectTo) {
      response.writeHead(302, { location: redirectTo() }).end();
    } else if (request.method === "POST" && request.url === "/upload") {
      void readBody(request).then((body) => {
        const parts = multipart(body, String(request.headers["content-type"]));
        const file = parts.get("uploadfile");
        uploads.push({
          field: file ? "uploadfile" : [...parts.keys()].join(","),
          fileName: file?.fileName ?? "",
          bytes: file?.bytes ?? Buffer.alloc(0),
          ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
          ...(parts.get("SessionId") ? { sessionId: parts.get("SessionId")!.bytes.toString("utf8") } : {}),
        });
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Status: 0, Message: "", FileName: "to-trinh.signed.pdf", FileServer: "/vb/" }));
      });
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, requests, uploads };
}

const pageOrigin = (): string => `http://127.0.0.1:${portal.port}`;

function flow(fields: Record<string, string>, origin = pageOrigin()): Record<string, string> {
  return { FileUploadHandler: `${origin}/upload`, FileName: `${origin}/vb/to-trinh.pdf`, SessionId: "phien-42", JWTToken: "jwt.abc.def", ...fields };
}

async function approveNext(): Promise<SignApprovalView> {
  const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
  await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
  return approval;
}

async function verifiesAsPdf(bytes: Buffer): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), "kyso-vgca-pdf-"));
  try {
    await writeFile(join(dir, "signed.pdf"), bytes);
    const result = await pdfsigVerify(join(dir, "signed.pdf"));
    return result.signatures.length === 1 && result.signatures.every((s) => s.valid);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  pdf = Buffer.from(await makeSamplePdf(2));
  elsewhere = await startPortal();
  portal = await startPortal(() => `http://127.0.0.1:${elsewhere.port}/vb/to-trinh.pdf`);
  bridge = await startBridgeHarness(
    {
      revocationCheck: "off",
      compatibility: { vgca: { origins: [pageOrigin(), `http://localhost:${portal.port}`, `http://cong.example.gov.vn:${portal.port}`] } },
    },
    { compatHooks: { resolveHost: resolver } },
  );
  vgcaPort = bridge.core.bridge.compatPorts.vgca!;
  ca = bridge.core.bridge.caCertificatePem!;
  const client = await connect(bridge.wsPort);
  const listed = await client.call("certificates.list", { filter: { personalId: "001234567890" } });
  person = ("result" in listed ? (listed.result as CertificateSummary[]) : [])[0]!;
  client.close();
}, 60_000);
afterAll(async () => {
  await bridge?.close();
  for (const p of [portal, elsewhere]) if (p) await new Promise((resolve) => p.server.close(resolve));
});
beforeEach(() => {
  for (const p of [portal, elsewhere]) {
    p.requests.length = 0;
    p.uploads.length = 0;
  }
  resolutions = [];
  dns.clear();
});

describe("VGCA file flows: download, approval, upload", () => {
  it("SignPDF: the downloaded PDF is shown in the approval (pades), the signed file goes up as `uploadfile`, the handler's JSON comes back", async () => {
    const pending = vgcaCall(vgcaPort, "SignPDF", JSON.stringify(flow({})), { origin: pageOrigin(), ca });
    const approval = await approveNext();
    expect(approval.origin).toEqual({ origin: pageOrigin(), trust: "policy" });
    expect(approval.display?.title).toBe("VGCA Sign Service: SignPDF");
    expect(approval.items[0]?.format).toBe("pades");
    expect(approval.items[0]?.display?.fileName ?? approval.display?.fileName).toBe("to-trinh.pdf");
    expect(approval.items[0]?.description.kind).toBe("pdf");
    expect(approval.items[0]?.signature?.stamp).toBeDefined();
    const reply = await pending;
    expect(reply).toEqual({ Status: 0, Message: "", FileName: "to-trinh.signed.pdf", FileServer: "/vb/" });
    expect(portal.requests).toEqual(["GET /vb/to-trinh.pdf", "POST /upload"]);
    const [upload] = portal.uploads;
    expect(upload).toMatchObject({ field: "uploadfile", fileName: "to-trinh.pdf", authorization: "Bearer jwt.abc.def", sessionId: "phien-42" });
    expect(upload!.bytes.subarray(0, pdf.length).equals(pdf)).toBe(true); // an incremental update of the downloaded file
    expect(await verifiesAsPdf(upload!.bytes)).toBe(true);
  });

  it("SignIssued puts the document number and date in the visible stamp (page 1), through one pinned resolution", async () => {
    const origin = `http://localhost:${portal.port}`;
    dns.set("localhost", "127.0.0.1");
    const pending = vgcaCall(vgcaPort, "SignIssued", JSON.stringify(flow({ DocNumber: "123/QĐ-UBND", IssuedDate: "01/12/2026" }, origin)), { origin, ca });
    const approval = await approveNext();
    expect(approval.items[0]?.signature).toMatchObject({ format: "pades", reason: "Số: 123/QĐ-UBND, ngày 01/12/2026", stamp: { page: 1 } });
    expect((await pending).Status).toBe(0);
    expect(resolutions).toEqual(["localhost"]); // download and upload both went to the one checked address
    expect(await verifiesAsPdf(portal.uploads[0]!.bytes)).toBe(true);
  });

  it("SignApproved has the same shape; SignIssued without number and date is refused before any request", async () => {
    const pending = vgcaCall(vgcaPort, "SignApproved", JSON.stringify(flow({})), { origin: pageOrigin(), ca });
    await approveNext();
    expect((await pending).Status).toBe(0);
    portal.requests.length = 0;
    const missing = await vgcaCall(vgcaPort, "SignIssued", JSON.stringify(flow({})), { origin: pageOrigin(), ca });
    expect(missing.Status).toBe(3);
    expect(portal.requests).toEqual([]);
  });

  it("declined in KySo: Status 1 and nothing is uploaded", async () => {
    const pending = vgcaCall(vgcaPort, "SignPDF", JSON.stringify(flow({})), { origin: pageOrigin(), ca });
    const approval = await bridge.nextApproval("sign");
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect((await pending).Status).toBe(1);
    expect(portal.requests).toEqual(["GET /vb/to-trinh.pdf"]);
  });
});

describe("VGCA file flows: refused without any request being made", () => {
  it("cross-origin FileName or FileUploadHandler (other port, other scheme, other host, userinfo): Status 6, no request, no approval", async () => {
    const other = `http://127.0.0.1:${elsewhere.port}`;
    const cases: Record<string, string>[] = [
      { FileName: `${other}/vb/to-trinh.pdf` },
      { FileUploadHandler: `${other}/upload` },
      { FileName: `https://127.0.0.1:${portal.port}/vb/to-trinh.pdf` },
      { FileUploadHandler: `http://cong.example.gov.vn:${portal.port}/upload` },
      { FileName: `http://user:pw@127.0.0.1:${portal.port}/vb/to-trinh.pdf` },
      { FileName: `file:///etc/passwd` },
    ];
    for (const fields of cases) {
      const reply = await vgcaCall(vgcaPort, "SignPDF", JSON.stringify(flow(fields)), { origin: pageOrigin(), ca });
      expect(reply.Status, JSON.stringify(fields)).toBe(6);
      expect(String(reply.Message)).toMatch(/not on the page's origin|must be http|credentials/);
    }
    expect(portal.requests).toEqual([]);
    expect(elsewhere.requests).toEqual([]);
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("DNS rebinding: a public page name that resolves to a loopback address is refused; nothing is reached", async () => {
    const origin = `http://cong.example.gov.vn:${portal.port}`;
    dns.set("cong.example.gov.vn", "127.0.0.1"); // where the portal server really listens
    const reply = await vgcaCall(vgcaPort, "SignPDF", JSON.stringify(flow({}, origin)), { origin, ca });
    expect(reply).toEqual({ Status: 6, Message: "cong.example.gov.vn resolves to a local or private address" });
    expect(resolutions).toEqual(["cong.example.gov.vn"]);
    // `localhost` that resolves to a public address is a rebinding too.
    dns.set("localhost", "203.0.113.7");
    const local = `http://localhost:${portal.port}`;
    expect((await vgcaCall(vgcaPort, "SignPDF", JSON.stringify(flow({}, local)), { origin: local, ca })).Status).toBe(6);
    expect(portal.requests).toEqual([]);
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("a redirecting FileName is not followed: Status 6, the target is never requested, no approval, no upload", async () => {
    const reply = await vgcaCall(vgcaPort, "SignPDF", JSON.stringify(flow({ FileName: `${pageOrigin()}/vb/moved.pdf` })), { origin: pageOrigin(), ca });
    expect(reply).toEqual({ Status: 6, Message: "the portal answered a redirect (302); KySo follows none" });
    expect(portal.requests).toEqual(["GET /vb/moved.pdf"]); // only the refused hop itself
    expect(elsewhere.requests).toEqual([]);
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("a file larger than the main protocol's limit is refused on its declared length: Status 3, no approval, no upload", async () => {
    const reply = await vgcaCall(vgcaPort, "SignPDF", JSON.stringify(flow({ FileName: `${pageOrigin()}/vb/huge.pdf` })), { origin: pageOrigin(), ca });
    expect(reply).toEqual({ Status: 3, Message: `the file is larger than ${48 * 1024 * 1024} bytes` });
    expect(portal.requests).toEqual(["GET /vb/huge.pdf"]);
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("every file endpoint goes through the same gate: cross-origin, redirect and rebinding refused with no request and no approval", async () => {
    const other = `http://127.0.0.1:${elsewhere.port}`;
    for (const endpoint of FILE_ENDPOINTS) {
      const extra = ENDPOINT_FIELDS[endpoint] ?? {};
      const cases: [Record<string, unknown>, string][] = [
        [{ ...extra, FileName: `${other}/vb/to-trinh.pdf` }, pageOrigin()],
        [{ ...extra, FileUploadHandler: `${other}/upload` }, pageOrigin()],
        [{ ...extra, FileName: "" , FileUploadHandler: `${other}/upload` }, pageOrigin()], // the picker too: upload checked first
        [{ ...extra, FileName: `${pageOrigin()}/vb/moved.pdf` }, pageOrigin()],
      ];
      for (const [fields, origin] of cases) {
        const reply = await vgcaCall(vgcaPort, endpoint, JSON.stringify({ ...flow({}, origin), ...fields }), { origin, ca });
        expect(reply.Status, `${endpoint} ${JSON.stringify(fields)}`).toBe(6);
      }
      dns.set("cong.example.gov.vn", "127.0.0.1");
      const rebound = `http://cong.example.gov.vn:${portal.port}`;
      expect((await vgcaCall(vgcaPort, endpoint, JSON.stringify({ ...flow({}, rebound), ...extra }), { origin: rebound, ca })).Status, endpoint).toBe(6);
    }
    expect(portal.requests.filter((r) => r !== "GET /vb/moved.pdf")).toEqual([]);
    expect(elsewhere.requests).toEqual([]);
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });
});

/** Every endpoint that downloads, signs and uploads, with the fields its stamp needs. */
const FILE_ENDPOINTS = ["SignPDF", "SignApproved", "SignIssued", "SignIncome", "SignAppendix", "SignCopy", "SignFiles", "Comment"] as const;
const ENDPOINT_FIELDS: Partial<Record<(typeof FILE_ENDPOINTS)[number], Record<string, unknown>>> = {
  SignIssued: { DocNumber: "123/QĐ-UBND", IssuedDate: "01/12/2026" },
  SignAppendix: { DocNumber: "123/QĐ-UBND" },
  SignCopy: { MetaData: [{ Key: "Organisation", Value: "UBND phường Bến Nghé" }, { Key: "CopyKind", Value: "sao-y" }] },
  SignIncome: { DocNumber: "4567" },
  Comment: { MetaData: [{ Key: "Comment", Value: "Đồng ý trình ký" }] },
};

describe("VGCA file flows: the new endpoints, each with its Decree 30 stamp", () => {
  const presets: [endpoint: "SignAppendix" | "SignCopy" | "SignIncome", preset: string][] = [
    ["SignAppendix", "appendix"],
    ["SignCopy", "copy"],
    ["SignIncome", "income"],
  ];
  for (const [endpoint, preset] of presets) {
    it(`${endpoint}: download, approval with the ${preset} preset on page 1, upload as uploadfile, relayed JSON; pdfsig verifies`, async () => {
      const pending = vgcaCall(vgcaPort, endpoint, JSON.stringify({ ...flow({}), ...ENDPOINT_FIELDS[endpoint] }), { origin: pageOrigin(), ca });
      const approval = await approveNext();
      expect(approval.display?.title).toBe(`VGCA Sign Service: ${endpoint}`);
      expect(approval.items[0]?.signature).toMatchObject({ format: "pades", preset: { name: preset, placedBy: "fixed" }, stamp: { page: 1 } });
      expect(await pending).toEqual({ Status: 0, Message: "", FileName: "to-trinh.signed.pdf", FileServer: "/vb/" });
      expect(portal.requests).toEqual(["GET /vb/to-trinh.pdf", "POST /upload"]);
      expect(portal.uploads[0]).toMatchObject({ field: "uploadfile", fileName: "to-trinh.pdf", sessionId: "phien-42" });
      expect(await verifiesAsPdf(portal.uploads[0]!.bytes)).toBe(true);
    });
  }

  it("Comment: the comment is the signature's reason, on KySo's visible stamp", async () => {
    const pending = vgcaCall(vgcaPort, "Comment", JSON.stringify({ ...flow({}), ...ENDPOINT_FIELDS.Comment }), { origin: pageOrigin(), ca });
    const approval = await approveNext();
    expect(approval.items[0]?.signature).toMatchObject({ reason: "Đồng ý trình ký", stamp: {} });
    expect((await pending).Status).toBe(0);
    expect(await verifiesAsPdf(portal.uploads[0]!.bytes)).toBe(true);
  });

  it("SignFiles: every file in one batch approval, each uploaded on its own, the replies relayed in Files", async () => {
    const files = [`${pageOrigin()}/vb/to-trinh.pdf`, `${pageOrigin()}/vb/phu-luc.pdf`];
    const pending = vgcaCall(vgcaPort, "SignFiles", JSON.stringify(flow({ FileName: files as unknown as string })), { origin: pageOrigin(), ca });
    const approval = await approveNext();
    expect(approval.batch).toBe(true);
    expect(approval.items.map((i) => i.display?.fileName)).toEqual(["to-trinh.pdf", "phu-luc.pdf"]);
    const reply = await pending;
    expect(reply).toMatchObject({ Status: 0, Message: "", Files: [{ Status: 0, FileName: "to-trinh.signed.pdf" }, { Status: 0 }] });
    expect(portal.requests).toEqual(["GET /vb/to-trinh.pdf", "GET /vb/phu-luc.pdf", "POST /upload", "POST /upload"]);
    expect(portal.uploads.map((u) => u.fileName)).toEqual(["to-trinh.pdf", "phu-luc.pdf"]);
    for (const upload of portal.uploads) expect(await verifiesAsPdf(upload.bytes)).toBe(true);
  });

  it("SignFiles declined: Status 1, nothing uploaded", async () => {
    const pending = vgcaCall(vgcaPort, "SignFiles", JSON.stringify(flow({})), { origin: pageOrigin(), ca });
    const approval = await bridge.nextApproval("sign");
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect((await pending).Status).toBe(1);
    expect(portal.requests).toEqual(["GET /vb/to-trinh.pdf"]);
  });
});

describe("VGCA file flows: an empty FileName asks the user for the file in KySo", () => {
  it("a file approval opens (needs-file, no request to the portal); the chosen file is read, approved, signed and uploaded", async () => {
    const pending = vgcaCall(vgcaPort, "SignPDF", JSON.stringify(flow({ FileName: "" })), { origin: pageOrigin(), ca });
    const asking = await bridge.nextApproval("file");
    expect(asking).toMatchObject({ kind: "file", state: { kind: "needs-file" }, display: { title: "VGCA Sign Service: SignPDF" }, origin: { origin: pageOrigin() } });
    expect(portal.requests).toEqual([]);
    // Approve is not a way around the file: the approval is answered with a file only.
    await expect(bridge.core.handlers["approvals.approve"]({ approvalId: asking.id, certificateId: person.id, pin: "1234" })).rejects.toMatchObject({ code: "invalid_params" });
    await bridge.core.handlers["approvals.provideFile"]({ approvalId: asking.id, fileName: "Tờ trình.pdf", base64: pdf.toString("base64") });
    const approval = await approveNext();
    expect(approval.items[0]?.description.kind).toBe("pdf");
    expect(approval.display?.fileName).toBe("Tờ trình.pdf");
    expect((await pending).Status).toBe(0);
    expect(portal.requests).toEqual(["POST /upload"]);
    expect(portal.uploads[0]).toMatchObject({ field: "uploadfile", fileName: "Tờ trình.pdf" });
    expect(await verifiesAsPdf(portal.uploads[0]!.bytes)).toBe(true);
  });

  it("a chosen file that is not a PDF is refused when it is read (before any Approve): Status 3, nothing uploaded", async () => {
    const pending = vgcaCall(vgcaPort, "SignPDF", JSON.stringify(flow({ FileName: "" })), { origin: pageOrigin(), ca });
    const asking = await bridge.nextApproval("file");
    await bridge.core.handlers["approvals.provideFile"]({ approvalId: asking.id, fileName: "a.pdf", base64: Buffer.from("not a pdf at all").toString("base64") });
    expect((await pending).Status).toBe(3);
    expect(portal.requests).toEqual([]);
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("Cancel in the file approval is the vendor's user-cancelled reply (Status 1); nothing is requested", async () => {
    const pending = vgcaCall(vgcaPort, "SignIssued", JSON.stringify(flow({ FileName: "", DocNumber: "1/QĐ", IssuedDate: "01/12/2026" })), { origin: pageOrigin(), ca });
    const asking = await bridge.nextApproval("file");
    await bridge.core.handlers["approvals.reject"]({ approvalId: asking.id });
    expect((await pending).Status).toBe(1);
    expect(portal.requests).toEqual([]);
  });

  it("the message's own checks still run before the file approval opens (SignIssued without its number: Status 3, no approval)", async () => {
    expect((await vgcaCall(vgcaPort, "SignIssued", JSON.stringify(flow({ FileName: "" })), { origin: pageOrigin(), ca })).Status).toBe(3);
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });
});

/**
 * A test portal page written from the vendors' documented call shapes (docs/compatibility.md): the VGCA Sign Service
 * script opens `wss://127.0.0.1:<port>/<Endpoint>` and sends one message per socket; Viettel-CA SignPlugin v1 posts
 * form fields to `http://127.0.0.1:<port>/<function>`; SignPlugin v2 posts a base64 JSON `request=` envelope to
 * `https://127.0.0.1:<port>/process`. The page does only that, from its own https origin, so what KySo sees is what
 * the existing portals send from Chromium (Origin, CORS preflights, Local Network Access).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";

export interface VendorPorts {
  readonly vgca?: number;
  readonly signpluginHttp?: number;
  readonly signpluginV2?: number;
}

const PAGE = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Cổng dịch vụ công (thử)</title></head>
<body><h1>Cổng dịch vụ công (thử)</h1>
<script>
const ports = JSON.parse(new URLSearchParams(location.search).get("ports") || "{}");
// VGCA: one request per socket, the reply is one JSON text (the vendor script's vgca_sign_* helpers).
window.vgca = (endpoint, message) => new Promise((resolve, reject) => {
  const socket = new WebSocket("wss://127.0.0.1:" + ports.vgca + "/" + endpoint);
  socket.onopen = () => socket.send(message);
  socket.onmessage = (event) => { resolve(JSON.parse(event.data)); socket.close(); };
  socket.onerror = () => reject(new Error("socket error"));
});
// SignPlugin v1: application/x-www-form-urlencoded POSTs, plain-text answers.
window.signPlugin = async (fn, fields) => {
  const answer = await fetch("http://127.0.0.1:" + ports.signpluginHttp + "/" + fn, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields || {}),
  });
  return answer.text();
};
// SignPlugin v2: request=<base64 of the JSON operation>, JSON answers.
window.signPluginV2 = async (operation) => {
  const bytes = new TextEncoder().encode(JSON.stringify(operation));
  const request = btoa(String.fromCharCode(...bytes));
  const answer = await fetch("https://127.0.0.1:" + ports.signpluginV2 + "/process", {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ request }),
  });
  return answer.json();
};
</script></body></html>`;

/** Serves the vendor test page at `origin` in this page's context and opens it with the adapters' ports. */
export async function openVendorPortal(page: Page, origin: string, ports: VendorPorts): Promise<void> {
  await page.context().route(`${origin}/**`, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: PAGE }));
  await page.goto(`${origin}/?ports=${encodeURIComponent(JSON.stringify(ports))}`);
}

type Json = Record<string, unknown>;

export function vgcaInPage(page: Page, endpoint: string, message: string): Promise<Json> {
  return page.evaluate(([e, m]) => (window as unknown as { vgca(e: string, m: string): Promise<Json> }).vgca(e!, m!), [endpoint, message]);
}

export function signPluginInPage(page: Page, fn: string, fields: Record<string, string> = {}): Promise<string> {
  return page.evaluate(
    ([f, body]) => (window as unknown as { signPlugin(f: string, b: Record<string, string>): Promise<string> }).signPlugin(f as string, body as Record<string, string>),
    [fn, fields] as const,
  );
}

export function signPluginV2InPage(page: Page, operation: Json): Promise<Json> {
  return page.evaluate((op) => (window as unknown as { signPluginV2(o: Json): Promise<Json> }).signPluginV2(op), operation);
}

/**
 * A real portal server on 127.0.0.1 for VGCA's server-mediated file flows: it serves the same test page at `/`
 * (so the page's origin is this server's), the document at `/vb/<name>.pdf`, and takes the signed file at
 * `POST /upload` as multipart, answering JSON as the vendors' handlers do. Every request is counted.
 */
export interface FilePortal {
  readonly origin: string;
  readonly requests: string[];
  readonly uploads: { readonly fields: readonly string[]; readonly fileName: string; readonly bytes: Buffer; readonly sessionId?: string }[];
  /** What `POST /upload` answers (relayed unchanged to the page by KySo). */
  readonly uploadReply: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startFilePortal(pdf: Uint8Array): Promise<FilePortal> {
  const requests: string[] = [];
  const uploads: FilePortal["uploads"] = [];
  const uploadReply = { Status: 0, Message: "", FileName: "to-trinh.signed.pdf", FileServer: "/vb/" };
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (request.method === "GET" && path === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
      return;
    }
    if (request.method === "GET" && path === "/favicon.ico") return void response.writeHead(404).end();
    requests.push(`${request.method} ${path}`);
    if (request.method === "GET" && /^\/vb\/[\w-]+\.pdf$/.test(path)) {
      response.writeHead(200, { "content-type": "application/pdf" }).end(Buffer.from(pdf));
    } else if (request.method === "POST" && path === "/upload") {
      void readBody(request).then((body) => {
        const parts = multipart(body, String(request.headers["content-type"]));
        const file = parts.get("uploadfile");
        const sessionId = parts.get("SessionId")?.bytes.toString("utf8");
        uploads.push({ fields: [...parts.keys()], fileName: file?.fileName ?? "", bytes: file?.bytes ?? Buffer.alloc(0), ...(sessionId ? { sessionId } : {}) });
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(uploadReply));
      });
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, requests, uploads, uploadReply, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Opens the test page served by a file portal (its own origin) with the adapters' ports. */
export async function openFilePortal(page: Page, portal: FilePortal, ports: VendorPorts): Promise<void> {
  await page.goto(`${portal.origin}/?ports=${encodeURIComponent(JSON.stringify(ports))}`);
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** The parts of a multipart/form-data body by field name (enough for what KySo sends). */
function multipart(body: Buffer, contentType: string): Map<string, { fileName?: string; bytes: Buffer }> {
  const parts = new Map<string, { fileName?: string; bytes: Buffer }>();
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) return parts;
  const text = body.toString("latin1");
  for (const chunk of text.split(`--${boundary}`).slice(1, -1)) {
    const split = chunk.indexOf("\r\n\r\n");
    const head = chunk.slice(0, split);
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (!name) continue;
    const raw = /filename="([^"]*)"/.exec(head)?.[1];
    const fileName = raw === undefined ? undefined : Buffer.from(raw, "latin1").toString("utf8");
    parts.set(name, { ...(fileName !== undefined ? { fileName } : {}), bytes: Buffer.from(chunk.slice(split + 4, -2), "latin1") });
  }
  return parts;
}

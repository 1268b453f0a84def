/**
 * A test portal page written from the vendors' documented call shapes (docs/compatibility.md): the VGCA Sign Service
 * script opens `wss://127.0.0.1:<port>/<Endpoint>` and sends one message per socket; Viettel-CA SignPlugin v1 posts
 * form fields to `http://127.0.0.1:<port>/<function>`; SignPlugin v2 posts a base64 JSON `request=` envelope to
 * `https://127.0.0.1:<port>/process`. The page does only that, from its own https origin, so what KySo sees is what
 * the existing portals send from Chromium (Origin, CORS preflights, Local Network Access).
 */
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

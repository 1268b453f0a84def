/**
 * Serves dist/renderer on kyso-app://app/ with the CSP as a header. A standard, secure scheme gives the renderer
 * a real origin (so 'self' in the CSP means something) without a localhost server any page could reach.
 */
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { protocol } from "electron";
import { contentSecurityPolicy } from "./csp.js";
import { RENDERER_HOST, RENDERER_SCHEME } from "./renderer-origin.js";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".wasm": "application/wasm",
  ".json": "application/json",
};

/** Must run before `app` is ready. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  const root = resolve(rendererDir);
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const url = new URL(request.url);
    const relative = decodeURIComponent(url.pathname).replace(/^\/+/, "") || "index.html";
    const file = resolve(root, relative);
    if (url.host !== RENDERER_HOST || !file.startsWith(root + sep)) return new Response(null, { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
          "Content-Security-Policy": contentSecurityPolicy("header"),
          "X-Content-Type-Options": "nosniff",
        },
      });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}

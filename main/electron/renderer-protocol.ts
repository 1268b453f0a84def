/**
 * Serves dist/renderer on kyso-app://app/ with the CSP as a header. A standard, secure scheme gives the renderer
 * a real origin (so 'self' in the CSP means something) without a localhost server any page could reach.
 */
import { readFile } from "node:fs/promises";
import { protocol } from "electron";
import { contentSecurityPolicy } from "./csp.js";
import { rendererFile, rendererMediaType } from "./renderer-assets.js";
import { RENDERER_HOST, RENDERER_SCHEME } from "./renderer-origin.js";

/** Must run before `app` is ready. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === RENDERER_HOST ? rendererFile(rendererDir, url.pathname) : undefined;
    if (!file) return new Response(null, { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          "Content-Type": rendererMediaType(file),
          "Content-Security-Policy": contentSecurityPolicy("header"),
          "X-Content-Type-Options": "nosniff",
        },
      });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}

/**
 * Serves the demo portal (index.html, portal.js) and the SDK, transpiled from sdk/src on the fly, so the page
 * always runs the SDK of this tree. Used by `npm run sandbox` and by the e2e tests (which also serve the same
 * files under a routed https origin).
 */
import { readFileSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const HERE = dirname(fileURLToPath(import.meta.url));
const SDK_DIR = join(HERE, "..", "..", "sdk", "src");

export interface Asset {
  readonly type: string;
  readonly body: string;
}

/** Path (from the portal root, e.g. "/sdk/index.js") → content. */
export function portalAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  assets.set("/", { type: "text/html; charset=utf-8", body: readFileSync(join(HERE, "index.html"), "utf8") });
  assets.set("/portal.js", { type: "text/javascript; charset=utf-8", body: readFileSync(join(HERE, "portal.js"), "utf8") });
  for (const file of readdirSync(SDK_DIR).filter((f) => f.endsWith(".ts"))) {
    const output = ts.transpileModule(readFileSync(join(SDK_DIR, file), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    assets.set(`/sdk/${file.replace(/\.ts$/, ".js")}`, { type: "text/javascript; charset=utf-8", body: output.outputText });
  }
  return assets;
}

export interface PortalServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Plain http on loopback: a developer origin (`http://127.0.0.1:PORT`), accepted only with `developerOrigins`. */
export async function startPortalServer(options: { port?: number } = {}): Promise<PortalServer> {
  const assets = portalAssets();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const asset = assets.get(path === "/index.html" ? "/" : path);
    if (!asset) return void response.writeHead(404).end();
    response.writeHead(200, { "Content-Type": asset.type, "Cache-Control": "no-store" }).end(asset.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

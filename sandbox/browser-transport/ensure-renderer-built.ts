/**
 * Builds the renderer with Vite's JS API when dist/renderer is missing or older than any source file, so e2e
 * tests and the sandbox always serve what the sources say.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const RENDERER_DIST = join(REPO_ROOT, "dist", "renderer");

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function rendererIsStale(): boolean {
  const built = join(RENDERER_DIST, "index.html");
  if (!existsSync(built)) return true;
  const sources = [join(REPO_ROOT, "renderer"), join(REPO_ROOT, "vite.config.ts"), join(REPO_ROOT, "preload", "api.ts")];
  const newestSource = Math.max(...sources.filter(existsSync).map(newestMtime));
  return newestSource > statSync(built).mtimeMs;
}

export async function ensureRendererBuilt(): Promise<string> {
  if (rendererIsStale()) {
    const { build } = await import("vite");
    // Always the production build the app ships: a test runner's NODE_ENV ("test") would otherwise make Vite bundle
    // React's development build, and which build the e2e tests saw depended on who built it first.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await build({ configFile: join(REPO_ROOT, "vite.config.ts"), root: join(REPO_ROOT, "renderer"), logLevel: "warn", mode: "production" });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
  }
  return RENDERER_DIST;
}

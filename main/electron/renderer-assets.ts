/**
 * How the built renderer's files are looked up and labelled, for both servers of the same files: the app's
 * kyso-app:// protocol handler and the test transport. One function, so the path-traversal rule is written once.
 */
import { extname, resolve, sep } from "node:path";

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".map": "application/json",
};

export function rendererMediaType(file: string): string {
  return MEDIA_TYPES[extname(file)] ?? "application/octet-stream";
}

/**
 * The file under `root` that a URL path names (`""` → index.html), or undefined when the path leaves `root`
 * (`..`, encoded slashes, absolute paths).
 */
export function rendererFile(root: string, urlPath: string): string | undefined {
  const base = resolve(root);
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath).replace(/^\/+/, "") || "index.html";
  } catch {
    return undefined; // malformed percent-encoding
  }
  const file = resolve(base, relative);
  return file.startsWith(base + sep) ? file : undefined;
}

import { createRequire } from "node:module";
import type { AppInfo } from "./app-api/views.js";

/** Signing formats the bridge accepts in `sign.format`; the formats module registers exactly these. */
export const SIGNING_FORMATS = ["raw", "cms", "pades", "xades", "xmldsig", "vn-tax", "vn-einvoice"] as const;
export type SigningFormat = (typeof SIGNING_FORMATS)[number];

export const PROTOCOL_VERSION = 1 as const;

function packageVersion(): string {
  // package.json sits two levels up both from the sources (main/core) and from the build (dist/main/core → dist has
  // no package.json, so try one more level).
  const require = createRequire(import.meta.url);
  for (const candidate of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === "kyso" && pkg.version) return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "0.0.0";
}

const VERSION = packageVersion();

/** What `hello` and the About page report. */
export function getAppInfo(platform: string = process.platform): AppInfo {
  return { product: "KySo", version: VERSION, protocol: PROTOCOL_VERSION, formats: [...SIGNING_FORMATS], platform };
}

/**
 * Proxy selection for revocation and AIA requests. Node 20's global fetch (undici) ignores HTTP(S)_PROXY, and
 * Electron's main process runs plain Node here, so the HTTP client (bounded-fetch.ts) applies these settings
 * itself: the conventional environment variables, upper or lower case. The operating system's own proxy
 * configuration (Windows Internet Options, macOS network settings, PAC files) is NOT read: docs/revocation.md.
 */

export interface ProxySettings {
  /** Proxy for http:// targets, e.g. `http://proxy.example:3128` (userinfo becomes Proxy-Authorization). */
  readonly httpProxy?: string;
  /** Proxy for https:// targets (tunnelled with CONNECT). */
  readonly httpsProxy?: string;
  /** NO_PROXY list: host names, `.suffix` / `*.suffix`, IP literals, optional `:port`, or `*`. */
  readonly noProxy?: string;
}

export const NO_PROXY: ProxySettings = {};

export function proxyFromEnvironment(env: NodeJS.ProcessEnv = process.env): ProxySettings {
  const pick = (name: string): string | undefined => {
    const value = env[name] ?? env[name.toLowerCase()];
    return value && value.trim() !== "" ? value.trim() : undefined;
  };
  const httpProxy = pick("HTTP_PROXY");
  const httpsProxy = pick("HTTPS_PROXY");
  const noProxy = pick("NO_PROXY");
  return {
    ...(httpProxy ? { httpProxy } : {}),
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(noProxy ? { noProxy } : {}),
  };
}

/** The proxy to use for `target`, or undefined to connect directly. A proxy URL that is not http(s) is ignored. */
export function proxyFor(target: URL, settings: ProxySettings): URL | undefined {
  const raw = target.protocol === "https:" ? settings.httpsProxy : settings.httpProxy;
  if (!raw) return undefined;
  if (bypassed(target, settings.noProxy)) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(raw.includes("://") ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
  return proxy.protocol === "http:" || proxy.protocol === "https:" ? proxy : undefined;
}

function bypassed(target: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  for (const rawEntry of noProxy.split(/[,\s]+/)) {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    const [entryHost, entryPort] = splitHostPort(entry);
    if (entryPort && entryPort !== port) continue;
    const bare = entryHost.replace(/^\*?\./, "");
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

function splitHostPort(entry: string): [string, string | undefined] {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1] ?? "", bracketed[2]];
  const colons = entry.split(":").length - 1;
  if (colons === 1) {
    const [host, port] = entry.split(":");
    return [host ?? "", port];
  }
  return [entry, undefined]; // a bare IPv6 literal or a plain name
}

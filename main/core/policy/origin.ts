/**
 * Origins are compared as parsed, normalised `scheme://host[:port]` strings, never by substring (security.md:
 * look-alikes such as `https://portal.example.evil`, userinfo tricks, other ports). This is the one place that
 * turns a string into an origin; the bridge handshake, the policy allowlist and the pairing store all call it.
 */

/** Hosts that count as "developer" origins when served over plain http (policy `developerOrigins`). */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export interface ParsedOrigin {
  /** The serialised origin, e.g. `https://dichvucong.gov.vn` or `https://portal.example:8443`. */
  readonly origin: string;
  readonly scheme: "https" | "http";
  readonly host: string;
  readonly port: number;
  readonly loopback: boolean;
}

/**
 * Parses an origin exactly as a browser serialises it. Anything else — a path, a query, userinfo, a trailing
 * slash, upper case, `null`, a scheme other than http(s) — is refused (undefined), so two strings either name the
 * same origin byte for byte or are different origins.
 */
export function parseOrigin(value: string): ParsedOrigin | undefined {
  if (value.length === 0 || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") return undefined;
  // URL.origin drops the default port and lower-cases the host; requiring equality refuses every other spelling.
  if (url.origin !== value) return undefined;
  const scheme = url.protocol === "https:" ? "https" : "http";
  const port = url.port === "" ? (scheme === "https" ? 443 : 80) : Number(url.port);
  return { origin: url.origin, scheme, host: url.hostname, port, loopback: LOOPBACK_HOSTS.has(url.hostname) };
}

/**
 * For allowlist entries written by people (policy files, the sandbox): accepts a trailing slash and upper case,
 * then insists on a bare origin. Returns undefined for anything with a path, query or credentials.
 */
export function normaliseConfiguredOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") return undefined;
  return parseOrigin(url.origin)?.origin;
}

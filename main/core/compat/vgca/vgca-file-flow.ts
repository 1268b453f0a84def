/**
 * VGCA's server-mediated file flows (every endpoint of `VGCA_FILE_ENDPOINTS`): KySo downloads `FileName` (or the
 * user picks the file in KySo's window), the user approves it through the normal `sign`/`signBatch` path (`pades`),
 * and KySo uploads the signed PDF as multipart field `uploadfile` to `FileUploadHandler`, relaying that handler's JSON.
 * Every endpoint goes through the same three functions below (pin, download, upload).
 *
 * This is the only place a vendor page makes KySo send HTTP requests, so a page must not be able to point KySo at
 * anything but its own server (docs/threat-model.md, "Vendor protocol adapters"):
 * - both URLs are same-origin with the calling page, checked on the parsed URLs (no userinfo, http/https only);
 * - the host is resolved ONCE (before the approval opens) and every connection goes to that address (`lookup`
 *   pinned), so a rebinding DNS answer between checks and connects cannot redirect KySo;
 * - a loopback, private, link-local or otherwise non-public address is accepted only when the page itself is on
 *   such a host (an IP literal of that class, or `localhost`): a public portal cannot make KySo reach the LAN;
 * - no redirect is followed (any 3xx is a refusal), sizes and times are bounded as for the main protocol.
 */
import { randomBytes } from "node:crypto";
import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";

/** Resolves a host name to one address (tests inject one; the app uses the system resolver). */
export type HostResolver = (hostname: string) => Promise<{ readonly address: string; readonly family: 4 | 6 }>;

export const systemResolver: HostResolver = async (hostname) => {
  const { address, family } = await dnsLookup(hostname, { verbatim: true });
  return { address, family: family === 6 ? 6 : 4 };
};

export interface PinnedTarget {
  /** Every `FileName` URL, in order (none when the user picks the file). */
  readonly downloads: readonly URL[];
  readonly upload: URL;
  readonly address: string;
  readonly family: 4 | 6;
}

export class FileFlowRefusal extends Error {
  constructor(
    message: string,
    readonly kind: "not-allowed" | "invalid" | "failed",
  ) {
    super(message);
  }
}

function ipv4Local(address: string): boolean {
  const [a = 0, b = 0] = address.split(".").map(Number);
  return (
    a === 0 || a === 10 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
  );
}

/** Not a public unicast address: loopback, private, link-local, CGNAT, unspecified, multicast, reserved. */
export function isNonPublicAddress(address: string): boolean {
  const kind = isIP(address);
  if (kind === 4) return ipv4Local(address);
  if (kind !== 6) return true;
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return ipv4Local(mapped[1]!);
  if (lower === "::" || lower === "::1") return true;
  return /^(f[cd]|fe[89ab]|ff)/.test(lower);
}

const bare = (hostname: string): string => hostname.replace(/^\[|\]$/g, "");

/** Whether the page itself lives on a non-public host (an IP literal of that class, or `localhost`). */
function pageIsLocal(page: URL): boolean {
  const host = bare(page.hostname);
  if (host === "localhost") return true;
  return isIP(host) !== 0 && isNonPublicAddress(host);
}

function sameOriginUrl(value: string, page: URL, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FileFlowRefusal(`${what} is not a URL`, "invalid");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new FileFlowRefusal(`${what} must be http(s)`, "not-allowed");
  if (url.username || url.password) throw new FileFlowRefusal(`${what} must not carry credentials`, "not-allowed");
  if (url.origin !== page.origin) throw new FileFlowRefusal(`${what} is not on the page's origin`, "not-allowed");
  return url;
}

/**
 * Every check that needs no request to the portal: same origin for both URLs, then one resolution and the
 * address-class rule. Throws FileFlowRefusal; on success the returned target is what every connection uses.
 */
export async function pinFileTargets(pageOrigin: string, fileNames: string | readonly string[], uploadHandler: string, resolve: HostResolver): Promise<PinnedTarget> {
  const page = new URL(pageOrigin);
  const downloads = (typeof fileNames === "string" ? [fileNames] : fileNames).map((name) => sameOriginUrl(name, page, "FileName"));
  const upload = sameOriginUrl(uploadHandler, page, "FileUploadHandler");
  const host = bare(page.hostname);
  let address: string;
  let family: 4 | 6;
  const literal = isIP(host);
  if (literal !== 0) {
    address = host;
    family = literal === 6 ? 6 : 4;
  } else {
    try {
      ({ address, family } = await resolve(host));
    } catch {
      throw new FileFlowRefusal(`${host} could not be resolved`, "failed");
    }
    if (isIP(address) === 0) throw new FileFlowRefusal(`${host} resolved to no address`, "failed");
  }
  const local = pageIsLocal(page);
  if (isNonPublicAddress(address) && !local) throw new FileFlowRefusal(`${host} resolves to a local or private address`, "not-allowed");
  // `localhost` that resolves elsewhere is a rebinding, not a local page.
  if (host === "localhost" && !isNonPublicAddress(address)) throw new FileFlowRefusal("localhost resolves to a public address", "not-allowed");
  return { downloads, upload, address, family };
}

export interface FlowLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

const MAX_REPLY_BYTES = 64 * 1024;

function pinnedOptions(url: URL, target: PinnedTarget, method: string, headers: Record<string, string>, timeoutMs: number): RequestOptions {
  // Connect to the checked address only: Node calls this instead of DNS (Host header and TLS name stay the URL's).
  const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  }) as unknown as LookupFunction;
  return { method, headers, lookup, agent: false, signal: AbortSignal.timeout(timeoutMs) };
}

function exchange(url: URL, options: RequestOptions, body: Buffer | undefined, maxBytes: number): Promise<{ status: number; body: Buffer; type: string }> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, options, (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      // No redirect is ever followed: the next hop was not checked.
      if (status >= 300 && status < 400) {
        response.destroy();
        reject(new FileFlowRefusal(`the portal answered a redirect (${status}); KySo follows none`, "not-allowed"));
        return;
      }
      const declared = Number(response.headers["content-length"] ?? 0);
      if (declared > maxBytes) {
        response.destroy();
        reject(new FileFlowRefusal(`the file is larger than ${maxBytes} bytes`, "invalid"));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          response.destroy();
          reject(new FileFlowRefusal(`the file is larger than ${maxBytes} bytes`, "invalid"));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => resolve({ status, body: Buffer.concat(chunks), type: String(response.headers["content-type"] ?? "") }));
      // A timeout or reset mid-body is the portal's failure, answered in the vendor's shape.
      response.on("error", (error) => reject(new FileFlowRefusal(`the portal's answer broke off: ${error.message}`, "failed")));
    });
    request.on("error", (error) => reject(error instanceof FileFlowRefusal ? error : new FileFlowRefusal(`the portal could not be reached: ${error.message}`, "failed")));
    if (body) request.end(body);
    else request.end();
  });
}

const bearer = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

export async function downloadFile(target: PinnedTarget, download: URL, jwt: string | undefined, limits: FlowLimits): Promise<Buffer> {
  if (!target.downloads.includes(download)) throw new FileFlowRefusal("not a checked FileName", "not-allowed");
  const answer = await exchange(download, pinnedOptions(download, target, "GET", { accept: "application/pdf, */*", ...bearer(jwt) }, limits.timeoutMs), undefined, limits.maxBytes);
  if (answer.status !== 200) throw new FileFlowRefusal(`downloading FileName answered HTTP ${answer.status}`, "failed");
  return answer.body;
}

/** The file name the upload carries: the download URL's last path segment, reduced to safe characters. */
export function uploadFileName(download: URL): string {
  let last = download.pathname.split("/").pop() ?? "";
  try {
    last = decodeURIComponent(last);
  } catch {
    /* keep the raw segment */
  }
  return safeFileName(last);
}

/** A name reduced to letters, digits and `._ -` (a picked file's name too), at most 200 characters. */
export function safeFileName(last: string): string {
  const safe = last.replace(/[^\p{L}\p{N}._ -]/gu, "_").slice(0, 200);
  return safe.length > 0 ? safe : "signed.pdf";
}

/** POSTs the signed file (multipart field `uploadfile`) and returns the handler's JSON object, unchanged. */
export async function uploadSigned(
  target: PinnedTarget,
  signed: Buffer,
  fileName: string,
  fields: { readonly sessionId?: string; readonly jwt?: string },
  limits: FlowLimits,
): Promise<Record<string, unknown>> {
  const boundary = `----KySo${randomBytes(16).toString("hex")}`;
  const name = safeFileName(fileName).replace(/"/g, "_");
  const parts: Buffer[] = [];
  if (fields.sessionId) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="SessionId"\r\n\r\n${fields.sessionId}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="uploadfile"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n`));
  parts.push(signed, Buffer.from(`\r\n--${boundary}--\r\n`));
  const body = Buffer.concat(parts);
  const headers = { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(body.length), accept: "application/json", ...bearer(fields.jwt) };
  const answer = await exchange(target.upload, pinnedOptions(target.upload, target, "POST", headers, limits.timeoutMs), body, MAX_REPLY_BYTES);
  if (answer.status < 200 || answer.status >= 300) throw new FileFlowRefusal(`FileUploadHandler answered HTTP ${answer.status}`, "failed");
  let reply: unknown;
  try {
    reply = JSON.parse(answer.body.toString("utf8"));
  } catch {
    throw new FileFlowRefusal("FileUploadHandler did not answer JSON", "failed");
  }
  if (typeof reply !== "object" || reply === null || Array.isArray(reply)) throw new FileFlowRefusal("FileUploadHandler did not answer a JSON object", "failed");
  return reply as Record<string, unknown>;
}

/**
 * The one HTTP client of the revocation and trust service. It fetches only what the caller passes (URLs taken
 * from a certificate's AIA/CRLDP or from the policy, never from a page), only http/https, with a deadline for
 * the whole exchange, a cap on the body, and redirects followed only for GET and only to http/https. Proxies come
 * from ProxySettings (proxy.ts). Failures are values, never exceptions.
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect as tlsConnect } from "node:tls";
import type { Socket } from "node:net";
import { proxyFor, type ProxySettings } from "./proxy.js";
import type { RevocationDetail } from "./types.js";

/** Redirects followed for a GET (CRL, AIA): CAs move files behind CDNs; more than this is a loop or an abuse. */
export const MAX_REDIRECTS = 3;

export interface FetchOptions {
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly proxy: ProxySettings;
  /** TLS roots for https in place of the system's (tests: a local server's certificate); never from a page. */
  readonly ca?: string;
}

export interface FetchRequest {
  readonly method: "GET" | "POST";
  readonly body?: Uint8Array;
  readonly contentType?: string;
  readonly accept?: string;
}

export type FetchOutcome =
  | { readonly ok: true; readonly body: Uint8Array; readonly url: string; readonly contentType?: string }
  | { readonly ok: false; readonly detail: RevocationDetail; readonly message: string };

/** Only absolute http/https URLs without userinfo are fetched. */
export function fetchableUrl(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  if (url.username !== "" || url.password !== "") return undefined;
  return url;
}

export async function boundedFetch(raw: string, request: FetchRequest, options: FetchOptions): Promise<FetchOutcome> {
  let url = fetchableUrl(raw);
  if (!url) return { ok: false, detail: "url-not-allowed", message: `not an http(s) URL: ${raw}` };
  const deadline = Date.now() + options.timeoutMs;
  for (let hop = 0; ; hop++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { ok: false, detail: "timeout", message: `no answer from ${url.href} in ${options.timeoutMs} ms` };
    const outcome = await exchange(url, request, options, remaining);
    if (!("redirect" in outcome)) return outcome;
    if (request.method !== "GET" || hop >= MAX_REDIRECTS) {
      return { ok: false, detail: "redirect-refused", message: `redirect from ${url.href} refused` };
    }
    const next = fetchableUrl(new URL(outcome.redirect, url).href);
    if (!next) return { ok: false, detail: "redirect-refused", message: `redirect to a non-http(s) URL refused: ${outcome.redirect}` };
    url = next;
  }
}

type Exchange = FetchOutcome | { readonly redirect: string };

function exchange(url: URL, request: FetchRequest, options: FetchOptions, timeoutMs: number): Promise<Exchange> {
  return new Promise<Exchange>((resolve) => {
    let settled = false;
    const cleanups: (() => void)[] = [];
    const finish = (outcome: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, detail: "timeout", message: `no answer from ${url.href} in ${timeoutMs} ms` }),
      timeoutMs,
    );
    const headers: Record<string, string> = { "User-Agent": "KySo-revocation", Connection: "close" };
    if (request.contentType) headers["Content-Type"] = request.contentType;
    if (request.accept) headers["Accept"] = request.accept;
    if (request.body) headers["Content-Length"] = String(request.body.length);
    const onResponse = (response: IncomingMessage): void => {
      cleanups.push(() => response.destroy());
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        finish({ redirect: response.headers.location });
        return;
      }
      if (status !== 200) {
        finish({ ok: false, detail: "http-status", message: `${url.href} answered HTTP ${status}` });
        return;
      }
      const declared = Number(response.headers["content-length"] ?? "0");
      if (declared > options.maxBytes) {
        finish({ ok: false, detail: "too-large", message: `${url.href} announces ${declared} bytes (cap ${options.maxBytes})` });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          finish({ ok: false, detail: "too-large", message: `${url.href} sent more than ${options.maxBytes} bytes` });
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => {
        const contentType = response.headers["content-type"];
        finish({ ok: true, body: new Uint8Array(Buffer.concat(chunks)), url: url.href, ...(contentType ? { contentType } : {}) });
      });
      response.on("error", (error) => finish({ ok: false, detail: "network", message: `${url.href}: ${error.message}` }));
    };
    const onError = (error: Error): void => finish({ ok: false, detail: "network", message: `${url.href}: ${error.message}` });
    const send = (options: RequestOptions, secure: boolean): void => {
      const req = (secure ? httpsRequest : httpRequest)(options, onResponse);
      cleanups.push(() => req.destroy());
      req.on("error", onError);
      req.end(request.body ? Buffer.from(request.body) : undefined);
    };

    const proxy = proxyFor(url, options.proxy);
    const target = { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || (url.protocol === "https:" ? 443 : 80)) };
    const path = `${url.pathname}${url.search}`;
    if (!proxy) {
      send({ ...target, path, method: request.method, headers, agent: false, ...(options.ca ? { ca: options.ca } : {}) }, url.protocol === "https:");
      return;
    }
    const proxyHeaders: Record<string, string> = {};
    if (proxy.username !== "") {
      const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      proxyHeaders["Proxy-Authorization"] = `Basic ${Buffer.from(credentials).toString("base64")}`;
    }
    const proxyTarget = { host: proxy.hostname.replace(/^\[|\]$/g, ""), port: Number(proxy.port || (proxy.protocol === "https:" ? 443 : 80)) };
    const proxySecure = proxy.protocol === "https:";
    if (url.protocol === "http:") {
      // Plain HTTP through a proxy: the absolute-form request line (RFC 9112 §3.2.2).
      send({ ...proxyTarget, path: url.href, method: request.method, headers: { ...headers, ...proxyHeaders, Host: url.host }, agent: false }, proxySecure);
      return;
    }
    // HTTPS through a proxy: a CONNECT tunnel, then TLS to the target inside it (certificate checked as usual).
    const connectReq = (proxySecure ? httpsRequest : httpRequest)({
      ...proxyTarget,
      method: "CONNECT",
      path: `${target.host}:${target.port}`,
      headers: { Host: `${target.host}:${target.port}`, ...proxyHeaders },
      agent: false,
    });
    cleanups.push(() => connectReq.destroy());
    connectReq.on("error", onError);
    connectReq.on("connect", (response: IncomingMessage, socket: Socket) => {
      cleanups.push(() => socket.destroy());
      if (response.statusCode !== 200) {
        finish({ ok: false, detail: "network", message: `proxy refused CONNECT to ${url.host}: HTTP ${response.statusCode}` });
        return;
      }
      const tls = tlsConnect({ socket, servername: target.host, ...(options.ca ? { ca: options.ca } : {}) });
      send({ ...target, path, method: request.method, headers, agent: false, createConnection: () => tls }, true);
    });
    connectReq.end();
  });
}

/**
 * The Viettel-CA SignPlugin adapter: `http://127.0.0.1:14007/<fn>` and `https://127.0.0.1:14407/<fn>` (the bridge's
 * local certificate). A page POSTs a form and reads plain text. Plain HTTP from a page is subject to CORS, so:
 *
 * - Host must be exactly `127.0.0.1:<port>` (no rebinding name), else 403;
 * - Origin must be exactly one of `compatibility.signplugin.origins`, else 403 with no CORS header at all, so the
 *   page cannot even read the refusal; preflights are answered only for listed origins;
 * - only `POST /<known fn>` with a form body up to `limits.maxMessageBytes`, and a connection slot per request.
 *
 * What a function does is decided in signplugin-wire.ts and done by the bridge's controller (kyso-gateway.ts).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import { randomBytes } from "node:crypto";
import type { CertificateSummary, SignResult } from "../../../domain/wire/protocol.js";
import type { BridgeLimits } from "../../policy/policy-schema.js";
import type { ConnectionLimits } from "../../bridge/connection-limits.js";
import { closeServer, hostIsLoopback, listenExclusive, type ListenOutcome } from "../compat-listen.js";
import type { KysoGateway } from "../kyso-gateway.js";
import { parseSignPluginV2, renderSignPluginV2 } from "./signplugin-v2-wire.js";
import { isSignPluginFunction, planSignPlugin, signPluginCodeOf, SIGNPLUGIN_ERRORS, type SignPluginFunction } from "./signplugin-wire.js";

export const SIGNPLUGIN_PORTS = { http: 14007, https: 14407, v2: 14408 } as const;

export interface SignPluginListeners {
  readonly http: ListenOutcome;
  readonly https: ListenOutcome;
  /** SignPlugin v2: `https://127.0.0.1:14408/process` (signplugin-v2-wire.ts). */
  readonly v2: ListenOutcome;
  updateTls(tls: { cert: string; key: string }): void;
  close(): Promise<void>;
}

/** What the plugin remembers between calls, per listed origin (so bounded by the policy's list). */
interface OriginState {
  lastError: number;
  certificate?: CertificateSummary;
}

function bare(response: ServerResponse, status: number): void {
  response.writeHead(status, { Connection: "close", "Content-Length": "0" }).end();
}

export async function startSignPluginListeners(options: {
  readonly ports: { readonly http: number; readonly https: number; readonly v2: number };
  readonly tls: { cert: string; key: string };
  readonly gateway: KysoGateway;
  readonly limits: BridgeLimits;
  readonly connections: ConnectionLimits;
}): Promise<SignPluginListeners> {
  const { gateway, limits, connections } = options;
  const states = new Map<string, OriginState>();
  const stateOf = (origin: string): OriginState => {
    let state = states.get(origin);
    if (!state) states.set(origin, (state = { lastError: 0 }));
    return state;
  };

  function handler(port: () => number, version: 1 | 2) {
    return (request: IncomingMessage, response: ServerResponse): void => {
      if (!hostIsLoopback(request.headers.host, port())) return bare(response, 403);
      const origin = gateway.listedOrigin(request.headers.origin);
      if (!origin) return bare(response, 403);
      const cors: Record<string, string> = { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
      if (request.method === "OPTIONS") {
        response.writeHead(204, {
          ...cors,
          "Access-Control-Allow-Methods": "POST",
          "Access-Control-Allow-Headers": "Content-Type",
          "Access-Control-Max-Age": "600",
          // Chromium's Private Network Access preflight: granted only to the listed origin it names.
          ...(request.headers["access-control-request-private-network"] === "true" ? { "Access-Control-Allow-Private-Network": "true" } : {}),
        });
        response.end();
        return;
      }
      const fn = new URL(request.url ?? "/", "http://127.0.0.1").pathname.slice(1);
      if (request.method !== "POST") return void response.writeHead(405, { ...cors, Allow: "POST, OPTIONS", "Content-Length": "0" }).end();
      if (version === 1 ? !isSignPluginFunction(fn) : fn !== "process") return void response.writeHead(404, { ...cors, "Content-Length": "0" }).end();
      const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/x-www-form-urlencoded" && type !== "") return void response.writeHead(415, { ...cors, "Content-Length": "0" }).end();
      const slot = connections.tryAcquire(origin, "trusted");
      if (!slot) return void response.writeHead(503, { ...cors, "Content-Length": "0" }).end();
      const connectionId = gateway.newConnectionId();
      response.once("close", () => {
        slot.release();
        // The page (or its tab) went away before the answer: its approval is withdrawn, nothing is signed for it.
        if (!response.writableFinished) gateway.withdraw(connectionId);
      });
      readBody(request, limits.maxMessageBytes)
        .then(async (body) => {
          if (body === undefined) return void response.writeHead(413, { ...cors, Connection: "close", "Content-Length": "0" }).end();
          const headers = { ...cors, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
          if (version === 2) {
            const reply = await answerV2(origin, connectionId, new URLSearchParams(body));
            response.writeHead(200, { ...headers, "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(reply));
            return;
          }
          const text = await answer(origin, connectionId, fn as SignPluginFunction, new URLSearchParams(body));
          response.writeHead(200, { ...headers, "Content-Type": "text/plain; charset=utf-8" });
          response.end(text);
        })
        .catch(() => {
          stateOf(origin).lastError = SIGNPLUGIN_ERRORS.failed;
          if (!response.headersSent) response.writeHead(500, { ...cors, "Content-Length": "0" });
          response.end();
        });
    };
  }

  /** v1: plain text, the code kept for `getLastErr`. */
  async function answer(origin: string, connectionId: string, fn: SignPluginFunction, form: URLSearchParams): Promise<string> {
    const state = stateOf(origin);
    if (fn === "getLastErr") return String(state.lastError);
    const { code, text } = await coded(origin, connectionId, fn, form);
    state.lastError = code;
    return text;
  }

  /** v2: the same v1 handling, the code in `ResponseCode` of the same reply (no shared "last error" to race on). */
  async function answerV2(origin: string, connectionId: string, body: URLSearchParams) {
    const request = parseSignPluginV2(body);
    if (!request.ok) return request.reply;
    const { code, text } = await coded(origin, connectionId, request.fn, request.form);
    return renderSignPluginV2(request.operationId, code, text);
  }

  async function coded(origin: string, connectionId: string, fn: SignPluginFunction, form: URLSearchParams): Promise<{ code: number; text: string }> {
    const state = stateOf(origin);
    const plan = planSignPlugin(fn, form);
    const fail = (code: number) => ({ code, text: "" });
    const succeed = (text: string) => ({ code: SIGNPLUGIN_ERRORS.ok, text });
    if (plan.kind === "lastError") return succeed(String(state.lastError));
    switch (plan.kind) {
      case "refuse":
        return fail(plan.code);
      case "session": {
        // Goes through the gate like everything else (rate limits, pause), then hands out an opaque session id.
        const outcome = await gateway.call(origin, connectionId, "hello");
        return outcome.ok ? succeed(randomBytes(12).toString("hex")) : fail(signPluginCodeOf(outcome.error));
      }
      case "certificate": {
        const outcome = await gateway.call(origin, connectionId, "certificates.list", { filter: { validOnly: true } });
        if (!outcome.ok) return fail(signPluginCodeOf(outcome.error));
        const [first] = outcome.result as CertificateSummary[];
        if (!first) return fail(SIGNPLUGIN_ERRORS.noCertificate);
        state.certificate = first;
        return succeed(first.certificate);
      }
      case "field": {
        const c = state.certificate;
        if (!c) return fail(SIGNPLUGIN_ERRORS.noCertificate);
        const fields: Record<string, string> = {
          getCertSubject: c.subject,
          getCertIssuer: c.issuer,
          getCertSerial: c.serialNumber,
          getCertValidFrom: c.notBefore,
          getCertValidTo: c.notAfter,
        };
        return succeed(fields[plan.field] ?? "");
      }
      case "sign": {
        // The certificate the page read with getCertificate is the one it expects the signature from.
        const params = state.certificate ? { ...plan.params, certificateId: state.certificate.id } : plan.params;
        const outcome = await gateway.call(origin, connectionId, "sign", params);
        if (!outcome.ok) return fail(signPluginCodeOf(outcome.error));
        const result = outcome.result as SignResult;
        if (plan.render === "signature") return succeed(result.signature ?? "");
        const xml = Buffer.from(result.document ?? "", "base64");
        return succeed(plan.render === "xml-text" ? xml.toString("utf8") : xml.toString("base64"));
      }
    }
  }

  const httpServer: Server = createHttpServer();
  const httpsServer: HttpsServer = createHttpsServer({ cert: options.tls.cert, key: options.tls.key, minVersion: "TLSv1.2" });
  const v2Server: HttpsServer = createHttpsServer({ cert: options.tls.cert, key: options.tls.key, minVersion: "TLSv1.2" });
  let httpPort = options.ports.http;
  let httpsPort = options.ports.https;
  let v2Port = options.ports.v2;
  httpServer.on("request", handler(() => httpPort, 1));
  httpsServer.on("request", handler(() => httpsPort, 1));
  v2Server.on("request", handler(() => v2Port, 2));
  // No WebSocket or other upgrade on these ports.
  for (const server of [httpServer, httpsServer, v2Server]) server.on("upgrade", (_request, socket) => socket.destroy());
  const http = await listenExclusive(httpServer, options.ports.http);
  const https = await listenExclusive(httpsServer, options.ports.https);
  const v2 = await listenExclusive(v2Server, options.ports.v2);
  if (http.state === "listening") httpPort = http.port;
  if (https.state === "listening") httpsPort = https.port;
  if (v2.state === "listening") v2Port = v2.port;
  return {
    http,
    https,
    v2,
    updateTls(tls) {
      httpsServer.setSecureContext({ cert: tls.cert, key: tls.key, minVersion: "TLSv1.2" });
      v2Server.setSecureContext({ cert: tls.cert, key: tls.key, minVersion: "TLSv1.2" });
    },
    async close() {
      await Promise.all([closeServer(httpServer), closeServer(httpsServer), closeServer(v2Server)]);
    },
  };
}

/** The body as text, or undefined past `max` bytes (the socket is then not read further). */
function readBody(request: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!over) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    request.on("error", reject);
  });
}


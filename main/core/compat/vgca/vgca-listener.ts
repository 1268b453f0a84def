/**
 * The VGCA Sign Service adapter: `wss://127.0.0.1:8987/<Endpoint>` with the bridge's local certificate. A page opens
 * a socket per call, sends one text message and reads one JSON string. Gates, in order, before any byte of the
 * message is read: Host exactly `127.0.0.1:<port>`, Origin exactly one of `compatibility.vgca.origins`, a known
 * endpoint, a connection slot (the bridge's limits). A refused upgrade gets a bare status line and no body.
 * The plain `GET /` portals send users to ("accept the certificate") answers a small page saying KySo is running.
 */
import { message } from "../../../domain/messages/index.js";
import { createServer, type Server as HttpsServer } from "node:https";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Language } from "../../../domain/errors/kyso-error.js";
import type { SignResult, VerificationReport } from "../../../domain/wire/protocol.js";
import type { HelloResult, CertificateSummary } from "../../../domain/wire/protocol.js";
import type { BridgeLimits } from "../../policy/policy-schema.js";
import type { ConnectionLimits } from "../../bridge/connection-limits.js";
import { closeServer, hostIsLoopback, listenExclusive, type ListenOutcome } from "../compat-listen.js";
import type { KysoGateway } from "../kyso-gateway.js";
import { systemResolver, type HostResolver } from "./vgca-file-flow.js";
import { runFileFlow } from "./vgca-file-run.js";
import { isVgcaEndpoint, planVgca, renderVgcaError, renderVgcaSign, renderVgcaVerify, VGCA_STATUS, type VgcaEndpoint, type VgcaReply } from "./vgca-wire.js";

export const VGCA_PORT = 8987;

/** The page portals tell users to open to accept the certificate: both languages, from the catalogue. */
const RUNNING_PAGE =
  '<!doctype html><html lang="vi"><meta charset="utf-8"><title>KySo</title>' +
  `<p>${message("vi", "compat.vgca.runningPage")} / <span lang="en">${message("en", "compat.vgca.runningPage")}</span></p></html>`;

export interface VgcaListener {
  readonly outcome: ListenOutcome;
  updateTls(tls: { cert: string; key: string }): void;
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: 403 | 404 | 503): void {
  const text = { 403: "Forbidden", 404: "Not Found", 503: "Service Unavailable" }[status];
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startVgcaListener(options: {
  readonly port: number;
  readonly tls: { cert: string; key: string };
  readonly gateway: KysoGateway;
  readonly limits: BridgeLimits;
  readonly connections: ConnectionLimits;
  /** The app's language, for a verification's `Message` (errors come worded from the controller already). */
  readonly language: () => Language;
  /** How file-flow hosts are resolved (tests inject one); default the system resolver. */
  readonly resolveHost?: HostResolver;
}): Promise<VgcaListener> {
  const { gateway, limits, connections } = options;
  const resolveHost = options.resolveHost ?? systemResolver;
  // As for the main protocol: a document no larger than one message could carry, each exchange within the idle time.
  const flowLimits = { maxBytes: Math.floor((limits.maxMessageBytes * 3) / 4), timeoutMs: limits.idleTimeoutSeconds * 1000 };
  const server: HttpsServer = createServer({ cert: options.tls.cert, key: options.tls.key, minVersion: "TLSv1.2" });
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false });
  let port = options.port;

  server.on("request", (request: IncomingMessage, response) => {
    const path = new URL(request.url ?? "/", "https://127.0.0.1").pathname;
    if (request.method === "GET" && path === "/" && hostIsLoopback(request.headers.host, port)) {
      // No CORS header: a page cannot read this, only the user who opens it in a tab.
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" }).end(RUNNING_PAGE);
      return;
    }
    response.writeHead(request.method === "GET" ? 404 : 405, { Connection: "close", "Content-Length": "0" }).end();
  });

  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    if (!hostIsLoopback(request.headers.host, port)) return refuse(socket, 403);
    const origin = gateway.listedOrigin(request.headers.origin);
    if (!origin) return refuse(socket, 403);
    const endpoint = new URL(request.url ?? "/", "https://127.0.0.1").pathname.slice(1);
    if (!isVgcaEndpoint(endpoint)) return refuse(socket, 404);
    const slot = connections.tryAcquire(origin, "trusted");
    if (!slot) return refuse(socket, 503);
    if (socket.destroyed) return slot.release();
    socket.once("close", () => slot.release());
    try {
      wss.handleUpgrade(request, socket, head, (ws) => attach(ws, origin, endpoint));
    } catch {
      socket.destroy();
    }
  });

  function attach(ws: WebSocket, origin: string, endpoint: VgcaEndpoint): void {
    sockets.add(ws);
    const connectionId = gateway.newConnectionId();
    let answered = false;
    // One message per socket: a page that never sends it does not hold a slot for long.
    const idle = setTimeout(() => ws.terminate(), limits.idleTimeoutSeconds * 1000);
    idle.unref();
    const reply = (body: VgcaReply | Record<string, unknown>): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(body), () => ws.close(1000));
    };
    ws.on("message", (data, isBinary) => {
      if (answered) return;
      answered = true;
      clearTimeout(idle);
      if (isBinary) return reply({ Status: VGCA_STATUS.invalidInput, Message: "binary messages are not part of the protocol" });
      void answer(origin, connectionId, endpoint, Buffer.from(data as Buffer).toString("utf8"))
        .then(reply)
        .catch(() => reply({ Status: VGCA_STATUS.failed, Message: "internal error" }));
    });
    ws.on("error", () => ws.terminate());
    ws.on("close", () => {
      clearTimeout(idle);
      sockets.delete(ws);
      // The page went away: nothing is signed for it.
      gateway.withdraw(connectionId);
    });
  }

  async function answer(origin: string, connectionId: string, endpoint: VgcaEndpoint, text: string): Promise<VgcaReply | Record<string, unknown>> {
    const plan = planVgca(endpoint, text);
    switch (plan.kind) {
      case "reply":
        return plan.reply;
      case "version": {
        const outcome = await gateway.call(origin, connectionId, "hello");
        if (!outcome.ok) return renderVgcaError(outcome.error);
        const hello = outcome.result as HelloResult;
        return { Status: VGCA_STATUS.ok, Message: "", Version: `${hello.product} ${hello.version}` };
      }
      case "certificate": {
        const outcome = await gateway.call(origin, connectionId, "certificates.list", { filter: { validOnly: true } });
        if (!outcome.ok) return renderVgcaError(outcome.error);
        const [first] = outcome.result as CertificateSummary[];
        if (!first) return { Status: VGCA_STATUS.noCertificate, Message: "no usable certificate on the tokens" };
        return { Status: VGCA_STATUS.ok, Message: "", CertBase64: first.certificate };
      }
      case "sign": {
        const outcome = await gateway.call(origin, connectionId, "sign", plan.params);
        return outcome.ok ? renderVgcaSign(outcome.result as SignResult, plan.render) : renderVgcaError(outcome.error);
      }
      case "verify": {
        const outcome = await gateway.call(origin, connectionId, "verify", plan.params);
        return outcome.ok ? renderVgcaVerify(outcome.result as VerificationReport, options.language()) : renderVgcaError(outcome.error);
      }
      case "file":
        return runFileFlow({ gateway, resolveHost, limits: flowLimits }, origin, connectionId, plan.request);
    }
  }

  const outcome = await listenExclusive(server, options.port);
  if (outcome.state === "listening") port = outcome.port;
  return {
    outcome,
    updateTls(tls) {
      server.setSecureContext({ cert: tls.cert, key: tls.key, minVersion: "TLSv1.2" });
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await closeServer(server);
    },
  };
}

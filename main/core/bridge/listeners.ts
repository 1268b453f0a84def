/**
 * The two loopback listeners: `wss://127.0.0.1:<port>` (TLS 1.2+, the local certificate) and
 * `ws://127.0.0.1:<port2>`. Each tries its port list in order and takes the first free one. Nothing but a
 * WebSocket upgrade that passes the handshake gets through; plain HTTP requests get 426 and no body, except the one
 * reach path (reach.ts: `GET`/`OPTIONS /kyso/v1/reach`, allowlisted and paired origins only). A page whose
 * own origin is refused gets an upgrade that closes at once with 4001 (handshake.ts says which).
 */
import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { BridgeLimits } from "../policy/policy-schema.js";
import type { ServerMessage } from "../../domain/wire/protocol.js";
import type { ConnectionLimits, ConnectionPool } from "./connection-limits.js";
import type { ConnectionHandle } from "./controller.js";
import { checkHandshake } from "./handshake.js";
import { decideReach } from "./reach.js";
import { listenOnLoopback } from "./loopback-listen.js";

export interface ListenerHooks {
  readonly limits: BridgeLimits;
  readonly connections: ConnectionLimits;
  /** Which connection pool a new connection from this origin takes (trusted or unknown, from `originTrust`). */
  poolOf(origin: string): ConnectionPool;
  readonly developerOrigins: () => boolean;
  onMessage(connection: ConnectionHandle, text: string): void;
  onBinary(connection: ConnectionHandle): void;
  onOpen(connection: ConnectionHandle): void;
  onClose(connection: ConnectionHandle): void;
  /** A reach request answered for this origin (reach.ts; diagnostics and tests count them). */
  onReach?(origin: string): void;
}

export interface Listener {
  readonly scheme: "ws" | "wss";
  readonly port: number;
  /** New certificate for new TLS connections (renewal); open sockets keep theirs. */
  updateTls(tls: { cert: string; key: string }): void;
  close(): Promise<void>;
}

/** How long a refused origin's socket waits for the page's answer to the close frame before it is dropped. */
export const REFUSAL_CLOSE_TIMEOUT_MS = 2000;

/**
 * Seconds a page is told to wait when its pool is full (HTTP 503). Slots come back as soon as a socket closes, so
 * a short wait; the header lets the SDK (and any client) retry instead of treating "full" like "refused".
 */
export const POOL_FULL_RETRY_AFTER_SECONDS = 5;

function refuse(socket: Duplex, status: 400 | 403 | 404 | 503): void {
  const text = { 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 503: "Service Unavailable" }[status];
  const retry = status === 503 ? `Retry-After: ${POOL_FULL_RETRY_AFTER_SECONDS}\r\n` : "";
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${retry}Content-Length: 0\r\n\r\n`);
}

export async function startListener(
  scheme: "ws" | "wss",
  ports: readonly number[],
  hooks: ListenerHooks,
  tls?: { cert: string; key: string },
): Promise<Listener> {
  const server: Server =
    scheme === "wss"
      ? createHttpsServer({ cert: tls?.cert, key: tls?.key, minVersion: "TLSv1.2" })
      : createHttpServer();
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: hooks.limits.maxMessageBytes, perMessageDeflate: false });
  // Refused origins' sockets (handshake.ts) read nothing: a tiny payload cap ends any frame they are sent at once.
  const refusals = new WebSocketServer({ noServer: true, maxPayload: 125, perMessageDeflate: false });

  const port = await listenOnFirstFree(server, ports);

  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const reach = decideReach(request, { port, developerOrigins: hooks.developerOrigins(), trusted: (origin) => hooks.poolOf(origin) === "trusted" });
    if (reach.kind === "not_reach") return void response.writeHead(426, { Connection: "close" }).end();
    if (reach.kind === "refuse") return void response.writeHead(reach.status, { Connection: "close", "Content-Length": "0" }).end();
    // Counted like a connection of that origin (trusted pool) while it lasts, so the reach path is no way round
    // the connection limits; over them, the same bare 503 an upgrade gets.
    const slot = hooks.connections.tryAcquire(reach.origin, "trusted");
    if (!slot) return void response.writeHead(503, { Connection: "close", "Retry-After": String(POOL_FULL_RETRY_AFTER_SECONDS), "Content-Length": "0" }).end();
    response.once("close", () => slot.release());
    hooks.onReach?.(reach.origin);
    response.writeHead(reach.status, reach.headers).end(request.method === "GET" ? reach.body : undefined);
  });

  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const check = checkHandshake({
      host: request.headers.host,
      origin: request.headers.origin,
      port,
      developerOrigins: hooks.developerOrigins(),
    });
    if (!check.ok && "status" in check) return refuse(socket, check.status);
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (path !== "/") return refuse(socket, 404);
    const origin = check.ok ? check.origin.origin : check.origin;
    // A refused origin takes a slot in the unknown pool like any unknown page: answering it with a close code must
    // not open a way round the capacity rules (over the limit it gets the cheap 503, as everyone does).
    const slot = hooks.connections.tryAcquire(origin, check.ok ? hooks.poolOf(origin) : "unknown");
    if (!slot) return refuse(socket, 503);
    // The slot belongs to the TCP socket, not to the WebSocket: every path (ws aborting a broken upgrade, a
    // client vanishing mid-handshake, a socket error, a WebSocket closed later) ends with this one `close`, and
    // `release` works once. Waiting for the WebSocket's own close leaked the slot of every aborted upgrade.
    if (socket.destroyed) return slot.release();
    socket.once("close", () => slot.release());
    try {
      if (check.ok) wss.handleUpgrade(request, socket, head, (ws) => attach(ws, origin));
      else refusals.handleUpgrade(request, socket, head, (ws) => refuseWithClose(ws, check.closeCode));
    } catch {
      socket.destroy();
    }
  });

  /** Opens only to close: the page sees an open socket closed with `code` (4001), not a failed one (1006). */
  function refuseWithClose(ws: WebSocket, code: number): void {
    sockets.add(ws);
    // A page that never answers the close frame is dropped after REFUSAL_CLOSE_TIMEOUT_MS, not ws's 30 s, so the
    // slot comes back soon.
    const drop = setTimeout(() => ws.terminate(), REFUSAL_CLOSE_TIMEOUT_MS);
    drop.unref();
    ws.on("error", () => ws.terminate());
    ws.on("close", () => {
      clearTimeout(drop);
      sockets.delete(ws);
    });
    ws.close(code, "origin_not_allowed");
  }

  function attach(ws: WebSocket, origin: string): void {
    sockets.add(ws);
    const handle: ConnectionHandle = {
      id: randomBytes(12).toString("base64url"),
      origin,
      send(message: ServerMessage) {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
    };
    let alive = true;
    const pinger = setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, (hooks.limits.idleTimeoutSeconds * 1000) / 2);
    pinger.unref();
    ws.on("pong", () => (alive = true));
    ws.on("message", (data, isBinary) => {
      alive = true;
      if (isBinary) hooks.onBinary(handle);
      else hooks.onMessage(handle, data.toString("utf8"));
    });
    ws.on("error", () => ws.terminate());
    ws.on("close", () => {
      clearInterval(pinger);
      sockets.delete(ws);
      hooks.onClose(handle);
    });
    hooks.onOpen(handle);
  }

  return {
    scheme,
    port,
    updateTls(tls) {
      if (scheme === "wss") (server as HttpsServer).setSecureContext({ cert: tls.cert, key: tls.key, minVersion: "TLSv1.2" });
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      refusals.close();
      server.closeAllConnections?.();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

async function listenOnFirstFree(server: Server, ports: readonly number[]): Promise<number> {
  let lastError: unknown;
  for (const port of ports) {
    try {
      // Loopback only: the bridge must never be reachable from the network.
      return await listenOnLoopback(server, port);
    } catch (error) {
      lastError = error;
      if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" && (error as NodeJS.ErrnoException).code !== "EACCES") break;
    }
  }
  throw new Error(`no free port among ${ports.join(", ")}`, { cause: lastError });
}

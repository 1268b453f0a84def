/**
 * The browser transport, the Electron preload's stand-in for `npm run sandbox` and the e2e tests: serves the built
 * renderer over HTTP on loopback and gives the page a `window.kyso` that talks over a WebSocket to `invokeAppMethod(core.handlers, ...)`, the same door the Electron
 * IPC uses, and forwards `core.onEvent` events. Every URL carries a random secret; anything without it is refused,
 * and the WebSocket also checks the Origin, so another page on the machine cannot drive the core through it.
 *
 * Windows are modelled as in Electron: the page opened on `#/approval` is the approval surface, any other the main
 * surface, fixed when the page loads (the client script puts it on the socket URL, as the main process fixes a
 * window's surface when it creates it). Every call passes `methodRefusal`, the sender check's own surface rule.
 * The top-frame and renderer-origin checks have no counterpart here: the secret URL and the Origin check stand in.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve, sep } from "node:path";
import { rendererFile, rendererMediaType } from "../../main/electron/renderer-assets.js";
import { WebSocketServer, type WebSocket } from "ws";
import { type AppEvent, type AppEvents, type AppHandlers } from "../../main/core/app-api/contract.js";
import { invokeAppMethod, type InvokeOutcome } from "../../main/core/app-api/invoke.js";
import type { Language } from "../../main/domain/errors/kyso-error.js";
import { contentSecurityPolicy } from "../../main/electron/csp.js";
import { methodRefusal } from "../../main/electron/sender-check.js";
import { KysoError } from "../../main/domain/errors/kyso-error.js";
import type { KysoSurface } from "../../preload/api.js";
import { CLIENT_SCRIPT } from "./client-script.js";
import { ensureRendererBuilt } from "./ensure-renderer-built.js";

/** The part of `KysoCore` the transport needs (main/core/kyso-core.ts). */
export interface TransportCore {
  readonly handlers: AppHandlers;
  onEvent<E extends AppEvent>(event: E, listener: (payload: AppEvents[E]) => void): () => void;
}

export interface BrowserTransportOptions {
  readonly core: TransportCore;
  /** Defaults to dist/renderer, built first when missing or stale. */
  readonly rendererDir?: string;
  readonly host?: "127.0.0.1";
  readonly port?: number;
}

export interface BrowserTransport {
  /** `http://127.0.0.1:PORT/<secret>/`: append `#/approval` etc. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Frames larger than this are refused. The biggest legitimate one is `verify.file` with a file of the default
 * verify limit (verify-handlers.ts `verifyFileLimit`: 48 MiB decoded, 64 MiB of base64) and its JSON envelope; a
 * larger file under a policy that allows it is the Electron IPC's business, the transport is for tests and the sandbox.
 */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024 * 1024 + 64 * 1024;

const EVENTS: readonly AppEvent[] = ["approvalsChanged", "tokensChanged", "settingsChanged", "files.opened"];
export async function startBrowserTransport(options: BrowserTransportOptions): Promise<BrowserTransport> {
  const { core } = options;
  const rendererDir = resolve(options.rendererDir ?? (await ensureRendererBuilt()));
  const secret = randomBytes(24).toString("hex");
  const prefix = `/${secret}/`;

  let language: Language = "en";
  try {
    language = (await core.handlers["settings.get"]()).language;
  } catch {
    // a partial core (the skeleton) has no settings yet: English messages
  }
  const unsubscribes = [core.onEvent("settingsChanged", (settings) => (language = settings.language))];

  const hasSecret = (path: string): boolean => {
    const given = Buffer.from(path.slice(0, prefix.length));
    const wanted = Buffer.from(prefix);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  };

  const server = createServer((request, response) => {
    void serve(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    if (request.method !== "GET" || !hasSecret(path)) {
      response.writeHead(404).end();
      return;
    }
    const relative = path.slice(prefix.length) || "index.html";
    const headers = { "Content-Security-Policy": contentSecurityPolicy("header"), "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
    if (relative === "kyso-transport.js") {
      response.writeHead(200, { ...headers, "Content-Type": rendererMediaType(relative) }).end(CLIENT_SCRIPT);
      return;
    }
    const file = rendererFile(rendererDir, relative);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      response.writeHead(404).end();
      return;
    }
    if (file.endsWith(`${sep}index.html`)) {
      // A classic script in <head> runs before the deferred module scripts, so `window.kyso` exists when the app starts.
      body = Buffer.from(body.toString("utf8").replace("</head>", '  <script src="./kyso-transport.js"></script>\n  </head>'));
    }
    response.writeHead(200, { ...headers, "Content-Type": rendererMediaType(file) }).end(body);
  }

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
  server.on("upgrade", (request, socket, head) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const address = server.address() as AddressInfo;
    if (path !== `${prefix}ws` || !hasSecret(path) || request.headers.origin !== `http://127.0.0.1:${address.port}`) {
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    // Anything but an explicit approval surface is the main one: the stricter rule for the decision methods.
    const surface: KysoSurface = new URL(request.url ?? "/", "http://127.0.0.1").searchParams.get("surface") === "approval" ? "approval" : "main";
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on("close", () => sockets.delete(ws));
      ws.on("message", (data) => {
        let frame: { id?: unknown; method?: unknown; params?: unknown };
        try {
          frame = JSON.parse(String(data)) as typeof frame;
        } catch {
          ws.close(1003, "bad frame");
          return;
        }
        if (typeof frame.id !== "number") return;
        const id = frame.id;
        const refusal = methodRefusal(surface, frame.method);
        const answer: Promise<InvokeOutcome> = refusal
          ? Promise.resolve({ ok: false, error: new KysoError("invalid_params", refusal).toPayload(language) })
          : invokeAppMethod(core.handlers, frame.method, frame.params, language);
        void answer.then((outcome) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, outcome }));
        });
      });
    });
  });

  for (const event of EVENTS) {
    unsubscribes.push(
      core.onEvent(event, (payload) => {
        const text = JSON.stringify({ event, payload });
        for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
      }),
    );
  }

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, host, () => done());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}${prefix}`,
    async close() {
      for (const off of unsubscribes) off();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}


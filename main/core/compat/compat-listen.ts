/**
 * Listening for a vendor adapter. A vendor page calls one fixed port, so there is no fallback list: when the port
 * is held (normally by the genuine vendor service) KySo does not fight for it, reports `port-in-use` in
 * diagnostics and leaves that vendor's portals to the vendor's service.
 */
import type { Server } from "node:http";
import { listenOnLoopback } from "../bridge/loopback-listen.js";

export type ListenOutcome = { readonly state: "listening"; readonly port: number } | { readonly state: "port-in-use" };

export async function listenExclusive(server: Server, port: number): Promise<ListenOutcome> {
  let bound: number;
  try {
    // Loopback only, and exclusive: never shared with (or stolen from) another process.
    bound = await listenOnLoopback(server, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE" || code === "EACCES") return { state: "port-in-use" };
    throw error;
  }
  return { state: "listening", port: bound };
}

/**
 * The vendor scripts call `127.0.0.1:<port>` and nothing else: any other Host (a rebinding name, `localhost`, another
 * port) is refused, as on the bridge (handshake.ts), before anything else is looked at.
 */
export function hostIsLoopback(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}`;
}

export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections?.();
  await new Promise<void>((done) => server.close(() => done()));
}

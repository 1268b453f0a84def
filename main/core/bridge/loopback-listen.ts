/**
 * Listening on the loopback address only, never shared: the bridge (listeners.ts, trying its port list) and each
 * vendor adapter (compat/compat-listen.ts, one fixed port) both listen here, so neither is ever reachable from the
 * network nor shares a port with (or steals one from) another process.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Resolves with the bound port; rejects with the listen error (EADDRINUSE, EACCES, ...). */
export async function listenOnLoopback(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ port, host: "127.0.0.1", exclusive: true });
  });
  return (server.address() as AddressInfo).port;
}

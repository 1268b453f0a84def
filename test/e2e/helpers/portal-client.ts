/**
 * A portal as the bridge sees it: a WebSocket to the loopback listener with the portal's Origin, speaking the
 * JSON-RPC protocol of sdk/src/protocol.ts. Node's `ws` lets the test set the Origin a browser would send.
 */
import { WebSocket } from "ws";
import type { ErrorObject, Method, Methods } from "../../../sdk/src/protocol.js";

export class PortalError extends Error {
  readonly code: string;
  constructor(readonly error: ErrorObject) {
    super(error.message);
    this.code = error.data.name;
  }
}

export interface PortalClient {
  call<M extends Method>(method: M, params?: Methods[M]["params"]): Promise<Methods[M]["result"]>;
  close(): void;
}

export async function connectPortal(port: number, origin: string): Promise<PortalClient> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`, { origin });
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: ErrorObject };
    if (typeof message.id !== "number") return; // notifications (tokensChanged, batchProgress)
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiter?.reject(new PortalError(message.error));
    else waiter?.resolve(message.result);
  });
  socket.on("close", () => {
    for (const waiter of pending.values()) waiter.reject(new Error("bridge connection closed"));
    pending.clear();
  });
  return {
    call(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        socket.send(JSON.stringify({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) }));
      });
    },
    close: () => socket.close(),
  };
}

/**
 * Entry point of a token host process: one process per PKCS#11 module, started by the supervisor in
 * main/core/tokens through a HostSpawner (child_process.fork in tests and the sandbox, Electron's utilityProcess
 * in the app). The module path is the first argument.
 *
 * The process never calls C_Finalize: it exits when the parent goes away, and a hung or crashed module is
 * handled by the parent killing it. It prints nothing: no request, reply or PIN ever reaches stdout/stderr.
 */
import { toKysoError } from "../../main/domain/errors/index.js";
import { MAX_MESSAGE_BYTES, requestSchema, type HostResponse } from "./protocol.js";
import { TokenHost } from "./token-host.js";

interface ParentPort {
  send(message: HostResponse): void;
  onMessage(listener: (message: unknown) => void): void;
  onClose(listener: () => void): void;
}

/** Electron's utilityProcess exposes `process.parentPort`; child_process.fork exposes `process.send`. */
function parentPort(): ParentPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (message) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on("message", (event) => listener(event.data)),
      onClose: (listener) => electronPort.on("close", listener),
    };
  }
  if (!process.send) throw new Error("token host must be started with an IPC channel");
  return {
    send: (message) => void process.send?.(message),
    onMessage: (listener) => process.on("message", listener),
    onClose: (listener) => process.on("disconnect", listener),
  };
}

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: "message", listener: (event: { data: unknown }) => void): void;
  on(event: "close", listener: () => void): void;
}

/** The catalogue payload plus the non-secret detail (CKR name, loader message) for diagnostics. */
function payloadOf(error: unknown): HostResponse extends infer R ? (R extends { ok: false; error: infer E } ? E : never) : never {
  const kyso = toKysoError(error);
  const detail = kyso.message.startsWith(`${kyso.code}: `) ? kyso.message.slice(kyso.code.length + 2) : undefined;
  const payload = kyso.toPayload();
  return { ...payload, details: { ...(payload.details ?? {}), ...(detail ? { detail } : {}) } };
}

function main(): void {
  const modulePath = process.argv[2];
  if (!modulePath) throw new Error("usage: host-main <pkcs11 module path>");
  const host = new TokenHost(modulePath);
  const port = parentPort();
  port.onClose(() => process.exit(0));
  port.onMessage((message) => {
    const id = typeof (message as { id?: unknown })?.id === "number" ? (message as { id: number }).id : -1;
    if (JSON.stringify(message).length > MAX_MESSAGE_BYTES) {
      port.send({ id, ok: false, error: toKysoError(new Error("request too large")).toPayload() });
      return;
    }
    const parsed = requestSchema.safeParse(message);
    if (!parsed.success) {
      port.send({ id, ok: false, error: { code: "invalid_params", message: "malformed host request", retriable: false } });
      return;
    }
    const request = parsed.data;
    host.handle(request.op, request.params).then(
      (result) => port.send({ id: request.id, ok: true, result }),
      (error: unknown) => port.send({ id: request.id, ok: false, error: payloadOf(error) }),
    );
  });
}

main();

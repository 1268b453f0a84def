/**
 * The URLs the test certificates name (http://127.0.0.1:<port>/ocsp, /crl/ca.crl, /aia/ca.der) served by one
 * node:http server on 127.0.0.1. /ocsp relays to the real `openssl ocsp` responder, or misbehaves on purpose:
 * tamper a signed byte, replay an old answer (wrong nonce), strip the request's nonce, hang, reset. Every request
 * is counted per path.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as pkijs from "pkijs";

export type OcspMode = "relay" | "tamper" | "replay" | "strip-nonce" | "hang" | "reset" | "huge";
export type CrlMode = "pem" | "der" | "rogue" | "missing";

export interface Router {
  readonly baseUrl: string;
  readonly counts: Map<string, number>;
  ocspMode: OcspMode;
  crlMode: CrlMode;
  /** Where /ocsp relays to (the openssl responder). */
  responderUrl: string;
  files: { crlPem?: Uint8Array; crlDer?: Uint8Array; rogueDer?: Uint8Array; caDer?: Uint8Array };
  /** More paths (another PKI's CRL, or an OCSP path relayed to another responder), served as they are. */
  extra: Map<string, { readonly type: string; readonly data: Uint8Array } | { readonly relay: string }>;
  count(path: string): number;
  resetCounts(): void;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function relay(url: string, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers: { "Content-Type": "application/ocsp-request", "Content-Length": payload.length } }, (res) => {
      body(res).then(resolve, reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** Changes one digit of producedAt (GeneralizedTime, 15 bytes): still DER, no longer what the responder signed. */
function tamper(response: Buffer): Buffer {
  const copy = Buffer.from(response);
  const at = copy.findIndex((byte, i) => byte === 0x18 && copy[i + 1] === 0x0f && copy[i + 16] === 0x5a);
  if (at < 0) throw new Error("producedAt not found");
  const digit = at + 2 + 13; // last second digit
  copy[digit] = copy[digit] === 0x30 ? 0x31 : 0x30;
  return copy;
}

function withoutNonce(request: Buffer): Buffer {
  const parsed = pkijs.OCSPRequest.fromBER(request);
  const stripped = new pkijs.OCSPRequest({ tbsRequest: new pkijs.TBSRequest({ requestList: parsed.tbsRequest.requestList }) });
  return Buffer.from(stripped.toSchema(true).toBER());
}

export async function startRouter(): Promise<Router> {
  let replayed: Buffer | undefined;
  const counts = new Map<string, number>();
  const hanging = new Set<ServerResponse>();
  const state = {
    ocspMode: "relay" as OcspMode,
    crlMode: "pem" as CrlMode,
    responderUrl: "",
    files: {} as Router["files"],
    extra: new Map() as Router["extra"],
  };
  const send = (res: ServerResponse, type: string, data: Uint8Array): void => {
    res.writeHead(200, { "Content-Type": type, "Content-Length": data.length });
    res.end(data);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    if (path === "/ocsp" && req.method === "POST") {
      const payload = await body(req);
      switch (state.ocspMode) {
        case "hang":
          hanging.add(res);
          return;
        case "reset":
          req.socket.destroy();
          return;
        case "huge":
          return send(res, "application/ocsp-response", new Uint8Array(1024 * 1024));
        case "strip-nonce":
          return send(res, "application/ocsp-response", await relay(state.responderUrl, withoutNonce(payload)));
        case "tamper":
          return send(res, "application/ocsp-response", tamper(await relay(state.responderUrl, payload)));
        case "replay":
          replayed ??= await relay(state.responderUrl, payload);
          return send(res, "application/ocsp-response", replayed);
        default:
          return send(res, "application/ocsp-response", await relay(state.responderUrl, payload));
      }
    }
    if (path === "/crl/ca.crl") {
      const data = state.crlMode === "pem" ? state.files.crlPem : state.crlMode === "der" ? state.files.crlDer : state.crlMode === "rogue" ? state.files.rogueDer : undefined;
      if (!data) {
        res.writeHead(404).end();
        return;
      }
      return send(res, "application/pkix-crl", data);
    }
    if (path === "/aia/ca.der" && state.files.caDer) return send(res, "application/pkix-cert", state.files.caDer);
    const extra = state.extra.get(path);
    if (extra && "relay" in extra) return send(res, "application/ocsp-response", await relay(extra.relay, await body(req)));
    if (extra) return send(res, extra.type, extra.data);
    if (path === "/redirect-file") {
      res.writeHead(302, { Location: "file:///etc/passwd" }).end();
      return;
    }
    res.writeHead(404).end();
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}`,
    counts,
    count: (path: string) => counts.get(path) ?? 0,
    resetCounts: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

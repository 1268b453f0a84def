/**
 * Clients that talk to the vendor adapters the way the vendor scripts do (one WebSocket message per call; form
 * POSTs), but with whatever Host and Origin headers a test wants.
 */
import { execFileSync } from "node:child_process";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";

export const VENDOR_PORTAL = "https://egov.example.gov.vn";

export interface VgcaCallOptions {
  readonly origin?: string | null;
  readonly host?: string;
  readonly ca?: string;
}

/** One VGCA call: opens `wss://127.0.0.1:<port>/<endpoint>`, sends `message`, resolves with the parsed reply. */
export function vgcaCall(port: number, endpoint: string, message: string | Buffer, options: VgcaCallOptions = {}): Promise<Record<string, unknown>> {
  const origin = options.origin === undefined ? VENDOR_PORTAL : options.origin;
  const socket = new WebSocket(`wss://127.0.0.1:${port}/${endpoint}`, {
    headers: { host: options.host ?? `127.0.0.1:${port}` },
    ...(origin !== null ? { origin } : {}),
    ...(options.ca ? { ca: options.ca } : { rejectUnauthorized: false }),
  });
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.once("open", () => socket.send(message));
    socket.once("message", (data) => {
      resolve(JSON.parse(String(data)) as Record<string, unknown>);
      socket.close();
    });
  });
}

/** The status of a refused upgrade (`Unexpected server response: 403` → 403). */
export async function vgcaRefusal(port: number, endpoint: string, options: VgcaCallOptions = {}): Promise<number | undefined> {
  try {
    await vgcaCall(port, endpoint, "x", options);
    return undefined;
  } catch (error) {
    const match = /Unexpected server response: (\d+)/.exec((error as Error).message);
    return match ? Number(match[1]) : -1;
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface PostOptions {
  readonly scheme?: "http" | "https";
  readonly method?: string;
  readonly origin?: string | null;
  readonly host?: string;
  readonly headers?: Record<string, string>;
  readonly ca?: string;
}

export function httpCall(port: number, path: string, body: string | undefined, options: PostOptions = {}): Promise<HttpAnswer> {
  const origin = options.origin === undefined ? VENDOR_PORTAL : options.origin;
  const headers: Record<string, string> = {
    host: options.host ?? `127.0.0.1:${port}`,
    ...(origin !== null ? { origin } : {}),
    ...(body !== undefined ? { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) } : {}),
    ...options.headers,
  };
  const send = options.scheme === "https" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      { host: "127.0.0.1", port, path, method: options.method ?? "POST", headers, ...(options.scheme === "https" ? (options.ca ? { ca: options.ca, servername: "127.0.0.1" } : { rejectUnauthorized: false }) : {}) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    request.on("error", reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

/** `xmlsec1 --verify` with the key of the certificate in KeyInfo (the fixture chain is not what is tested here). */
export function xmlsecVerifies(xml: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), "kyso-compat-xml-"));
  try {
    writeFileSync(join(dir, "signed.xml"), xml);
    const out = execFileSync("xmlsec1", ["--verify", "--insecure", "--enabled-reference-uris", "empty,same-doc", join(dir, "signed.xml")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return !/FAIL/.test(out);
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

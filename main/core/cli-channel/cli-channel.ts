/**
 * The app's end of the `kyso` command's channel (protocol.ts, docs/cli.md). Only the OS user reaches it:
 * - POSIX: a Unix domain socket `<dataDir>/cli.sock`, the data folder 0700 and the socket chmod 0600 right after
 *   bind (nobody else can even reach the folder in between). Node cannot read SO_PEERCRED, so the file modes ARE
 *   the peer check (docs/threat-model.md, "CLI channel").
 * - Windows: a named pipe; its default ACL gives other users read access only, which cannot send a request.
 * - Everywhere: every request carries the secret the app writes to `<dataDir>/cli.token` (0600) at each start,
 *   compared in constant time (`checkAuth`); a request without it is answered `origin_not_allowed` and closed.
 * Each request line is validated by `CliRequestSchema` and audited like a portal's request.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import type { AppHandlers } from "../app-api/contract.js";
import type { AuditEntryView } from "../app-api/views.js";
import type { CertificateInfo } from "../../domain/certificate.js";
import { certificateDisplayName } from "../../domain/display-name.js";
import { KysoError, toKysoError } from "../../domain/errors/kyso-error.js";
import { STAMP_PRESET_NAMES } from "../../domain/stamp-presets.js";
import { MAX_PDF_BYTES } from "../signing/limits.js";
import { cliSign, unattendedDecision, type CliSignDeps } from "./cli-sign.js";
import { CLI_MAX_LINE_BYTES, CLI_ORIGIN, CLI_TOKEN_FILE, CLI_UNATTENDED_ORIGIN, CliRequestSchema, cliChannelPath, type CliCertificate, type CliRequest, type CliResponse, type CliResults } from "./protocol.js";

export interface CliChannelDeps extends Omit<CliSignDeps, "refused" | "origins"> {
  readonly dataDir: string;
  /** Listen here instead of `cliChannelPath(dataDir)` (tests on Windows-length paths). */
  readonly path?: string;
  readonly handlers: Pick<AppHandlers, "verify.file">;
  readonly audit: { append(entry: AuditEntryView): Promise<void> };
  readonly now: () => Date;
}

export interface CliChannel {
  readonly path: string;
  start(): Promise<void>;
  close(): Promise<void>;
}

const POSIX = process.platform !== "win32";

export function createCliChannel(deps: CliChannelDeps): CliChannel {
  const path = deps.path ?? cliChannelPath(deps.dataDir);
  const tokenFile = join(deps.dataDir, CLI_TOKEN_FILE);
  const secret = randomBytes(32);
  const sockets = new Set<Socket>();
  let server: Server | undefined;

  const audit = async (method: string, origin: string, result: string, extra: Partial<AuditEntryView> = {}): Promise<void> =>
    deps.audit.append({ time: deps.now().toISOString(), origin, method, decision: "none", result, ...extra }).catch(() => undefined);

  const signDeps: CliSignDeps = {
    ...deps,
    origins: { attended: CLI_ORIGIN, unattended: CLI_UNATTENDED_ORIGIN },
    refused: (method, origin, error) => audit(method, origin, error.code),
  };

  async function certs(): Promise<CliResults["certs"]> {
    const listed = await deps.certificates();
    await audit("certificates.list", CLI_ORIGIN, "ok");
    return listed.map((c) => cliCertificate(c, (name) => unattendedDecision(deps.policy, c, name)));
  }

  async function verify(filePath: string): Promise<CliResults["verify"]> {
    const bytes = await readBounded(filePath);
    const { report } = await deps.handlers["verify.file"]({ fileName: filePath.split(/[\\/]/).pop() ?? "file", base64: Buffer.from(bytes).toString("base64") });
    await audit("verify", CLI_ORIGIN, "ok", { verdict: report.result.indication });
    return { path: filePath, report };
  }

  async function answer(request: CliRequest): Promise<unknown> {
    switch (request.method) {
      case "certs":
        return certs();
      case "sign":
        return cliSign(request.params, signDeps);
      case "verify":
        return verify(request.params.path).catch(async (error: unknown) => {
          await audit("verify", CLI_ORIGIN, toKysoError(error).code);
          throw error;
        });
    }
  }

  async function handleLine(socket: Socket, line: string): Promise<void> {
    let id = 0;
    let response: CliResponse;
    try {
      const raw: unknown = JSON.parse(line);
      id = typeof (raw as { id?: unknown })?.id === "number" ? (raw as { id: number }).id : 0;
      if (!checkAuth(secret, (raw as { auth?: unknown })?.auth)) {
        await audit("cli", CLI_ORIGIN, "origin_not_allowed");
        throw new KysoError("origin_not_allowed", "missing or wrong cli.token secret");
      }
      const parsed = CliRequestSchema.safeParse(raw);
      if (!parsed.success) throw new KysoError("invalid_params", `${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? "bad request"}`);
      response = { id, ok: true, result: await answer(parsed.data) };
    } catch (error) {
      response = { id, ok: false, error: toKysoError(error).toPayload(deps.language()) };
    }
    if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
    if (!response.ok && response.error.code === "origin_not_allowed") socket.end();
  }

  function onConnection(socket: Socket): void {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let buffered = "";
    // One request at a time per connection, in order.
    let chain = Promise.resolve();
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      if (Buffer.byteLength(buffered) > CLI_MAX_LINE_BYTES) {
        socket.destroy();
        return;
      }
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim() === "") continue;
        chain = chain.then(() => handleLine(socket, line));
      }
    });
  }

  return {
    path,
    async start() {
      // A socket left by a crash would make listen fail with EADDRINUSE; the app is single-instance per data folder.
      if (POSIX) rmSync(path, { force: true });
      writeFileSync(tokenFile, secret.toString("hex"), { mode: 0o600 });
      if (POSIX) chmodSync(tokenFile, 0o600);
      server = createServer(onConnection);
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(path, () => {
          server!.off("error", reject);
          resolve();
        });
      });
      if (POSIX) chmodSync(path, 0o600);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server = undefined;
      rmSync(tokenFile, { force: true });
      if (POSIX) rmSync(path, { force: true });
    },
  };
}

/** The request's secret against this start's: constant time, and only well-formed hex of the right length. */
function checkAuth(secret: Buffer, auth: unknown): boolean {
  if (typeof auth !== "string" || !/^[0-9a-f]{64}$/.test(auth)) return false;
  return timingSafeEqual(secret, Buffer.from(auth, "hex"));
}

/** The whole file, refused above the largest document KySo reads (the verify handler applies the policy's limit). */
async function readBounded(path: string): Promise<Uint8Array> {
  if (!/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path)) throw new KysoError("invalid_params", "the path must be absolute");
  try {
    const handle = await open(path, "r");
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new KysoError("file_unreadable", `${path} is not a file`, { path });
      if (info.size > MAX_PDF_BYTES) throw new KysoError("document_too_large", `${info.size} bytes`, { path });
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof KysoError) throw error;
    throw new KysoError("file_unreadable", `${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { path });
  }
}

function cliCertificate(c: CertificateInfo, unattendedFor: (preset: string) => boolean): CliCertificate {
  return {
    id: c.id,
    fingerprintSha256: c.fingerprintSha256,
    subject: certificateDisplayName(c.subject),
    issuer: certificateDisplayName(c.issuer),
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    valid: c.valid,
    problems: [...c.problems],
    ...(c.label ? { label: c.label } : {}),
    unattended: STAMP_PRESET_NAMES.some(unattendedFor),
  };
}

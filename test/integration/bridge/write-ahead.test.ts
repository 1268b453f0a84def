/**
 * Write-ahead audit (threat model, "Audit"): a signature reaches the page only after its audit line is fsync'd.
 * A child process runs a core with a software signer and auto-approval; the client pipelines up to 1,000 `sign`
 * requests and SIGKILLs the child the moment it has received KILL_AT signatures (an event, not a timer). Every
 * signature the client received, including any that arrived after the kill was sent, must have its audit line.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createAuditLog } from "../../../main/core/audit/audit-log.js";

const CHILD = fileURLToPath(new URL("./write-ahead-child.ts", import.meta.url));
const PORTAL = "https://portal.example.gov.vn";
const REQUESTS = 1000;
const KILL_AT = 150;
const IN_FLIGHT = 8;

let dataDir: string | undefined;
afterEach(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe("write-ahead audit", () => {
  it("SIGKILL mid-run: every signature the page received has a durable audit line", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "kyso-write-ahead-"));
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dataDir], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on("line", (line) => {
        const match = /^READY (\d+)$/.exec(line);
        if (match) resolve(Number(match[1]));
      });
      child.once("exit", () => reject(new Error("child exited before READY")));
    });

    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { origin: PORTAL });
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const digests = Array.from({ length: REQUESTS }, (_, i) => createHash("sha256").update(`document ${i}`).digest());
    const received: string[] = [];
    let sent = 0;
    const sendNext = (): void => {
      if (sent >= REQUESTS || child.killed) return;
      const id = sent++;
      socket.send(JSON.stringify({ jsonrpc: "2.0", id, method: "sign", params: { format: "raw", hash: digests[id]!.toString("base64") } }));
    };
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: { signature?: string } };
      if (typeof message.id !== "number" || !message.result?.signature) return;
      received.push(digests[message.id]!.toString("hex"));
      // Killed at once, inside the handler that saw the signature: the child gets no time to catch up.
      if (received.length === KILL_AT) child.kill("SIGKILL");
      sendNext();
    });
    const socketClosed = new Promise((resolve) => socket.once("close", resolve));
    for (let i = 0; i < IN_FLIGHT; i++) sendNext();

    expect(await exited).toBe("SIGKILL");
    await socketClosed;
    expect(received.length).toBeGreaterThanOrEqual(KILL_AT);

    const audited = new Set(
      (await createAuditLog(dataDir).list({ limit: 100_000 }))
        .filter((e) => e.method === "sign" && e.result === "ok" && e.decision === "approved")
        .map((e) => e.documentSha256),
    );
    const missing = received.filter((digest) => !audited.has(digest));
    expect(missing).toEqual([]);
  }, 60_000);
});

/**
 * Capacity belongs to trusted origins (threat model, "Resource limits"): slots never leak, unknown origins share a
 * small pool, pairing prompts cannot be flooded, refusals are audited as counts. A bridge without tokens (the
 * transport is what is tested); signing under load is in untrusted-load.test.ts.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AuditEntryView } from "../../../main/core/app-api/views.js";
import { createAuditLog } from "../../../main/core/audit/audit-log.js";
import { createBridge, type Bridge } from "../../../main/core/bridge/bridge.js";
import type { BridgeServices } from "../../../main/core/bridge/command.js";
import { policySchema } from "../../../main/core/policy/policy-schema.js";
import { connect, errorName, PORTAL, tokenlessBridgeServices, type Client } from "./bridge-harness.js";

let dir: string | undefined;
let bridge: Bridge | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await bridge?.close();
  bridge = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(policy: Record<string, unknown> = {}, overrides: Partial<BridgeServices> = {}): Promise<{ port: number; services: BridgeServices }> {
  dir = await mkdtemp(join(tmpdir(), "kyso-untrusted-"));
  const services = tokenlessBridgeServices(dir, { policy: policySchema.parse({ allowedOrigins: [PORTAL], ...policy }), ...overrides });
  bridge = createBridge({ services, ports: { ws: [0], wss: [] }, tlsDir: join(dir, "tls") });
  await bridge.start();
  return { port: bridge.ports.ws!, services };
}

const unknown = (i: number): string => `https://site-${i}.example.com`;

/** Broken upgrade requests of every kind ws aborts, plus clients that vanish or reset mid-handshake. */
function brokenUpgrade(port: number, kind: number, origin: string): Promise<void> {
  const headers = (extra: string[]): string =>
    [`Host: 127.0.0.1:${port}`, `Origin: ${origin}`, "Connection: Upgrade", ...extra, "", ""].join("\r\n");
  const key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
  const requests = [
    `GET / HTTP/1.1\r\n${headers(["Upgrade: websocket", "Sec-WebSocket-Version: 13"])}`, // no key
    `GET / HTTP/1.1\r\n${headers(["Upgrade: websocket", key, "Sec-WebSocket-Version: 7"])}`, // bad version
    `GET / HTTP/1.1\r\n${headers(["Upgrade: websocket", "Sec-WebSocket-Key: short", "Sec-WebSocket-Version: 13"])}`, // bad key
    `POST / HTTP/1.1\r\n${headers(["Upgrade: websocket", key, "Sec-WebSocket-Version: 13"])}`, // wrong method
    `GET / HTTP/1.1\r\n${headers(["Upgrade: not-websocket", key, "Sec-WebSocket-Version: 13"])}`, // wrong upgrade
    `GET / HTTP/1.1\r\n${headers(["Upgrade: websocket", key, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Protocol: a,,b"])}`, // bad subprotocol
    `GET / HTTP/1.1\r\n${headers(["Upgrade: websocket", key, "Sec-WebSocket-Version: 13"])}`, // valid, then reset at once
  ];
  return new Promise((resolve) => {
    const socket = tcpConnect(port, "127.0.0.1", () => {
      socket.write(requests[kind % requests.length]!);
      if (kind % requests.length === requests.length - 1) socket.resetAndDestroy();
      else if (kind % 11 === 0) socket.destroy(); // gone before the answer
    });
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
    socket.on("close", () => resolve());
  });
}

describe("connection slots", () => {
  it("1,000 aborted upgrades leave no slot taken; the allowlisted portal still connects (8 times)", async () => {
    const { port } = await start();
    for (let batch = 0; batch < 1000; batch += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => brokenUpgrade(port, batch + i, (batch + i) % 2 === 0 ? PORTAL : unknown(i))));
    }
    // The server sees each client's FIN or RST a moment after the client's own close: no client-side event for it.
    await expect.poll(() => bridge!.connections.total, { timeout: 10_000 }).toBe(0);
    for (let i = 0; i < 8; i++) clients.push(await connect(port));
    expect("result" in (await clients[7]!.call("hello"))).toBe(true);
    expect(bridge!.connections.count("trusted", PORTAL)).toBe(8);
    for (const client of clients.splice(0)) {
      client.close();
      await client.closed;
    }
    await expect.poll(() => bridge!.connections.total, { timeout: 10_000 }).toBe(0);
  }, 60_000);

  it("unknown origins share their own small pool; a paired origin's old sockets stay in it, new ones are trusted", async () => {
    const { port, services } = await start({ limits: { maxUnknownConnections: 3, maxConnectionsPerUnknownOrigin: 2 } });
    clients.push(await connect(port, { origin: unknown(1) }), await connect(port, { origin: unknown(1) }));
    await expect(connect(port, { origin: unknown(1) })).rejects.toThrow("503");
    clients.push(await connect(port, { origin: unknown(2) }));
    await expect(connect(port, { origin: unknown(3) })).rejects.toThrow("503");
    services.pairings.add(unknown(1), new Date());
    clients.push(await connect(port, { origin: unknown(1) }));
    expect([bridge!.connections.count("unknown"), bridge!.connections.count("trusted", unknown(1))]).toEqual([3, 1]);
  });
});

describe("pairing prompts and refusals", () => {
  it("one prompt per origin (a second pair joins it), a global cap (busy), a cool-down after refusal (rate_limited + retryAfterMs)", async () => {
    const { port, services } = await start({ limits: { maxPendingPairPrompts: 2, pairRefusalCooldownSeconds: 600 } });
    const a = await connect(port, { origin: unknown(1) });
    clients.push(a);
    const asks = [a.call("pair"), a.call("pair"), a.call("pair")];
    await a.call("hello"); // answered after the three pairs were handled
    expect(services.approvals.list().filter((v) => v.kind === "pair")).toHaveLength(1);
    const b = await connect(port, { origin: unknown(2) });
    const c = await connect(port, { origin: unknown(3) });
    clients.push(b, c);
    const askB = b.call("pair");
    expect(errorName(await c.call("pair"))).toBe("busy");
    expect(services.approvals.list()).toHaveLength(2);
    services.approvals.reject(services.approvals.list().find((v) => v.origin.origin === unknown(1))!.id);
    for (const answer of await Promise.all(asks)) expect(answer).toMatchObject({ result: { granted: false } });
    const again = await a.call("pair");
    expect(errorName(again)).toBe("rate_limited");
    expect("error" in again && again.error.data.retryAfterMs).toBeGreaterThan(590_000);
    expect(services.approvals.list()).toHaveLength(1);
    services.approvals.reject(services.approvals.list()[0]!.id);
    await askB;
  });

  it("1,000 refused requests from unknown origins write a bounded number of coalesced audit lines", async () => {
    const fixed = new Date("2026-06-01T10:00:30.000Z");
    const { port } = await start({}, { now: () => fixed });
    const methods = ["tokens.list", "certificates.list", "sign", "no.such.method"];
    const sockets = await Promise.all(Array.from({ length: 4 }, (_, i) => connect(port, { origin: unknown(i) })));
    clients.push(...sockets);
    const names = new Map<string, number>();
    await Promise.all(
      sockets.map(async (socket, s) => {
        for (let i = 0; i < 250; i++) {
          const method = i % 10 === 9 ? `${methods[3]}.${s}.${i}` : methods[i % 3]!;
          const name = errorName(await socket.call(method, method === "sign" ? { format: "raw" } : undefined)) ?? "ok";
          names.set(name, (names.get(name) ?? 0) + 1);
        }
      }),
    );
    expect(names.get("ok")).toBeUndefined();
    await bridge!.close();
    bridge = undefined;
    const log = createAuditLog(dir!);
    const text = (await readFile(log.requestsFile, "utf8").catch(() => "")) + (await readFile(log.file, "utf8").catch(() => ""));
    const lines = text.trim().split("\n").map((l) => JSON.parse(l) as AuditEntryView);
    // 4 origins × (3 methods + unknown methods) × (origin_not_allowed | rate_limited | method_not_found) at most.
    expect(lines.length).toBeLessThanOrEqual(4 * 4 * 2);
    expect(lines.reduce((sum, l) => sum + (l.count ?? 1), 0)).toBe(1000);
    expect(lines.every((l) => l.method.length <= 64 && !l.method.startsWith("no.such.method."))).toBe(true);
  }, 60_000);
});

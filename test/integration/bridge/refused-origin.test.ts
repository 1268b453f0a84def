/**
 * A page whose own origin can never use KySo (an `http://` origin while developer origins are off, the opaque
 * `null` origin) is told so with close code 4001 after an accepted upgrade, so it can tell KySo's refusal from the
 * browser's Local Network Access block (a failed socket, 1006). Hostile requests keep their cheap HTTP 403, and the
 * refusals count in the unknown origins' small pool (docs/threat-model.md, "Reaching the bridge", "Resource limits").
 */
import { connect as tcpConnect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLOSE_CODES } from "../../../main/domain/wire/protocol.js";
import { connect, PORTAL, startBridgeHarness, type BridgeHarness } from "./bridge-harness.js";

const MAX_UNKNOWN = 3;
const PER_UNKNOWN_ORIGIN = 2;

let bridge: BridgeHarness;
beforeAll(async () => {
  bridge = await startBridgeHarness({ limits: { maxUnknownConnections: MAX_UNKNOWN, maxConnectionsPerUnknownOrigin: PER_UNKNOWN_ORIGIN } });
});
afterAll(() => bridge?.close());

interface RawUpgrade {
  readonly socket: Socket;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The close frame's code right after a 101, when the server sent one with the answer. */
  readonly closeCode: Promise<number | undefined>;
  readonly closed: Promise<void>;
}

/**
 * A browser-shaped upgrade on a raw TCP socket that never answers the close frame (what a stalled page would do),
 * so a test can see the server drop it and count its slot.
 */
function rawUpgrade(port: number, origin: string): Promise<RawUpgrade> {
  const socket = tcpConnect(port, "127.0.0.1");
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => undefined);
  let buffer = Buffer.alloc(0);
  let resolveClose: (code: number | undefined) => void = () => undefined;
  const closeCode = new Promise<number | undefined>((resolve) => (resolveClose = resolve));
  void closed.then(() => resolveClose(undefined));
  return new Promise((resolve, reject) => {
    let status: number | undefined;
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      if (status === undefined) {
        status = Number(/^HTTP\/1\.1 (\d{3})/.exec(buffer.toString("latin1"))?.[1]);
        resolve({ socket, status, closeCode, closed });
      }
      const frame = buffer.subarray(end + 4);
      // A close frame from the server: opcode 8 with FIN, unmasked, the code in its first two payload bytes.
      if (frame.length >= 4 && frame[0] === 0x88) resolveClose(frame.readUInt16BE(2));
    });
    socket.once("close", () => (status === undefined ? reject(new Error("closed before an answer")) : undefined));
    socket.write(
      `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ${origin}\r\n\r\n`,
    );
  });
}

describe("a page's own origin refused: upgrade accepted, closed with 4001", () => {
  it.each(["http://portal.example.gov.vn", "http://localhost:3000", "null"])("Origin %s → open, then close 4001 'origin_not_allowed', nothing answered", async (origin) => {
    const client = await connect(bridge.wsPort, { origin });
    // Sent at once on open: the refused socket reads nothing, so no answer ever comes.
    client.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "hello" }));
    const reason = new Promise<string>((resolve) => client.socket.once("close", (_code, why) => resolve(why.toString())));
    expect(await client.closed).toEqual({ code: CLOSE_CODES.originNotAllowed });
    expect(await reason).toBe("origin_not_allowed");
  });

  it("hostile requests still get the cheap 403, no upgrade", async () => {
    for (const origin of [`${PORTAL}/`, "https://user@portal.example.gov.vn", "chrome-extension://abcdefghijklmnop"]) {
      expect((await rawUpgrade(bridge.wsPort, origin)).status, origin).toBe(403);
    }
  });
});

describe("refusals cannot exhaust connections", () => {
  it("refused sockets take unknown-pool slots (then 503), never the portal's; a page that never answers the close is dropped and its slot returns", async () => {
    expect(bridge.core.bridge.connectionSlots).toBe(0);
    const held: RawUpgrade[] = [];
    for (let i = 0; i < PER_UNKNOWN_ORIGIN; i++) held.push(await rawUpgrade(bridge.wsPort, "http://a.example"));
    for (const upgrade of held) {
      expect(upgrade.status).toBe(101);
      expect(await upgrade.closeCode).toBe(CLOSE_CODES.originNotAllowed);
    }
    // Per origin, then in total, as for any unknown origin.
    expect((await rawUpgrade(bridge.wsPort, "http://a.example")).status).toBe(503);
    held.push(await rawUpgrade(bridge.wsPort, "null"));
    expect(held[2]!.status).toBe(101);
    expect(bridge.core.bridge.connectionSlots).toBe(MAX_UNKNOWN);
    expect((await rawUpgrade(bridge.wsPort, "http://b.example")).status).toBe(503);
    // The allowlisted portal's pool is untouched.
    const portal = await connect(bridge.wsPort);
    expect("result" in (await portal.call("hello"))).toBe(true);
    portal.close();
    await portal.closed;
    // None of the held sockets answers the close frame: the server drops each (REFUSAL_CLOSE_TIMEOUT_MS) and the
    // slots come back, so a stalled page cannot keep the pool full.
    await Promise.all(held.map((upgrade) => upgrade.closed));
    await expect.poll(() => bridge.core.bridge.connectionSlots).toBe(0);
    const again = await rawUpgrade(bridge.wsPort, "http://b.example");
    expect(again.status).toBe(101);
    again.socket.destroy();
  }, 20_000);
});

/**
 * Defects the protocol fuzzer (test/fuzz/protocol-fuzzer.ts) found, as focused tests on a real core: issue 9
 * defects 4 (a slot never returned when ws aborts an upgrade) and 5 (unknown origins taking every slot). They failed
 * before main/core/bridge tied a slot to its TCP socket and gave unknown origins their own pool.
 */
import { afterEach, describe, expect, it } from "vitest";
import { renderRequest, upgradeRequest } from "../../fuzz/protocol-upgrade.js";
import { openRaw } from "../../fuzz/protocol-wire.js";
import { createPrng } from "../../fuzz/prng.js";
import { connect, errorName, PORTAL, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

let bridge: BridgeHarness | undefined;
afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

type Headers = (readonly [string, string])[];
/** Upgrades that pass the bridge's Host and Origin checks and that ws then refuses (fuzz seed 902026 found the first). */
const ABORTED: readonly { what: string; change: (headers: Headers) => Headers; line?: string }[] = [
  { what: "no Sec-WebSocket-Key", change: (h) => h.filter(([n]) => n !== "Sec-WebSocket-Key") },
  { what: "Sec-WebSocket-Version 12", change: (h) => h.map(([n, v]) => [n, n === "Sec-WebSocket-Version" ? "12" : v] as const) },
  { what: "Upgrade: h2c", change: (h) => h.map(([n, v]) => [n, n === "Upgrade" ? "h2c" : v] as const) },
  { what: "Sec-WebSocket-Protocol: a, a", change: (h) => [...h, ["Sec-WebSocket-Protocol", "a, a"]] },
  { what: "POST", change: (h) => h, line: "POST / HTTP/1.1" },
];

async function abortedUpgrade(port: number, index: number): Promise<number | undefined> {
  const spec = ABORTED[index % ABORTED.length]!;
  const base = upgradeRequest(createPrng(index), PORTAL);
  const request = { ...base, headers: spec.change([...base.headers]), ...(spec.line ? { line: spec.line } : {}) };
  const connection = openRaw({ scheme: "ws", port });
  await connection.write(renderRequest(request, port));
  const status = await connection.status;
  await connection.closed;
  return status;
}

describe("connection slots (issue 9, defect 4)", () => {
  // Fails until defect 4 is fixed: the slot is taken before ws.handleUpgrade and only released on the WebSocket's
  // close, which never comes when ws aborts the upgrade.
  it("an upgrade that ws refuses after the Host and Origin checks gives its slot back", async () => {
    bridge = await startBridgeHarness();
    for (let i = 0; i < ABORTED.length; i++) {
      expect(await abortedUpgrade(bridge.wsPort, i)).toBeGreaterThanOrEqual(400);
      await expect.poll(() => bridge!.core.bridge.connectionSlots, { timeout: 2000 }).toBe(0);
    }
  });

  // Fails until defect 4 is fixed: 8 such requests take the portal's 8 slots for good.
  it("eight aborted upgrades do not lock the allowlisted portal out", async () => {
    bridge = await startBridgeHarness();
    for (let i = 0; i < 8; i++) await abortedUpgrade(bridge.wsPort, i);
    const client = await connect(bridge.wsPort);
    expect("result" in (await client.call("hello"))).toBe(true);
    client.close();
  });
});

describe("unknown origins and capacity (issue 9, defect 5)", () => {
  // Fails until defect 5 is fixed: 4 unknown origins × 8 sockets take all 32 slots and the portal gets 503
  // (fuzz seed 902026, flood cases).
  it("sockets from four unknown origins never starve the allowlisted portal", async () => {
    bridge = await startBridgeHarness();
    const held: Client[] = [];
    for (let o = 0; o < 4; o++) {
      for (let s = 0; s < 8; s++) {
        const client = await connect(bridge.wsPort, { origin: `https://unknown-${o}.example` }).catch(() => undefined);
        if (client) held.push(client);
      }
    }
    try {
      const portal = await connect(bridge.wsPort);
      expect(errorName(await portal.call("hello"))).toBeUndefined();
      portal.close();
    } finally {
      for (const client of held) client.close();
    }
  });
});

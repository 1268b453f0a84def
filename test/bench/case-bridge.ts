/**
 * Case 2, bridge overhead: raw `sign` of a SHA-256 hash through the wire (ws and wss, 1 and 16 connections),
 * beside the floor's full open+login+sign+logout cycle measured in this process just before, on the same key.
 * Overhead = round trip − floor. At 16 connections on one token the requests queue (one signer per token), so a
 * request also waits for the 15 ahead of it: that wait is the token's, and the per-request figure there is the
 * wall time per request (1 / throughput) − the floor.
 */
import { copyFixtureTokens } from "../fixtures/index.js";
import { closedLoop, signHash, startBenchBridge } from "./bridge-load.js";
import { measureFloor, report, row, size, target, watchLoop, type Row, type Target } from "./bench-lib.js";

const floorN = size("FLOOR_N", 1000, 30);
const perOne = size("BRIDGE_N", 1000, 30);
const perSixteen = size("BRIDGE_N16", 100, 3);

const tokens = await copyFixtureTokens();
const floor = await measureFloor(tokens, "personRsa", floorN, "RSA-2048");
await tokens.cleanup();
const base = floor.fullCycle;

const bench = await startBenchBridge();
const rows: Row[] = [floor.signOnly, base];
const targets: Target[] = [];
try {
  for (const scheme of ["ws", "wss"] as const) {
    for (const connections of [1, 16]) {
      const clients = await bench.connectClients(connections, scheme);
      // Warm-up: JIT, TLS session, first approval.
      await closedLoop(clients, 3, (client) => signHash(client, bench.person.id));
      const perClient = connections === 1 ? perOne : perSixteen;
      const { value, loopMaxMs } = await watchLoop(() => closedLoop(clients, perClient, (client) => signHash(client, bench.person.id)));
      for (const client of clients) client.close();
      const r = row(`KySo ${scheme}, ${connections} connection${connections > 1 ? "s" : ""}`, value.samples, value.wallMs, {
        baseline: base.name,
        ratio: 0,
        loopMaxMs,
      });
      const withRatio = { ...r, ratio: r.medianMs / base.medianMs };
      rows.push(withRatio);
      if (connections === 1) {
        targets.push(target(`overhead median, ${scheme} x1`, r.medianMs - base.medianMs, "<=", 1, "ms"));
        targets.push(target(`overhead p99, ${scheme} x1`, r.p99Ms - base.p99Ms, "<=", 5, "ms"));
      } else {
        const perRequest = 1000 / r.throughput;
        targets.push(target(`overhead per request (wall/request − floor), ${scheme} x16`, perRequest - base.medianMs, "<=", 1, "ms"));
        targets.push(target(`p99 beyond the queue (p99 − 16 x floor p99), ${scheme} x16`, r.p99Ms - connections * base.p99Ms, "<=", 5, "ms"));
        targets.push(target(`throughput x16 / floor rate, ${scheme}`, (r.throughput / base.throughput) * 100, ">=", 85, "%"));
      }
      targets.push(target(`event loop blocked, bridge ${scheme} x${connections}`, loopMaxMs, "<=", 50, "ms"));
    }
  }
} finally {
  await bench.close();
}
report({
  case: "bridge",
  rows,
  targets,
  notes: [
    "clients and core share one process (the clients' share of the loop is small: one JSON frame per request)",
    "16 connections sign on one token: requests queue FIFO; see the per-request and queue-aware figures",
  ],
});

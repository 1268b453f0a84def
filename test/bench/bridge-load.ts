/**
 * A real core with SoftHSM tokens and real listeners (test/integration/bridge/bridge-harness.ts), approvals
 * granted programmatically the moment they show, and closed-loop ws/wss clients that send `sign` requests.
 */
import { createHash } from "node:crypto";
import type { CertificateSummary } from "../../sdk/src/protocol.js";
import { serveCrls } from "../e2e/helpers/crl-server.js";
import { connect, startBridgeHarness, type BridgeHarness, type Client } from "../integration/bridge/bridge-harness.js";

/** Limits opened wide enough that the bench measures the path, not the rate limiter. */
export const BENCH_POLICY = {
  limits: {
    requestsPerMinute: 100_000,
    maxPendingSignsPerOrigin: 100,
    maxConnections: 1000,
    maxConnectionsPerOrigin: 1000,
    maxBatchItems: 1000,
    maxMessageBytes: 512 * 1024 * 1024,
  },
};

export interface BenchBridge {
  readonly bridge: BridgeHarness;
  readonly person: CertificateSummary;
  /** Approvals granted so far. */
  approved(): number;
  connectClients(count: number, scheme: "ws" | "wss"): Promise<Client[]>;
  close(): Promise<void>;
}

export async function startBenchBridge(pin = "1234", policy: Record<string, unknown> = {}): Promise<BenchBridge> {
  // The fixture CAs' CRLs where their certificates say: the revocation check before each approval (policy default
  // "warn") then answers from the cached CRL, as it does for a user whose CA is reachable. Without it every request
  // would try the network again for every candidate (a failed check is not cached).
  const crls = await serveCrls();
  const bridge = await startBridgeHarness({ ...BENCH_POLICY, ...policy });
  const handled = new Set<string>();
  let approved = 0;
  const off = bridge.core.onEvent("approvalsChanged", (views) => {
    for (const view of views) {
      if (handled.has(view.id) || view.state.kind !== "choosing-certificate") continue;
      handled.add(view.id);
      const chosen = view.kind === "sign" ? view.candidates.find((c) => c.valid) : undefined;
      if (!chosen) continue;
      approved++;
      void bridge.core.handlers["approvals.approve"]({ approvalId: view.id, certificateId: chosen.id, pin });
    }
  });
  const probe = await connect(bridge.wsPort);
  const listed = await probe.call("certificates.list", { filter: { personalId: "001234567890" } });
  probe.close();
  const person = ("result" in listed ? (listed.result as CertificateSummary[]) : [])[0];
  if (!person) throw new Error("fixture certificate personRsa not listed");
  return {
    bridge,
    person,
    approved: () => approved,
    connectClients(count, scheme) {
      const port = scheme === "ws" ? bridge.wsPort : bridge.wssPort;
      const ca = bridge.core.bridge.caCertificatePem;
      return Promise.all(Array.from({ length: count }, () => connect(port, { scheme, ...(scheme === "wss" && ca ? { ca } : {}) })));
    },
    async close() {
      off();
      await bridge.close();
      await new Promise((done) => crls.close(done));
    },
  };
}

const HASH = createHash("sha256").update("bench").digest("base64");

/** Each client sends `perClient` requests one after another; returns per-request round trips and the wall time. */
export async function closedLoop(
  clients: readonly Client[],
  perClient: number,
  request: (client: Client, index: number) => Promise<void>,
): Promise<{ samples: number[]; wallMs: number }> {
  const samples: number[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < perClient; i++) {
        const t = performance.now();
        await request(client, i);
        samples.push(performance.now() - t);
      }
    }),
  );
  return { samples, wallMs: performance.now() - started };
}

/** One raw `sign` of a SHA-256 hash; throws on an error answer so a broken run never reads as fast. */
export async function signHash(client: Client, certificateId: string): Promise<void> {
  const answer = await client.call("sign", { format: "raw", hash: HASH, hashAlgorithm: "SHA-256", certificateId });
  if (!("result" in answer)) throw new Error(`sign failed: ${JSON.stringify(answer)}`);
}

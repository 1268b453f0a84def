/**
 * The protocol fuzzer's health checks of the bridge between cases: the allowlisted portal still says hello
 * (and, every N cases, gets a hash signed after a programmatic approval whose signature verifies), connection
 * slots go back to zero once every test socket is closed, and memory, open handles and the built-in prototypes
 * do not drift.
 */
import { createHash, createVerify, X509Certificate } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { KysoCore } from "../../main/core/kyso-core.js";
import type { CertificateSummary, SignResult } from "../../sdk/src/protocol.js";
import { connect, type BridgeHarness } from "../integration/bridge/bridge-harness.js";
import { USER_PIN } from "../fixtures/index.js";
import type { Problem } from "./protocol-oracle.js";
import { PORTAL_ORIGIN } from "./protocol-upgrade.js";
import { timedOut, within } from "./protocol-runner.js";

/**
 * Waits until the core's slot count is `target`. The count has no event of its own, so this looks again each
 * millisecond until the deadline: it waits for a condition, never for a fixed time.
 */
export async function slotsSettle(core: KysoCore, target: number, deadlineMs: number): Promise<boolean> {
  const started = Date.now();
  while (core.bridge.connectionSlots !== target) {
    if (Date.now() - started > deadlineMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return true;
}

/** `hello` from the allowlisted portal on a fresh connection; a problem when it does not come back. */
export async function probeHello(harness: BridgeHarness, scheme: "ws" | "wss", hangMs: number, why: string): Promise<Problem | undefined> {
  const port = scheme === "ws" ? harness.wsPort : harness.wssPort;
  const ca = harness.core.bridge.caCertificatePem;
  const opened = await within(connect(port, { origin: PORTAL_ORIGIN, scheme, ...(ca ? { ca } : {}) }).catch((error: Error) => error), hangMs);
  if (timedOut(opened)) return { kind: "hang", detail: `[portal-probe] the allowlisted portal's ${scheme} upgrade got no answer ${why}` };
  if (opened instanceof Error) return { kind: "bridge-unavailable", detail: `[portal-probe] the allowlisted portal cannot connect over ${scheme} ${why}: ${opened.message}` };
  try {
    const answer = await within(opened.call("hello"), hangMs);
    if (timedOut(answer)) return { kind: "hang", detail: `[portal-probe] hello unanswered ${why}` };
    if (!("result" in answer)) return { kind: "bridge-unavailable", detail: `[portal-probe] hello refused ${why}: ${JSON.stringify(answer).slice(0, 200)}` };
    return undefined;
  } finally {
    opened.close();
    await within(opened.closed, hangMs);
  }
}

/** A worker's first start may take this long on a loaded runner under tsx (module loading, not a hang). */
const WORKER_START_MS = 60_000;

/**
 * Opens the session as a portal's page does (hello, which warms a document worker), then waits until that worker
 * answers a document request (`verify` of a few bytes: no approval, no token). The cases then measure KySo's
 * answers, not a worker's one-off start; a start that never finishes is still a finding.
 */
export async function openPortalSession(harness: BridgeHarness, hangMs: number): Promise<Problem | undefined> {
  const problem = await probeHello(harness, "ws", hangMs, "at the start of the session");
  if (problem) return problem;
  const client = await connect(harness.wsPort, { origin: PORTAL_ORIGIN });
  try {
    const answer = await within(client.call("verify", { document: Buffer.from("%PDF-1.7\n%%EOF\n").toString("base64") }), WORKER_START_MS);
    if (timedOut(answer)) return { kind: "hang", detail: `[worker-start] no document worker answered in ${WORKER_START_MS} ms` };
    return undefined;
  } finally {
    client.close();
    await within(client.closed, hangMs);
  }
}

export class SignOracle {
  private certificate: CertificateSummary | undefined;
  /** Shown as the approval's title, so the approval watcher knows which approval the oracle opened. */
  readonly title = `fuzz-oracle-${createHash("sha256").update(String(process.pid)).update(String(process.hrtime.bigint())).digest("hex").slice(0, 16)}`;
  signed = 0;
  verified = 0;

  async sign(harness: BridgeHarness, hangMs: number, caseIndex: number): Promise<Problem | undefined> {
    const client = await connect(harness.wsPort, { origin: PORTAL_ORIGIN }).catch((error: Error) => error);
    if (client instanceof Error) return { kind: "bridge-unavailable", detail: `[portal-sign] cannot connect: ${client.message}` };
    try {
      if (!this.certificate) {
        const listed = await within(client.call("certificates.list", { filter: { personalId: "001234567890" } }), hangMs);
        if (timedOut(listed) || !("result" in listed)) return { kind: "bridge-unavailable", detail: "[portal-sign] certificates.list failed" };
        this.certificate = (listed.result as CertificateSummary[])[0];
        if (!this.certificate) return { kind: "bridge-unavailable", detail: "[portal-sign] no certificate on the fixture token" };
      }
      const text = `KySo protocol fuzz oracle, case ${caseIndex}`;
      const hash = createHash("sha256").update(text).digest("base64");
      // Signing waits for the token (SoftHSM in a host process): a wider budget than one frame's.
      const answer = await within(
        client.call("sign", { format: "raw", hash, hashAlgorithm: "SHA-256", certificateId: this.certificate.id, display: { title: this.title } }),
        hangMs * 4,
      );
      if (timedOut(answer)) return { kind: "hang", detail: "[portal-sign] sign unanswered after approval" };
      if (!("result" in answer)) return { kind: "bridge-unavailable", detail: `[portal-sign] sign failed: ${JSON.stringify(answer).slice(0, 200)}` };
      this.signed++;
      const result = answer.result as SignResult;
      const publicKey = new X509Certificate(Buffer.from(result.certificate, "base64")).publicKey;
      if (!createVerify("sha256").update(text).verify(publicKey, Buffer.from(result.signature ?? "", "base64"))) {
        return { kind: "bridge-unavailable", detail: "[portal-sign] the signature does not verify" };
      }
      this.verified++;
      return undefined;
    } finally {
      client.close();
      await within(client.closed, hangMs);
    }
  }

  /** Answers the approvals the fuzz cases open: the oracle's own is approved with the PIN, every other one refused. */
  watch(core: KysoCore): () => void {
    const handled = new Set<string>();
    return core.onEvent("approvalsChanged", (views) => {
      for (const view of views) {
        if (handled.has(view.id)) continue;
        const mine = view.kind === "sign" && view.display?.title === this.title;
        if (mine && view.state.kind !== "choosing-certificate") continue;
        handled.add(view.id);
        // After the event, not inside it: the queue is still notifying its listeners.
        setImmediate(() => {
          const decision = mine
            ? core.handlers["approvals.approve"]({ approvalId: view.id, certificateId: this.certificate!.id, pin: USER_PIN })
            : core.handlers["approvals.reject"]({ approvalId: view.id });
          decision.catch(() => undefined);
        });
      }
    });
  }
}

let collect: (() => void) | undefined;
function gc(): void {
  if (!collect) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
}

export interface Vitals {
  readonly heapBytes: number;
  readonly handles: number;
  readonly prototypeKeys: string;
}

/** Heap after a full collection, handles keeping the loop alive, and the built-in prototypes' own keys. */
export function vitals(): Vitals {
  gc();
  const keys = [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort().join(","));
  return { heapBytes: process.memoryUsage().heapUsed, handles: process.getActiveResourcesInfo().length, prototypeKeys: keys.join("|") };
}

export function compareVitals(first: Vitals, now: Vitals, heapSlackBytes: number, handleSlack: number): Problem[] {
  const problems: Problem[] = [];
  if (now.prototypeKeys !== first.prototypeKeys) problems.push({ kind: "bridge-unavailable", detail: "[prototype] a built-in prototype gained or lost a property" });
  if (now.heapBytes - first.heapBytes > heapSlackBytes) {
    problems.push({ kind: "bridge-unavailable", detail: `[memory] heap grew from ${(first.heapBytes / 2 ** 20).toFixed(0)} to ${(now.heapBytes / 2 ** 20).toFixed(0)} MiB` });
  }
  if (now.handles - first.handles > handleSlack) problems.push({ kind: "bridge-unavailable", detail: `[handles] active handles grew from ${first.handles} to ${now.handles}` });
  return problems;
}

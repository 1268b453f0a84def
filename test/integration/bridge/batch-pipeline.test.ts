/**
 * A batch keeps the document workers busy: items are signed a few ahead of the one being reported (issue 10,
 * batch throughput), yet results, progress and audit lines stay in item order and each audit line is written
 * before its item's result leaves (issue 9, write-ahead).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SigningPort } from "../../../main/core/bridge/signing-port.js";
import { workerSigningPort } from "../../../main/core/signing/signing-port.js";
import type { SignBatchResult } from "../../../sdk/src/protocol.js";
import { makeSamplePdf } from "../signing/pdf-samples.js";
import { connect, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

const workers = workerSigningPort();
let inFlight = 0;
let maxInFlight = 0;
const started: number[] = [];
const counting: SigningPort = {
  prepare: (item, candidates) => workers.prepare(item, candidates),
  async sign(item, signer, context) {
    started.push(item.document?.length ?? 0);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    try {
      return await workers.sign(item, signer, context);
    } finally {
      inFlight--;
    }
  },
};

let bridge: BridgeHarness;
let client: Client;
beforeAll(async () => {
  bridge = await startBridgeHarness({}, { signing: counting });
  client = await connect(bridge.wsPort);
});
afterAll(async () => {
  client?.close();
  await bridge?.close();
  await workers.close();
});

describe("signBatch pipelines its documents", () => {
  it("8 PDFs: up to 3 signed at once, results and progress in order, one audit line per item", async () => {
    const pdfs = await Promise.all(Array.from({ length: 8 }, (_, i) => makeSamplePdf(1 + (i % 3))));
    const before = client.notifications.length;
    const pending = client.call("signBatch", { items: pdfs.map((pdf) => ({ format: "pades", document: Buffer.from(pdf).toString("base64") })) });
    const approval = await bridge.nextApproval("sign");
    const person = (await bridge.core.handlers["certificates.list"]()).find((c) => c.vn.personalId === "001234567890")!;
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
    const answer = (await pending) as { result: SignBatchResult };
    expect(answer.result.results.map((r) => r.ok)).toEqual(Array<boolean>(8).fill(true));
    // Each result is the signed copy of its own item: it starts with that item's bytes.
    answer.result.results.forEach((r, i) => {
      const signed = Buffer.from((r as { document: string }).document, "base64");
      expect(signed.subarray(0, pdfs[i]!.length).equals(Buffer.from(pdfs[i]!))).toBe(true);
    });
    expect(started).toEqual(pdfs.map((p) => p.length));
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    const progress = client.notifications.slice(before).filter((n) => n.method === "batchProgress");
    expect(progress.map((n) => (n.params as { done: number }).done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await bridge.core.handlers["audit.list"]({});
    const audit = (await readFile(join(bridge.dataDir, "audit.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { method: string; result: string });
    expect(audit.filter((l) => l.method === "signBatch" && l.result === "ok")).toHaveLength(8);
  });
});

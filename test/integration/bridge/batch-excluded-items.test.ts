/**
 * A batch item the user unticks in the approval is never signed: the portal gets `user_rejected` for it in the
 * results (and its `batchProgress`), the others are signed, and the audit log records each item with the page's
 * document name and the certificate's name.
 */
import { createHash, createVerify, X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { SignBatchResult, SignResult } from "../../../sdk/src/protocol.js";
import { connect, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

let bridge: BridgeHarness;
let client: Client;

const digest = (text: string): string => createHash("sha256").update(text).digest("base64");
const verifyRaw = (result: SignResult, text: string): boolean =>
  createVerify("sha256")
    .update(text)
    .verify(new X509Certificate(Buffer.from(result.certificate, "base64")).publicKey, Buffer.from(result.signature!, "base64"));

beforeAll(async () => {
  bridge = await startBridgeHarness();
  client = await connect(bridge.wsPort);
});
afterAll(async () => {
  client?.close();
  await bridge?.close();
});

describe("signBatch with items left out", () => {
  it("4 items, #1 and #3 unticked: those answer user_rejected, #0 and #2 are signed; progress and audit cover all 4", async () => {
    const texts = ["Hợp đồng 1", "Hợp đồng 2", "Hợp đồng 3", "Hợp đồng 4"];
    const before = client.notifications.length;
    const pending = client.call("signBatch", {
      items: texts.map((t, i) => ({ format: "raw", hash: digest(t), display: { fileName: `hop-dong-${i + 1}.pdf` } })),
    });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    const person = approval.candidates.find((c) => c.vn.personalId === "001234567890")!;
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234", excludedItems: [1, 3] });
    const answer = (await pending) as { result: SignBatchResult };
    const results = answer.result.results;
    expect(results.map((r) => (r.ok ? "ok" : r.error.data.name))).toEqual(["ok", "user_rejected", "ok", "user_rejected"]);
    expect(verifyRaw(results[0] as SignResult, texts[0]!)).toBe(true);
    expect(verifyRaw(results[2] as SignResult, texts[2]!)).toBe(true);
    const progress = client.notifications.slice(before).filter((n) => n.method === "batchProgress").map((n) => n.params as { index: number; ok: boolean; done: number });
    expect(progress.map((p) => [p.index, p.ok, p.done])).toEqual([
      [0, true, 1],
      [1, false, 2],
      [2, true, 3],
      [3, false, 4],
    ]);

    const lines = (await bridge.core.handlers["audit.list"]({ kind: "signing" })).filter((l) => l.documentName?.startsWith("hop-dong-"));
    expect(lines.map((l) => [l.documentName, l.decision, l.result]).reverse()).toEqual([
      ["hop-dong-1.pdf", "approved", "ok"],
      ["hop-dong-2.pdf", "rejected", "user_rejected"],
      ["hop-dong-3.pdf", "approved", "ok"],
      ["hop-dong-4.pdf", "rejected", "user_rejected"],
    ]);
    expect(new Set(lines.map((l) => l.certificateName))).toEqual(new Set([person.subject.commonName]));
    expect(lines.find((l) => l.result === "user_rejected")?.words).toMatchObject({ action: "Sign several documents", result: "You declined" });
  });

  it("leaving every item out, or an item that does not exist, is refused at once and the approval stays open", async () => {
    const pending = client.call("signBatch", { items: ["a", "b"].map((t) => ({ format: "raw", hash: digest(t) })) });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    const person = approval.candidates.find((c) => c.vn.personalId === "001234567890")!;
    for (const excludedItems of [[0, 1], [2]]) {
      await expect(bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234", excludedItems })).rejects.toMatchObject({
        code: "invalid_params",
      });
    }
    expect((await bridge.core.handlers["approvals.list"]()).find((a) => a.id === approval.id)?.state.kind).toBe("choosing-certificate");
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    const answer = await pending;
    expect("error" in answer && answer.error.data.name).toBe("user_rejected");
  });
});

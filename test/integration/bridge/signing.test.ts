import { createHash, createVerify, X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { CertificateSummary, SignBatchResult, SignResult } from "../../../sdk/src/protocol.js";
import { connect, errorName, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

let bridge: BridgeHarness;
let client: Client;
let person: CertificateSummary;

const digest = (text: string): string => createHash("sha256").update(text).digest("base64");

function verifyRaw(result: SignResult, text: string): boolean {
  const certificate = new X509Certificate(Buffer.from(result.certificate, "base64"));
  return createVerify("sha256").update(text).verify(certificate.publicKey, Buffer.from(result.signature!, "base64"));
}

beforeAll(async () => {
  bridge = await startBridgeHarness();
  client = await connect(bridge.wsPort);
  const listed = await client.call("certificates.list", { filter: { personalId: "001234567890" } });
  person = ("result" in listed ? (listed.result as CertificateSummary[]) : [])[0]!;
});
afterAll(async () => {
  client?.close();
  await bridge?.close();
});

describe("sign through the bridge, approved in the app", () => {
  it("certificates.list filters: taxCode, validOnly, keyUsage, tokenId, issuer", async () => {
    expect(person.vn.personalId).toBe("001234567890");
    const byTax = await client.call("certificates.list", { filter: { taxCode: "0101234567" } });
    expect("result" in byTax && (byTax.result as CertificateSummary[]).map((c) => c.vn.taxCode)).toEqual(["0101234567"]);
    const all = await client.call("certificates.list");
    const valid = await client.call("certificates.list", { filter: { validOnly: true, keyUsage: ["digitalSignature"] } });
    const allList = "result" in all ? (all.result as CertificateSummary[]) : [];
    const validList = "result" in valid ? (valid.result as CertificateSummary[]) : [];
    expect(validList.length).toBeGreaterThan(0);
    expect(validList.length).toBeLessThan(allList.length);
    expect(validList.every((c) => c.valid && c.keyUsage.includes("digitalSignature"))).toBe(true);
    const onToken = await client.call("certificates.list", { filter: { tokenId: person.tokenId } });
    expect("result" in onToken && (onToken.result as CertificateSummary[]).every((c) => c.tokenId === person.tokenId)).toBe(true);
    expect(errorName(await client.call("certificates.list", { filter: { colour: "red" } }))).toBe("invalid_params");
  });

  it("raw hash: one approval, signature verifies with the certificate's public key", async () => {
    const pending = client.call("sign", { format: "raw", hash: digest("hello"), hashAlgorithm: "SHA-256", certificateId: person.id, display: { title: "Tờ khai" } });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    expect(approval.origin).toEqual({ origin: "https://portal.example.gov.vn", trust: "policy" });
    expect(approval.items[0]?.description).toMatchObject({ kind: "hash", hashAlgorithm: "SHA-256" });
    expect(approval.display).toEqual({ title: "Tờ khai" });
    expect(approval.candidates.map((c) => c.id)).toEqual([person.id]);
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
    const answer = await pending;
    expect("result" in answer).toBe(true);
    const result = (answer as { result: SignResult }).result;
    expect(verifyRaw(result, "hello")).toBe(true);
    expect(result.certificate).toBe(person.certificate);
  });

  it("hashAlgorithm takes the spellings the formats take (SHA256, sha-384), as docs/formats.md says", async () => {
    const cases = [
      { spelling: "SHA256", algorithm: "SHA-256", hash: digest("một") },
      { spelling: "sha-384", algorithm: "SHA-384", hash: createHash("sha384").update("hai").digest("base64") },
    ];
    for (const { spelling, algorithm, hash } of cases) {
      const pending = client.call("sign", { format: "raw", hash, hashAlgorithm: spelling, certificateId: person.id });
      const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
      expect(approval.items[0]?.description, spelling).toMatchObject({ kind: "hash", hashAlgorithm: algorithm });
      await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
      expect(errorName(await pending)).toBe("user_rejected");
    }
  });

  it("wrong PIN keeps the approval open with pin_incorrect; the right PIN then signs", async () => {
    const pending = client.call("sign", { format: "raw", document: Buffer.from("văn bản").toString("base64"), certificateId: person.id });
    const approval = await bridge.nextApproval("sign");
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "9999" });
    await expect.poll(async () => (await bridge.core.handlers["approvals.list"]())[0]?.state.kind).toBe("entering-pin");
    const state = (await bridge.core.handlers["approvals.list"]())[0]!.state;
    expect(state.kind === "entering-pin" && state.lastError?.code).toBe("pin_incorrect");
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
    const answer = await pending;
    expect(verifyRaw((answer as { result: SignResult }).result, "văn bản")).toBe(true);
  });

  it("rejected in the app → user_rejected", async () => {
    const pending = client.call("sign", { format: "raw", hash: digest("x") });
    const approval = await bridge.nextApproval("sign");
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect(errorName(await pending)).toBe("user_rejected");
  });

  it("an expired certificate named → certificate_invalid at once, no approval (it could never be approved)", async () => {
    const all = await client.call("certificates.list");
    const expired = ("result" in all ? (all.result as CertificateSummary[]) : []).find((c) => !c.valid)!;
    expect(errorName(await client.call("sign", { format: "raw", hash: digest("x"), certificateId: expired.id }))).toBe("certificate_invalid");
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("unknown certificateId → certificate_not_found, no approval", async () => {
    expect(errorName(await client.call("sign", { format: "raw", hash: digest("x"), certificateId: "nope" }))).toBe("certificate_not_found");
    expect(await bridge.core.handlers["approvals.list"]()).toEqual([]);
  });

  it("disconnecting withdraws the pending approval", async () => {
    const other = await connect(bridge.wsPort);
    void other.call("sign", { format: "raw", hash: digest("x") });
    await bridge.nextApproval("sign");
    other.close();
    await expect.poll(async () => (await bridge.core.handlers["approvals.list"]()).length).toBe(0);
  });

  it("signBatch: one approval for 5 items, 5 progress notifications, 5 valid signatures", async () => {
    const texts = ["a", "b", "c", "d", "e"];
    const before = client.notifications.length;
    const pending = client.call("signBatch", { certificateId: person.id, items: texts.map((t) => ({ format: "raw", hash: digest(t) })) });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    expect(approval.batch).toBe(true);
    expect(approval.items).toHaveLength(5);
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
    const answer = (await pending) as { result: SignBatchResult };
    expect(answer.result.results).toHaveLength(5);
    answer.result.results.forEach((r, i) => expect(r.ok && verifyRaw(r, texts[i]!)).toBe(true));
    const progress = client.notifications.slice(before).filter((n) => n.method === "batchProgress");
    expect(progress.map((n) => (n.params as { done: number }).done)).toEqual([1, 2, 3, 4, 5]);
  });

  it("malformed frames: parse error, invalid request, unknown method, bad params, binary — connection stays usable", async () => {
    client.send("{not json");
    expect(errorName(await client.next())).toBe("parse_error");
    client.send(JSON.stringify({ id: 1, method: "hello" }));
    expect(errorName(await client.next())).toBe("invalid_request");
    client.send(Buffer.from([1, 2, 3]));
    expect(errorName(await client.next())).toBe("invalid_request");
    const unknown = await client.call("keys.export");
    expect("error" in unknown && unknown.error.code).toBe(-32601);
    const bad = await client.call("sign", { format: "pdf-please", hash: "AAAA" });
    expect("error" in bad && bad.error.code).toBe(-32602);
    expect(errorName(await client.call("sign", { format: "raw", hash: "not base64!" }))).toBe("invalid_params");
    expect(errorName(await client.call("sign", { format: "raw" }))).toBe("invalid_params");
    expect("result" in (await client.call("hello"))).toBe(true);
  });

  it("audit: one line per request, with fingerprint and digest, never the PIN or the document", async () => {
    const text = await readFile(join(bridge.dataDir, "audit.jsonl"), "utf8");
    expect(text).not.toContain("1234\"");
    expect(text).not.toContain("9999");
    expect(text).not.toContain(Buffer.from("văn bản").toString("base64"));
    const lines = text.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    const signed = lines.filter((l) => l.method === "sign" && l.result === "ok");
    expect(signed.length).toBeGreaterThanOrEqual(2);
    expect(signed[0]).toMatchObject({ origin: "https://portal.example.gov.vn", decision: "approved", format: "raw" });
    expect(signed[0]!.certificateFingerprint).toBeTruthy();
    expect(signed[0]!.documentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(lines.some((l) => l.result === "user_rejected" && l.decision === "rejected")).toBe(true);
  });
});

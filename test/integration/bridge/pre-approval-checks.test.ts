/**
 * "Every check a request can fail runs before the approval opens": through the real bridge, with the SoftHSM
 * fixture certificates, a request that could only fail after the PIN is refused typed before any prompt.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalView, SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import type { CertificateSummary } from "../../../sdk/src/protocol.js";
import { makeSamplePdf } from "../signing/pdf-samples.js";
import { connect, errorName, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

let bridge: BridgeHarness;
let client: Client;
let certificates: CertificateSummary[];
/** Every approval the app was ever shown in this file. */
const shown: ApprovalView[] = [];

/** The app's own listing says why a certificate cannot sign; the wire only says `valid`. */
async function withProblem(problem: string): Promise<CertificateSummary | undefined> {
  const full = await bridge.core.handlers["certificates.list"]();
  const id = full.find((c) => c.problems.includes(problem as never))?.id;
  return certificates.find((c) => c.id === id);
}
const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString("base64");

beforeAll(async () => {
  bridge = await startBridgeHarness();
  bridge.core.onEvent("approvalsChanged", (views) => shown.push(...views));
  client = await connect(bridge.wsPort);
  const listed = await client.call("certificates.list");
  certificates = "result" in listed ? (listed.result as CertificateSummary[]) : [];
});
afterAll(async () => {
  client?.close();
  await bridge?.close();
});

/** Sends a request that must be refused, and proves no approval was opened for it. */
async function refusedBeforeApproval(params: Record<string, unknown>): Promise<{ name: string | undefined; message: unknown }> {
  const before = shown.length;
  const answer = await client.call("sign", params);
  expect(shown.slice(before)).toEqual([]);
  return { name: errorName(answer), message: answer };
}

describe("refused before any approval opens", () => {
  it("a request naming an expired certificate: certificate_invalid with the reason (defect 9)", async () => {
    const expired = await withProblem("expired");
    expect(expired).toBeDefined();
    const { name, message } = await refusedBeforeApproval({ format: "raw", document: b64("x"), certificateId: expired!.id });
    expect(name).toBe("certificate_invalid");
    expect(message).toMatchObject({ error: { data: { problems: ["expired"] } } });
  });

  it("a request naming a certificate without a signing key usage: certificate_invalid", async () => {
    const encipher = await withProblem("noSigningKeyUsage");
    expect(encipher).toBeDefined();
    const { name, message } = await refusedBeforeApproval({ format: "raw", document: b64("x"), certificateId: encipher!.id });
    expect(name).toBe("certificate_invalid");
    expect(message).toMatchObject({ error: { data: { problems: ["noSigningKeyUsage"] } } });
  });

  it("an e-invoice whose seller MST is not the named certificate's: tax_code_mismatch, never after the PIN", async () => {
    const invoice = await readFile(new URL("../../fixtures/documents/einvoice-seller.xml", import.meta.url));
    const orgEc = certificates.find((c) => c.vn.taxCode === "1801234567")!;
    expect((await refusedBeforeApproval({ format: "vn-einvoice", document: b64(invoice), certificateId: orgEc.id })).name).toBe("tax_code_mismatch");
  });

  it("a visible stamp on a page the PDF does not have", async () => {
    const pdf = await makeSamplePdf(1);
    const person = certificates.find((c) => c.vn.personalId === "001234567890")!;
    const { name } = await refusedBeforeApproval({ format: "pades", document: b64(pdf), certificateId: person.id, options: { visible: { page: 7 } } });
    expect(["invalid_params", "document_invalid"]).toContain(name);
  });

  it("level B-T with no timestamp authority configured: timestamp_failed now, not after the PIN", async () => {
    const pdf = await makeSamplePdf(1);
    expect((await refusedBeforeApproval({ format: "pades", document: b64(pdf), options: { level: "B-T" } })).name).toBe("timestamp_failed");
  });

  it("SHA-1 (any spelling) or an unknown hash: unsupported_algorithm as the docs say, not invalid_params", async () => {
    for (const hashAlgorithm of ["SHA-1", "sha1", "MD5"]) {
      const { name } = await refusedBeforeApproval({ format: "raw", hash: b64(new Uint8Array(20)), hashAlgorithm });
      expect(name, hashAlgorithm).toBe("unsupported_algorithm");
    }
    // In a batch, one SHA-1 item refuses the whole request before the approval (nothing is half signed).
    const before = shown.length;
    const items = [{ format: "raw", hash: b64(new Uint8Array(32)) }, { format: "raw", hash: b64(new Uint8Array(20)), hashAlgorithm: "SHA-1" }];
    expect(errorName(await client.call("signBatch", { items }))).toBe("unsupported_algorithm");
    expect(shown.slice(before)).toEqual([]);
  });

  it("a hash whose length does not match its algorithm: invalid_params", async () => {
    expect((await refusedBeforeApproval({ format: "raw", hash: b64(new Uint8Array(20)), hashAlgorithm: "SHA-256" })).name).toBe("invalid_params");
  });
});

describe("the approval offers only certificates that can sign the document", () => {
  it("an e-invoice without a named certificate: only the seller's certificate is usable, the others are listed refused with tax_code_mismatch", async () => {
    const invoice = await readFile(new URL("../../fixtures/documents/einvoice-seller.xml", import.meta.url));
    const pending = client.call("sign", { format: "vn-einvoice", document: b64(invoice) });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    const offered = approval.candidates.filter((c) => c.valid && !c.refusal);
    expect(offered.map((c) => c.vn.taxCode)).toEqual(["0101234567"]);
    expect(approval.preselectedCertificateId).toBe(offered[0]!.id);
    const other = approval.candidates.find((c) => c.vn.taxCode === "1801234567");
    expect(other?.refusal).toMatchObject({ code: "tax_code_mismatch", details: { documentTaxCode: "0101234567", certificateTaxCode: "1801234567" } });
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    expect(errorName(await pending)).toBe("user_rejected");
  });
});

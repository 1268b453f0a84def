/**
 * `files.sign` through a real core: the same approval a portal's request gets (KySo's reading, the preset's plan),
 * the SoftHSM fixture token, and the signed file next to the original, checked by pdfsig.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SignApprovalView } from "../../../main/core/app-api/approval-view.js";
import { LOCAL_FILES_ORIGIN } from "../../../main/core/files/local-sign-session.js";
import type { CertificateInfo } from "../../../main/domain/certificate.js";
import { isKysoError } from "../../../main/domain/errors/index.js";
import { pdfsigVerify } from "../../verifiers/cli-verifiers.js";
import { startBridgeHarness, type BridgeHarness } from "../bridge/bridge-harness.js";
import { makeSamplePdf } from "../signing/pdf-samples.js";

vi.setConfig({ testTimeout: 120_000 });

let bridge: BridgeHarness;
let person: CertificateInfo;
let dir: string;
let pdf: Uint8Array;
const preset = { name: "appendix" as const, documentNumber: "15/QĐ-UBND" };

beforeAll(async () => {
  bridge = await startBridgeHarness();
  dir = bridge.dataDir;
  const certificates = await bridge.core.handlers["certificates.list"]();
  person = certificates.find((c) => c.valid && c.vn?.personalId === "001234567890")!;
  pdf = await makeSamplePdf(1);
});
afterAll(async () => bridge?.close());

describe("files.sign", () => {
  it("one approval from KySo itself showing the preset, then <name>.signed.pdf next to the original, valid for pdfsig", async () => {
    const path = join(dir, "Phụ lục 1.pdf");
    await writeFile(path, pdf);
    const pending = bridge.core.handlers["files.sign"]({ paths: [path], preset });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    expect(approval.origin.origin).toBe(LOCAL_FILES_ORIGIN);
    expect(approval.items[0]!.description.kind).toBe("pdf");
    expect(approval.items[0]!.signature?.preset).toEqual({ name: "appendix", placedBy: "fixed" });
    expect(approval.items[0]!.signature?.stamp?.page).toBe(1);
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
    const [result] = await pending;
    const output = join(dir, "Phụ lục 1.signed.pdf");
    expect(result).toEqual({ path, ok: true, output });
    const pdfsig = await pdfsigVerify(output);
    expect(pdfsig.signatures.map((s) => s.valid)).toEqual([true]);
    expect(await readFile(path)).toEqual(Buffer.from(pdf));

    // A second time: refused before any approval, until the UI says overwrite.
    await expect(bridge.core.handlers["files.sign"]({ paths: [path], preset })).rejects.toSatisfy((e) => isKysoError(e, "file_exists"));
    expect((await bridge.core.handlers["approvals.list"]()).filter((a) => a.state.kind === "choosing-certificate")).toEqual([]);
  });

  it("several files: one approval (a batch), a signed file for each", async () => {
    const paths = [join(dir, "batch-1.pdf"), join(dir, "batch-2.pdf")];
    for (const p of paths) await writeFile(p, pdf);
    const pending = bridge.core.handlers["files.sign"]({ paths, preset: { name: "copy", copyKind: "sao-y", organisation: "Sở Tư pháp" } });
    const approval = (await bridge.nextApproval("sign")) as SignApprovalView;
    expect(approval.batch).toBe(true);
    expect(approval.items.map((i) => i.signature?.preset?.name)).toEqual(["copy", "copy"]);
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
    const results = await pending;
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    for (const p of paths) expect((await pdfsigVerify(p.replace(/\.pdf$/, ".signed.pdf"))).signatures.map((s) => s.valid)).toEqual([true]);
  });

  it("rejected in the approval: nothing is written", async () => {
    const path = join(dir, "rejected.pdf");
    await writeFile(path, pdf);
    const pending = bridge.core.handlers["files.sign"]({ paths: [path], preset });
    pending.catch(() => undefined);
    const approval = await bridge.nextApproval("sign");
    await bridge.core.handlers["approvals.reject"]({ approvalId: approval.id });
    await expect(pending).rejects.toSatisfy((e) => isKysoError(e, "user_rejected"));
    expect((await readdir(dir)).filter((n) => n.startsWith("rejected") || n.includes("kyso-part"))).toEqual(["rejected.pdf"]);
  });
});

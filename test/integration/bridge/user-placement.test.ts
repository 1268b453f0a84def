/**
 * The user places the leader's image on the approval's preview (`approvals.placeStamp`, issue 17): the point is
 * checked by the core against the document in the document worker (the page exists, the whole image is on it)
 * before the PIN, the approval shows "placed by you" with the core's rectangle, the signed file's widget /Rect is
 * that rectangle (pdfsig accepts it), and the audit line says the user placed it. A portal cannot claim it.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument } from "@cantoo/pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApprovalView } from "../../../main/core/app-api/approval-view.js";
import { invokeAppMethod } from "../../../main/core/app-api/invoke.js";
import { KysoError } from "../../../main/domain/errors/kyso-error.js";
import { pdfsigVerify } from "../../verifiers/cli-verifiers.js";
import { makeSamplePdf } from "../signing/pdf-samples.js";
import { sealPng } from "../signing/png.js";
import { connect, startBridgeHarness, type BridgeHarness, type Client } from "./bridge-harness.js";

const image = Buffer.from(sealPng(96)).toString("base64");
let bridge: BridgeHarness;
let client: Client;
beforeAll(async () => {
  bridge = await startBridgeHarness();
  client = await connect(bridge.wsPort);
}, 120_000);
afterAll(async () => {
  client?.close();
  await bridge?.close();
});

async function widgetRect(pdf: Uint8Array): Promise<number[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const r = doc.getForm().getFields().at(-1)!.acroField.getWidgets()[0]!.getRectangle();
  return [r.x, r.y, r.x + r.width, r.y + r.height];
}

async function refusal(call: Promise<unknown>): Promise<KysoError> {
  const thrown = await call.then(() => undefined, (e: unknown) => e);
  expect(thrown).toBeInstanceOf(KysoError);
  return thrown as KysoError;
}

const signItem = (ui: ApprovalView) => (ui.kind === "sign" ? ui.items[0]! : undefined);

describe("approvals.placeStamp: the leader's image where the user clicked", () => {
  it("moves the stamp before the PIN; the signed /Rect is the core's answer; the audit says the user placed it", async () => {
    const document = await makeSamplePdf(2);
    const pending = client.call("sign", { format: "pades", document: Buffer.from(document).toString("base64"), options: { preset: { name: "leader", image } } });
    const approval = await bridge.nextApproval("sign");
    expect(signItem(approval)).toMatchObject({ placeable: true, signature: { preset: { name: "leader", placedBy: "default" }, stamp: { page: 2 } } });

    const { signature } = await bridge.core.handlers["approvals.placeStamp"]({ approvalId: approval.id, index: 0, at: { page: 1, x: 200, y: 300 } });
    expect(signature.preset).toEqual({ name: "leader", placedBy: "user" });
    expect(signature.stamp!.page).toBe(1);
    const rect = signature.stamp!.rect;
    expect((rect[0] + rect[2]) / 2).toBeCloseTo(200, 3);
    expect((rect[1] + rect[3]) / 2).toBeCloseTo(300, 3);
    // The approval the window shows is the core's answer too.
    const listed = (await bridge.core.handlers["approvals.list"]()).find((a) => a.id === approval.id)!;
    expect(signItem(listed)?.signature).toEqual(signature);

    // Refused, typed, before any PIN; the approval keeps the last good place.
    expect((await refusal(bridge.core.handlers["approvals.placeStamp"]({ approvalId: approval.id, index: 0, at: { page: 1, x: 5, y: 5 } }))).code).toBe("stamp_off_page");
    expect((await refusal(bridge.core.handlers["approvals.placeStamp"]({ approvalId: approval.id, index: 0, at: { page: 3, x: 200, y: 300 } }))).code).toBe("stamp_off_page");
    expect((await refusal(bridge.core.handlers["approvals.placeStamp"]({ approvalId: approval.id, index: 1, at: { page: 1, x: 200, y: 300 } }))).code).toBe("invalid_params");
    // The IPC door's schema: a negative or non-numeric point never reaches the core.
    for (const at of [{ page: 1, x: -1, y: 10 }, { page: 0, x: 10, y: 10 }, { page: 1, x: "10", y: 10 }, { page: 1, x: 10, y: 10, extra: 1 }]) {
      const outcome = await invokeAppMethod(bridge.core.handlers, "approvals.placeStamp", { approvalId: approval.id, index: 0, at });
      expect(outcome).toMatchObject({ ok: false, error: { code: "invalid_params" } });
    }
    const still = (await bridge.core.handlers["approvals.list"]()).find((a) => a.id === approval.id)!;
    expect(signItem(still)?.signature?.stamp?.rect).toEqual(rect);

    const person = (await bridge.core.handlers["certificates.list"]()).find((c) => c.vn.personalId === "001234567890")!;
    await bridge.core.handlers["approvals.approve"]({ approvalId: approval.id, certificateId: person.id, pin: "1234" });
    const answer = (await pending) as { result: { document: string } };
    const signed = Buffer.from(answer.result.document, "base64");
    const written = await widgetRect(signed);
    written.forEach((v, i) => expect(v).toBeCloseTo(rect[i]!, 2));
    const dir = await mkdtemp(join(tmpdir(), "kyso-placed-"));
    try {
      const file = join(dir, "placed.pdf");
      await writeFile(file, signed);
      expect((await pdfsigVerify(file)).signatures.map((s) => s.valid)).toEqual([true]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await bridge.core.handlers["audit.list"]({});
    const audit = (await readFile(join(bridge.dataDir, "audit.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { method: string; result: string; stampPlacedBy?: string });
    expect(audit.filter((l) => l.method === "sign" && l.result === "ok").at(-1)?.stampPlacedBy).toBe("user");
  }, 180_000);

  it("a portal cannot say the user placed its point: refused as invalid_params, no approval", async () => {
    const document = await makeSamplePdf(1);
    const answer = (await client.call("sign", {
      format: "pades",
      document: Buffer.from(document).toString("base64"),
      options: { preset: { name: "leader", image, at: { page: 1, x: 200, y: 300 }, placedByUser: true } },
    })) as { error?: { code: number; data?: { name?: string } } };
    expect(answer.error?.data?.name).toBe("invalid_params");
  }, 60_000);

  it("a portal's point that puts the image off the page is refused before the approval (stamp_off_page)", async () => {
    const document = await makeSamplePdf(1);
    const answer = (await client.call("sign", {
      format: "pades",
      document: Buffer.from(document).toString("base64"),
      options: { preset: { name: "leader", image, at: { page: 1, x: 590, y: 300 } } },
    })) as { error?: { code: number; message?: string; data?: { name?: string } } };
    expect(answer.error?.data?.name).toBe("invalid_params");
    expect(answer.error?.message).toMatch(/does not fit on page 1/);
  }, 60_000);
});

/**
 * Decree 30/2020 stamp presets, signed with the SoftHSM fixture keys and checked by verifiers that share no code
 * with the signer (pdfsig, qpdf, the Java verifier); the stamp's place checked on the page pdftoppm renders.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PDFDocument } from "@cantoo/pdf-lib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sign } from "../../../main/core/signing/index.js";
import { planSignature } from "../../../main/core/signing/plan.js";
import { parseSigningRequest } from "../../../main/core/signing/request.js";
import { loadAnchors } from "../../../main/core/certificates/trust/index.js";
import { verifyPdf } from "../../../main/core/verify/index.js";
import { isKysoError } from "../../../main/domain/errors/index.js";
import { PT_PER_MM } from "../../../main/domain/stamp-presets.js";
import type { Signer } from "../../../main/domain/signer.js";
import { pdfsigVerify, qpdfCheck, runTool } from "../../verifiers/cli-verifiers.js";
import { allErrors, ensureJavaVerifier, verifyWithJava } from "../../verifiers/java-verifier.js";
import { openHarness, type Harness } from "./harness.js";
import { makeSamplePdf } from "./pdf-samples.js";
import { sealPng } from "./png.js";

vi.setConfig({ testTimeout: 120_000 });

const PAGE_HEIGHT = 841.89;
const DPI = 50;
const seal = Buffer.from(sealPng(96)).toString("base64");

let h: Harness;
let plain: Uint8Array;

beforeAll(async () => {
  h = await openHarness();
  plain = await makeSamplePdf(2);
  await ensureJavaVerifier();
});
afterAll(async () => h?.close());

async function signPdf(pdf: Uint8Array, signer: Signer, options: Record<string, unknown>): Promise<Uint8Array> {
  const result = await sign({ format: "pades", document: pdf, options }, signer, {});
  if (result.kind !== "document") throw new Error("expected a document");
  return result.document;
}

async function expectAllValid(file: string, count: number): Promise<void> {
  const pdfsig = await pdfsigVerify(file);
  expect(pdfsig.signatures.length).toBe(count);
  for (const s of pdfsig.signatures) expect(s.valid, s.lines.join("\n")).toBe(true);
  const qpdf = await qpdfCheck(file);
  expect(qpdf.stdout + qpdf.stderr).not.toMatch(/WARNING/);
  expect(qpdf.code).toBe(0);
  const java = await verifyWithJava("pdf", file, ["--expect-count", String(count)]);
  expect(allErrors(java.report)).toEqual([]);
  expect(java.ok).toBe(true);
}

/** Dark pixels (grey < 160) of page `page` in the box [x1, y1, x2, y2] (PDF points), rendered at 50 dpi. */
async function inkIn(file: string, page: number, box: readonly [number, number, number, number], name: string): Promise<{ dark: number; total: number }> {
  const s = DPI / 72;
  const x = Math.round(box[0] * s);
  const y = Math.round((PAGE_HEIGHT - box[3]) * s);
  const w = Math.max(1, Math.round((box[2] - box[0]) * s));
  const hh = Math.max(1, Math.round((box[3] - box[1]) * s));
  const out = join(h.dir, name);
  const r = await runTool("pdftoppm", ["-r", String(DPI), "-f", String(page), "-l", String(page), "-gray", "-singlefile", "-x", String(x), "-y", String(y), "-W", String(w), "-H", String(hh), file, out]);
  expect(r.ok, r.stderr).toBe(true);
  const pixels = (await readFile(`${out}.pgm`)).subarray(-w * hh);
  return { dark: pixels.filter((v) => v < 160).length, total: pixels.length };
}

/** The widget /Rect of the last signature, read back from the signed file. */
async function lastWidgetRect(pdf: Uint8Array): Promise<number[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const fields = doc.getForm().getFields();
  const widget = fields.at(-1)!.acroField.getWidgets()[0]!;
  const r = widget.getRectangle();
  return [r.x, r.y, r.x + r.width, r.y + r.height];
}

/** The far box: bottom left of the page, where no preset ever draws and the sample has no text. */
const FAR: readonly [number, number, number, number] = [40, 60, 240, 260];

describe("text presets (appendix, copy: top right; income: top left) of page 1, 10 pt, black", () => {
  const top = PAGE_HEIGHT - 5 * PT_PER_MM;
  const right = 595.28 - 15 * PT_PER_MM;

  it("appendix: the number and the ISO 8601 time in the documented box; pdfsig, qpdf and Java accept it", async () => {
    const signed = await signPdf(plain, await h.signer("orgRsa3072"), { preset: { name: "appendix", documentNumber: "15/QĐ-UBND" } });
    const file = await h.file("appendix.pdf", signed);
    await expectAllValid(file, 1);
    const rect = await lastWidgetRect(signed);
    expect(rect[2]).toBeCloseTo(right, 1);
    expect(rect[3]).toBeCloseTo(top, 1);
    expect(rect[2]! - rect[0]!).toBeCloseTo(80 * PT_PER_MM, 1);
    // Two lines at 10 pt x 1.2 plus the descent.
    expect(rect[3]! - rect[1]!).toBeCloseTo(27, 1);
    const inside = await inkIn(file, 1, rect as never, "appendix-box");
    expect(inside.dark).toBeGreaterThan(20);
    expect((await inkIn(file, 1, FAR, "appendix-far")).dark).toBe(0);
    const text = Buffer.from(signed).toString("latin1");
    expect(text).toContain("/KySo_Preset /appendix");
    // No DocMDP lock: a later signature stays possible.
    expect(text).not.toMatch(/\/DocMDP/);
  });

  it("copy: the copy kind, the organisation and the time; three lines", async () => {
    const signed = await signPdf(plain, await h.signer("orgRsa3072"), { preset: { name: "copy", copyKind: "sao-y", organisation: "Văn phòng UBND tỉnh Đà Nẵng" } });
    const file = await h.file("copy.pdf", signed);
    await expectAllValid(file, 1);
    const rect = await lastWidgetRect(signed);
    expect(rect[3]! - rect[1]!).toBeCloseTo(39, 1);
    expect(rect[2]).toBeCloseTo(right, 1);
    expect((await inkIn(file, 1, rect as never, "copy-box")).dark).toBeGreaterThan(20);
    expect((await inkIn(file, 1, FAR, "copy-far")).dark).toBe(0);
    expect(Buffer.from(signed).toString("latin1")).toContain("/KySo_Preset /copy");
  });

  it("income (SignIncome's receipt): top LEFT of page 1, 30 mm in, 60 mm wide, the documented A4 box; pdfsig, qpdf and Java accept it", async () => {
    const signed = await signPdf(plain, await h.signer("orgRsa3072"), { preset: { name: "income", documentNumber: "4567" } });
    const file = await h.file("income.pdf", signed);
    await expectAllValid(file, 1);
    const rect = await lastWidgetRect(signed);
    // docs/presets.md: A4 [85.0, 788.7, 255.1, 827.7] with three lines (ĐẾN, Số: 4567, the time).
    expect(rect).toEqual([85.0, 788.7, 255.1, 827.7].map((v) => expect.closeTo(v, 1)));
    expect(rect[0]).toBeCloseTo(30 * PT_PER_MM, 1);
    expect(rect[2]! - rect[0]!).toBeCloseTo(60 * PT_PER_MM, 1);
    expect(rect[3]).toBeCloseTo(top, 1);
    expect((await inkIn(file, 1, rect as never, "income-box")).dark).toBeGreaterThan(20);
    expect((await inkIn(file, 1, FAR, "income-far")).dark).toBe(0);
    // The appendix/copy corner (the issuer's number and time) gets no ink from it: the same as the unsigned page.
    const topRight = [right - 80 * PT_PER_MM, top - 40, right, top] as const;
    const before = await inkIn(await h.file("income-plain.pdf", plain), 1, topRight, "income-top-right-plain");
    expect((await inkIn(file, 1, topRight, "income-top-right")).dark).toBe(before.dark);
    const text = Buffer.from(signed).toString("latin1");
    expect(text).toContain("/KySo_Preset /income");
    expect(text).not.toMatch(/\/DocMDP/);
  });

  it("income without a number: two lines (ĐẾN, the time), same top-left corner", async () => {
    const signed = await signPdf(plain, await h.signer("orgRsa3072"), { preset: { name: "income" } });
    const file = await h.file("income-no-number.pdf", signed);
    await expectAllValid(file, 1);
    const rect = await lastWidgetRect(signed);
    expect(rect[0]).toBeCloseTo(30 * PT_PER_MM, 1);
    expect(rect[3]).toBeCloseTo(top, 1);
    expect(rect[3]! - rect[1]!).toBeCloseTo(27, 1);
    expect((await inkIn(file, 1, rect as never, "income-no-number-box")).dark).toBeGreaterThan(20);
  });

  it("a preset missing what it needs is refused at the door", () => {
    for (const preset of [{ name: "appendix" }, { name: "copy", copyKind: "sao-y" }]) {
      expect(() => parseSigningRequest({ format: "pades", document: plain, options: { preset } }), JSON.stringify(preset)).toThrow(
        expect.objectContaining({ code: "invalid_params" }),
      );
    }
    expect(() => parseSigningRequest({ format: "pades", document: plain, options: { preset: { name: "appendix", documentNumber: "1" }, visible: {} } })).toThrow();
  });

  it("leader and seal without an image pass the door (the certificate's stored image may fill it) and are refused at placement", async () => {
    for (const preset of [{ name: "leader" }, { name: "seal", image: seal }]) {
      const request = parseSigningRequest({ format: "pades", document: plain, options: { preset } });
      await expect(planSignature(request), JSON.stringify(preset)).rejects.toMatchObject({ code: "invalid_params" });
    }
  });
});

describe("copy: the scan check", () => {
  /** One page with one image XObject of `px` x `px` pixels covering an A4 width, gray or RGB. */
  async function scanPdf(px: number, colour: boolean): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595.28, 841.89]);
    const channels = colour ? 3 : 1;
    const image = doc.context.flateStream(new Uint8Array(px * px * channels).fill(200), {
      Type: "XObject", Subtype: "Image", Width: px, Height: px, BitsPerComponent: 8, ColorSpace: colour ? "DeviceRGB" : "DeviceGray",
    });
    page.node.setXObject(doc.context.obj("Scan") as never, doc.context.register(image));
    return doc.save({ useObjectStreams: false });
  }
  const planOf = async (pdf: Uint8Array) =>
    planSignature(parseSigningRequest({ format: "pades", document: pdf, options: { preset: { name: "copy", copyKind: "trich-sao", organisation: "Sở Nội vụ" } } }));

  it("a grey 100 dpi scan: both warnings, with the resolution", async () => {
    // 827 px over 8.27 in = 100 dpi horizontally.
    const plan = await planOf(await scanPdf(827, false));
    expect(plan.preset).toMatchObject({ name: "copy", placedBy: "fixed", warnings: ["scan-low-dpi", "scan-not-colour"], scanDpi: 71 });
  });

  it("a colour 300 dpi scan: no warning", async () => {
    const plan = await planOf(await scanPdf(3508, true));
    expect(plan.preset?.warnings).toBeUndefined();
    expect(plan.preset?.scanDpi).toBeGreaterThanOrEqual(200);
  });
});

describe("leader, then seal", () => {
  it("leader at the caller's point, then the seal over its left third in a new revision: both valid, the first followed by a signature", async () => {
    const leaderSigner = await h.signer("personRsa");
    const orgSigner = await h.signer("orgRsa3072");
    const leader = await signPdf(plain, leaderSigner, { preset: { name: "leader", image: seal, at: { page: 2, x: 420, y: 300 } } });
    const leaderText = Buffer.from(leader).toString("latin1");
    expect(leaderText).toContain("/KySo_Preset /leader");
    expect(leaderText).not.toMatch(/\/DocMDP|\/Perms/);
    const leaderRect = await lastWidgetRect(leader);
    // A square image fitted into 45 x 18 mm: 18 mm square, centred on the point.
    expect((leaderRect[0]! + leaderRect[2]!) / 2).toBeCloseTo(420, 1);
    expect(leaderRect[3]! - leaderRect[1]!).toBeCloseTo(18 * PT_PER_MM, 1);

    const plan = await planSignature(parseSigningRequest({ format: "pades", document: leader, options: { preset: { name: "seal", image: seal, sealDiameterMm: 36 } } }));
    expect(plan.preset).toEqual({ name: "seal", placedBy: "leader-signature" });
    const sealed = await signPdf(leader, orgSigner, { preset: { name: "seal", image: seal, sealDiameterMm: 36 } });
    expect(Buffer.from(sealed.subarray(0, leader.length)).equals(Buffer.from(leader))).toBe(true);
    const file = await h.file("leader-seal.pdf", sealed);
    await expectAllValid(file, 2);

    const sealRect = await lastWidgetRect(sealed);
    expect(plan.stamp?.rect).toEqual(sealRect.map((v) => expect.closeTo(v, 2)));
    expect(sealRect[2]).toBeCloseTo(leaderRect[0]! + (leaderRect[2]! - leaderRect[0]!) / 3, 1);
    expect(sealRect[2]! - sealRect[0]!).toBeCloseTo(36 * PT_PER_MM, 1);
    expect(plan.stamp?.page).toBe(2);
    expect((await inkIn(file, 2, sealRect as never, "seal-box")).dark).toBeGreaterThan(20);
    expect((await inkIn(file, 2, FAR, "seal-far")).dark).toBe(0);

    const report = await verifyPdf(sealed, { anchors: [...(await loadAnchors({})).anchors] });
    const [first, second] = report.signatures;
    expect(first!.coverage).toBe("revision");
    expect(first!.integrity).toEqual({ hash: "valid", signature: "valid" });
    expect(first!.laterUpdates.map((u) => u.kinds)).toEqual([["signature"]]);
    expect(second!.coverage).toBe("whole-file");
    // The roles a verifier tells apart.
    expect(report.signatures.map((s) => s.preset)).toEqual(["leader", "seal"]);

    // The signer placed the seal on the preview: that point wins over the leader's signature already there.
    const placed = await planSignature(
      parseSigningRequest({ format: "pades", document: leader, options: { preset: { name: "seal", image: seal, sealDiameterMm: 36, at: { page: 1, x: 300, y: 400 }, placedByUser: true } } }),
    );
    expect(placed.preset).toEqual({ name: "seal", placedBy: "user" });
    expect(placed.stamp?.page).toBe(1);
    const [x1, y1, x2, y2] = placed.stamp!.rect;
    expect([(x1! + x2!) / 2, (y1! + y2!) / 2]).toEqual([expect.closeTo(300, 1), expect.closeTo(400, 1)]);
  });

  it("a seal with no leader signature and no position is refused before signing", async () => {
    await expect(signPdf(plain, await h.signer("orgRsa3072"), { preset: { name: "seal", image: seal, sealDiameterMm: 36 } })).rejects.toSatisfy((e) => isKysoError(e, "invalid_params"));
  });
});

/**
 * The leader preset finds its place in the last page's text layer (between the authority line and the name line),
 * signed with the SoftHSM fixture and checked on the page pdftoppm renders; without those lines, the default spot.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sign } from "../../../main/core/signing/index.js";
import { planSignature } from "../../../main/core/signing/plan.js";
import { parseSigningRequest } from "../../../main/core/signing/request.js";
import { officialPdf, OFFICIAL_PAGE_HEIGHT } from "../../helpers/official-pdf.js";
import { pdfsigVerify, runTool } from "../../verifiers/cli-verifiers.js";
import { openHarness, type Harness } from "./harness.js";
import { makeSamplePdf } from "./pdf-samples.js";
import { sealPng } from "./png.js";

vi.setConfig({ testTimeout: 120_000 });
const image = Buffer.from(sealPng(96)).toString("base64");
const PAGE_HEIGHT = OFFICIAL_PAGE_HEIGHT;
let h: Harness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => h?.close());

async function ink(file: string, box: readonly [number, number, number, number], name: string): Promise<number> {
  const s = 50 / 72;
  const [x, y, w, hh] = [Math.round(box[0] * s), Math.round((PAGE_HEIGHT - box[3]) * s), Math.round((box[2] - box[0]) * s), Math.round((box[3] - box[1]) * s)];
  const out = join(h.dir, name);
  const r = await runTool("pdftoppm", ["-r", "50", "-f", "2", "-l", "2", "-gray", "-singlefile", "-x", `${x}`, "-y", `${y}`, "-W", `${w}`, "-H", `${hh}`, file, out]);
  expect(r.ok, r.stderr).toBe(true);
  return (await readFile(`${out}.pgm`)).subarray(-w * hh).filter((v) => v < 160).length;
}

describe("leader position from the text layer", () => {
  it("goes between 'KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC' and the name, in the block's column; the approval says where it was found", async () => {
    const pdf = await officialPdf();
    const plan = await planSignature(parseSigningRequest({ format: "pades", document: pdf, options: { preset: { name: "leader", image } } }));
    expect(plan.preset).toEqual({ name: "leader", placedBy: "text-layer", foundUnder: "KT. GIÁM ĐỐC" });
    const [x1, y1, x2, y2] = plan.stamp!.rect;
    expect(plan.stamp!.page).toBe(2);
    // Between the post line (baseline 384) and the name line's top (300 + 13 pt), in the right-hand column.
    expect(y2).toBeLessThan(384);
    expect(y1).toBeGreaterThan(300 + 10);
    expect(x1).toBeGreaterThan(330);
    expect(x2).toBeLessThan(520);

    const result = await sign({ format: "pades", document: pdf, options: { preset: { name: "leader", image } } }, await h.signer("personRsa"), {});
    if (result.kind !== "document") throw new Error("expected a document");
    const file = await h.file("leader-found.pdf", result.document);
    const pdfsig = await pdfsigVerify(file);
    expect(pdfsig.signatures.map((s) => s.valid)).toEqual([true]);
    expect(await ink(file, [x1 + 5, y1 + 5, x2 - 5, y2 - 5], "in")).toBeGreaterThan(10);
    // The "Nơi nhận" column stays clear.
    expect(await ink(file, [60, 320, 200, 370], "left")).toBe(0);
  });

  it("without an authority line: the default spot, and the plan says so", async () => {
    const plan = await planSignature(parseSigningRequest({ format: "pades", document: await makeSamplePdf(2), options: { preset: { name: "leader", image } } }));
    expect(plan.preset).toEqual({ name: "leader", placedBy: "default" });
    expect(plan.stamp!.page).toBe(2);
  });

  it("a point the user chose wins over the text layer", async () => {
    const plan = await planSignature(parseSigningRequest({ format: "pades", document: await officialPdf(), options: { preset: { name: "leader", image, at: { page: 1, x: 200, y: 200 } } } }));
    expect(plan.preset).toEqual({ name: "leader", placedBy: "caller" });
  });
});

describe("a point the user placed on the approval's preview (placedByUser)", () => {
  it("leader: the approval says the user placed it; seal: the user's point wins over the leader rule", async () => {
    const pdf = await makeSamplePdf(2);
    const leader = await planSignature(parseSigningRequest({ format: "pades", document: pdf, options: { preset: { name: "leader", image, at: { page: 2, x: 300, y: 300 }, placedByUser: true } } }));
    expect(leader.preset).toEqual({ name: "leader", placedBy: "user" });
    expect(leader.stamp!.page).toBe(2);
    const seal = await planSignature(parseSigningRequest({ format: "pades", document: pdf, options: { preset: { name: "seal", image, sealDiameterMm: 36, at: { page: 1, x: 300, y: 300 }, placedByUser: true } } }));
    expect(seal.preset).toEqual({ name: "seal", placedBy: "user" });
  });

  it("an image that would hang off the page, or a page the PDF lacks: stamp_off_page before signing", async () => {
    const pdf = await makeSamplePdf(2);
    for (const at of [{ page: 1, x: 10, y: 300 }, { page: 1, x: 300, y: 840 }, { page: 3, x: 300, y: 300 }]) {
      const request = parseSigningRequest({ format: "pades", document: pdf, options: { preset: { name: "leader", image, at, placedByUser: true } } });
      await expect(planSignature(request)).rejects.toMatchObject({ code: "stamp_off_page" });
      await expect(sign(request, await h.signer("personRsa"), {})).rejects.toMatchObject({ code: "stamp_off_page" });
    }
  });

  it("placedByUser needs a point and a leader or seal preset", () => {
    expect(() => parseSigningRequest({ format: "pades", document: new Uint8Array(1), options: { preset: { name: "leader", image, placedByUser: true } } })).toThrow(/needs at/);
    expect(() => parseSigningRequest({ format: "pades", document: new Uint8Array(1), options: { preset: { name: "appendix", documentNumber: "1", at: { page: 1, x: 1, y: 1 }, placedByUser: true } } })).toThrow(/needs at/);
  });
});

/**
 * The text presets' face, read back from signed files by tools that share no code with the signer: every font of
 * the stamp's appearance is a Tinos subset (qpdf --json), pdftotext gives back the exact NFC text across the runs
 * (so each subset's ToUnicode is right), and a right-aligned line ends at the documented right margin
 * (pdftotext -bbox, whose glyph boxes come from the fonts' /W advances).
 */
import { readFile } from "node:fs/promises";
import { PDFDocument } from "@cantoo/pdf-lib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sign } from "../../../main/core/signing/index.js";
import { presetFace } from "../../../main/core/signing/pdf/presets/text-face.js";
import { PT_PER_MM } from "../../../main/domain/stamp-presets.js";
import { pdfsigVerify, qpdfCheck, runTool } from "../../verifiers/cli-verifiers.js";
import { openHarness, type Harness } from "./harness.js";

vi.setConfig({ testTimeout: 120_000 });

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
/** docs/presets.md: the right edge 15 mm from the right page edge. */
const RIGHT_MARGIN = PAGE_WIDTH - 15 * PT_PER_MM;

/** Every Vietnamese vowel with every tone (and none), and đ: one word per vowel, so lines wrap at spaces. */
const VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"];
const TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"];
const ALL_LETTERS = [...VOWELS.map((v) => TONES.map((t) => (v + t).normalize("NFC")).join("")), "đ"].join(" ");

let h: Harness;
let plain: Uint8Array;

beforeAll(async () => {
  h = await openHarness();
  // A blank A4 page: pdftotext then reads the stamp's text alone.
  const doc = await PDFDocument.create();
  doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]);
  plain = await doc.save({ useObjectStreams: false });
});
afterAll(async () => h?.close());

async function signPreset(name: string, preset: Record<string, unknown>): Promise<string> {
  const result = await sign({ format: "pades", document: plain, options: { preset: preset as never } }, await h.signer("orgRsa3072"), {});
  if (result.kind !== "document") throw new Error("expected a document");
  const file = await h.file(name, result.document);
  const pdfsig = await pdfsigVerify(file);
  expect(pdfsig.signatures.map((s) => s.valid)).toEqual([true]);
  expect((await qpdfCheck(file)).code).toBe(0);
  return file;
}

type Json = Record<string, unknown>;

/** qpdf's view of the file: the objects after the last update, a reference `"n 0 R"` resolved. */
async function qpdfObjects(file: string): Promise<{ dicts: Json[]; get: (value: unknown) => Json }> {
  const r = await runTool("qpdf", ["--json=2", "--json-key=qpdf", file]);
  expect(r.code, r.stderr).toBe(0);
  const objects = (JSON.parse(r.stdout) as { qpdf: [unknown, Record<string, { value?: Json; stream?: { dict: Json } }>] }).qpdf[1];
  const body = (o: { value?: Json; stream?: { dict: Json } }): Json => (o.value ?? o.stream?.dict ?? {}) as Json;
  return {
    dicts: Object.values(objects).map(body),
    get: (value) => (typeof value === "string" && /^\d+ \d+ R$/.test(value) ? body(objects[`obj:${value}`]!) : (value as Json)),
  };
}

/** The signature widget's stamp: its /Rect and the /FontName of every font its normal appearance uses. */
async function stampFonts(file: string): Promise<{ rect: number[]; fontNames: string[] }> {
  const { dicts, get } = await qpdfObjects(file);
  const widgets = dicts.filter((d) => d["/Subtype"] === "/Widget" && d["/FT"] === "/Sig");
  expect(widgets).toHaveLength(1);
  const widget = widgets[0]!;
  const appearance = get(get(widget["/AP"])["/N"]);
  const fonts = get(get(appearance["/Resources"])["/Font"]);
  const fontNames = Object.values(fonts).map((ref) => {
    const font = get(ref);
    // Type0 (pdf-lib's subset of a TrueType face): the descriptor is on its one descendant CIDFont.
    const descendant = font["/Subtype"] === "/Type0" ? get((get(font["/DescendantFonts"]) as unknown as unknown[])[0]) : font;
    return String(get(descendant["/FontDescriptor"])["/FontName"]);
  });
  return { rect: (widget["/Rect"] as number[]).map(Number), fontNames };
}

interface BboxWord { xMin: number; yMin: number; xMax: number; yMax: number; text: string }

/** pdftotext -bbox of page 1: every word with its box (top-left origin, points). */
async function words(file: string): Promise<BboxWord[]> {
  const out = `${file}.html`;
  const r = await runTool("pdftotext", ["-bbox", "-f", "1", "-l", "1", file, out]);
  expect(r.ok, r.stderr).toBe(true);
  const html = await readFile(out, "utf8");
  const decode = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: decode(m[5]!),
  }));
}

/** The words inside the stamp's /Rect, grouped into lines (top to bottom), each line's words left to right. */
async function stampLines(file: string, rect: readonly number[]): Promise<BboxWord[][]> {
  const [x1, y1, x2, y2] = rect as [number, number, number, number];
  const inside = (await words(file)).filter((w) => w.xMin >= x1 - 0.5 && w.xMax <= x2 + 0.5 && PAGE_HEIGHT - w.yMax >= y1 - 0.5 && PAGE_HEIGHT - w.yMin <= y2 + 0.5);
  const lines = new Map<number, BboxWord[]>();
  for (const w of inside) {
    const key = [...lines.keys()].find((k) => Math.abs(k - w.yMax) < 2) ?? w.yMax;
    lines.set(key, [...(lines.get(key) ?? []), w]);
  }
  return [...lines.entries()].sort(([a], [b]) => a - b).map(([, ws]) => ws.sort((a, b) => a.xMin - b.xMin));
}

describe("the text presets are drawn in Tinos (Times New Roman metrics)", () => {
  it("appendix and copy: every font of the stamp's appearance is a Tinos subset (qpdf --json: /FontDescriptor /FontName)", async () => {
    for (const [name, preset] of [
      ["appendix-font.pdf", { name: "appendix", documentNumber: "15/QĐ-UBND" }],
      ["copy-font.pdf", { name: "copy", copyKind: "sao-luc", organisation: "Ủy ban nhân dân thành phố Đà Nẵng" }],
      ["income-font.pdf", { name: "income", documentNumber: "4567" }],
    ] as const) {
      const { fontNames } = await stampFonts(await signPreset(name, preset));
      expect(fontNames.length, name).toBeGreaterThan(0);
      for (const font of fontNames) expect(font, name).toMatch(/^\/[A-Z]{6}\+Tinos-Regular$/);
    }
  });

  it.each([
    ["lower case", `Sở Tư pháp ${ALL_LETTERS}`],
    ["upper case", ALL_LETTERS.toUpperCase()],
  ])("Vietnamese, every vowel with every tone (%s), sent decomposed (NFD): pdftotext gives back the exact NFC text, across the subsets' runs", async (label, organisation) => {
    // NFD stays under the request's 200 characters for organisation.
    const file = await signPreset(`copy-tones-${label.replace(" ", "-")}.pdf`, { name: "copy", copyKind: "trich-sao", organisation: organisation.normalize("NFD") });
    const { rect, fontNames } = await stampFonts(file);
    // latin (base letters), vietnamese (ạ ầ Ủ ...) and latin-ext: three subsets, each a Tinos face.
    expect(fontNames.length).toBeGreaterThanOrEqual(2);
    for (const font of fontNames) expect(font).toMatch(/\+Tinos-Regular$/);
    const [x1, y1, x2, y2] = rect as [number, number, number, number];
    const r = await runTool("pdftotext", ["-f", "1", "-l", "1", "-r", "72", "-x", String(Math.floor(x1)), "-y", String(Math.floor(PAGE_HEIGHT - y2)), "-W", String(Math.ceil(x2 - x1) + 1), "-H", String(Math.ceil(y2 - y1) + 1), file, "-"]);
    expect(r.ok, r.stderr).toBe(true);
    const lines = r.stdout.split("\n").map((l) => l.trim()).filter(Boolean);
    expect(lines[0]).toBe("TRÍCH SAO");
    // The organisation wraps at spaces over several lines; joined back, it is the NFC text, letter for letter.
    expect(lines.slice(1, -1).join(" ")).toBe(organisation.normalize("NFC"));
    expect(lines.at(-1)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
  });

  it("right-aligned lines end at the documented right margin; each line's width is the sum of its runs' advances", async () => {
    const face = await presetFace();
    const file = await signPreset("copy-align.pdf", { name: "copy", copyKind: "sao-y", organisation: "Ủy ban nhân dân Đà Nẵng" });
    const { rect } = await stampFonts(file);
    expect(rect[2]).toBeCloseTo(RIGHT_MARGIN, 2);
    const lines = await stampLines(file, rect);
    expect(lines.map((ws) => ws.map((w) => w.text).join(" "))).toEqual(["SAO Y", "Ủy ban nhân dân Đà Nẵng", expect.stringMatching(/\+07:00$/)]);
    for (const ws of lines) {
      const text = ws.map((w) => w.text).join(" ");
      const xMax = Math.max(...ws.map((w) => w.xMax));
      const xMin = Math.min(...ws.map((w) => w.xMin));
      expect(xMax, text).toBeCloseTo(RIGHT_MARGIN, 1);
      expect(xMax - xMin, text).toBeCloseTo(face.width(text, 10), 1);
    }
  });
});

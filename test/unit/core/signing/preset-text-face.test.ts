/**
 * The text presets' face (presets/text-face.ts): Tinos has Times New Roman's advance widths (checked against
 * Liberation Serif, Times-metric too, from Debian's fonts-liberation that scripts/setup-system.sh installs for the
 * tests), a Vietnamese line is cut into runs of Tinos subsets only, decomposed input finds the precomposed glyphs,
 * and a code point no subset has falls back to DejaVu Serif instead of being lost.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import fontkit from "@cantoo/fontkit";
import { PDFDocument } from "@cantoo/pdf-lib";
import { describe, expect, it } from "vitest";
import { EmbeddedFace, presetFace } from "../../../../main/core/signing/pdf/presets/text-face.js";

const LIBERATION_SERIF = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf";
const VOWELS = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"];
const TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"];
const VIETNAMESE = [...VOWELS.flatMap((v) => TONES.map((t) => (v + t).normalize("NFC"))), "đ"].join("");
const SAMPLE = "Sao y, ngày 02 tháng 12 năm 2026, Ủy ban nhân dân Đà Nẵng";

describe("the text presets' face: Tinos, Times New Roman metrics", () => {
  it("every printable ASCII character has Liberation Serif's (Times New Roman's) advance width", async () => {
    expect(existsSync(LIBERATION_SERIF), `${LIBERATION_SERIF}: install fonts-liberation (scripts/setup-system.sh)`).toBe(true);
    const reference = fontkit.create(await readFile(LIBERATION_SERIF)) as unknown as { unitsPerEm: number; glyphForCodePoint(c: number): { advanceWidth: number } };
    const face = await presetFace();
    for (let c = 0x20; c <= 0x7e; c++) {
      const ch = String.fromCharCode(c);
      expect(face.width(ch, 1000), JSON.stringify(ch)).toBeCloseTo((reference.glyphForCodePoint(c).advanceWidth / reference.unitsPerEm) * 1000, 6);
    }
    // Times New Roman's 'a' is 909/2048 em, 'W' 1933/2048 em: not DejaVu Serif's (wider).
    expect(face.width("a", 2048)).toBeCloseTo(909, 6);
    expect(face.width("W", 2048)).toBeCloseTo(1933, 6);
  });

  it("a Vietnamese line is drawn in Tinos subsets only (latin and vietnamese here), the runs joining back into the NFC text", async () => {
    const face = await presetFace();
    const runs = face.runs(SAMPLE);
    expect(runs.map((r) => r.text).join("")).toBe(SAMPLE.normalize("NFC"));
    expect(new Set(runs.map((r) => face.files[r.file]!.name))).toEqual(new Set(["tinos-latin", "tinos-vietnamese"]));
    // Every vowel with every tone, upper and lower case, and đ Đ: none needs the fallback.
    for (const text of [VIETNAMESE, VIETNAMESE.toUpperCase()]) {
      for (const run of face.runs(text)) expect(face.files[run.file]!.name, run.text).toMatch(/^tinos-/);
    }
    // A letter only latin-ext has (Ŀ, Catalan) is Tinos too.
    expect(face.runs("Ŀ").map((r) => face.files[r.file]!.name)).toEqual(["tinos-latin-ext"]);
  });

  it("the width of a line is the sum of its runs' advances, the same as pdf-lib's /W of each embedded subset", async () => {
    const face = await presetFace();
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    let sum = 0;
    for (const run of face.runs(SAMPLE)) sum += (await doc.embedFont(face.files[run.file]!.bytes, { subset: true })).widthOfTextAtSize(run.text, 10);
    expect(face.width(SAMPLE, 10)).toBeCloseTo(sum, 9);
  });

  it("decomposed input (NFD) gives the same runs and width as precomposed: the precomposed glyphs are found", async () => {
    const face = await presetFace();
    const nfd = SAMPLE.normalize("NFD");
    expect(nfd).not.toBe(SAMPLE);
    expect(face.runs(nfd)).toEqual(face.runs(SAMPLE));
    expect(face.width(nfd, 10)).toBe(face.width(SAMPLE, 10));
  });

  it("a code point no Tinos subset has (Cyrillic) falls back to DejaVu Serif for that run only, nothing dropped", async () => {
    const face = await presetFace();
    const runs = face.runs("Sở Москва");
    expect(runs.map((r) => [face.files[r.file]!.name, r.text])).toEqual([
      ["tinos-latin", "S"],
      ["tinos-vietnamese", "ở "],
      ["dejavu-serif", "Москва"],
    ]);
    expect(face.width("Москва", 10)).toBeGreaterThan(0);
  });

  it("each file is embedded at most once per document however many lines use it; only the files used are embedded", async () => {
    const face = await presetFace();
    const doc = await PDFDocument.create();
    const fonts = new EmbeddedFace(doc, face);
    const ops = [...(await fonts.show(SAMPLE, 10)), ...(await fonts.show("Đà Nẵng 2026", 10)), ...(await fonts.show("15/QĐ-UBND", 10))];
    expect(Object.keys(fonts.resources()).sort()).toEqual(["T0", "T1"]);
    expect(ops.every((op) => /^\/T[01] 10 Tf <[0-9A-F]+> Tj$/.test(op))).toBe(true);
  });
});

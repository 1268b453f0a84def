/**
 * The face of the text presets: Tinos, Google's Times New Roman metric-compatible serif (SIL OFL 1.1, npm
 * `@fontsource/tinos`). Decree 30/2020 asks for Times New Roman; Tinos has the same advance widths, so a line
 * takes the room it takes in Times. The package ships the face split by Unicode range (latin, latin-ext,
 * vietnamese, ...), not one file: Vietnamese needs three of them (base letters in latin, `Đ đ Ă ă Ơ ơ Ư ư` and
 * the precomposed `ạ ầ Ủ ...` in vietnamese, a few letters in latin-ext). So a line is cut into runs, each drawn
 * in the subset that has its code points, one after the other on the same baseline; the subsets are one face
 * (same units per em, same advances), so the runs join as if the face were one file.
 *
 * The WOFF files, not WOFF2: @cantoo/fontkit reads both, but pdf-lib's subsetting fails on the latin-ext and
 * vietnamese WOFF2 ("Offset is outside the bounds of the DataView").
 */
import { randomInt } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fontkit from "@cantoo/fontkit";
import type { PDFDocument, PDFFont, PDFRef } from "@cantoo/pdf-lib";

/** The subsets read, in the order a code point is looked up; the fallback last. */
export const TINOS_SUBSETS = ["latin", "vietnamese", "latin-ext"] as const;

interface FontkitFont {
  readonly unitsPerEm: number;
  readonly postscriptName: string;
  hasGlyphForCodePoint(codePoint: number): boolean;
  layout(text: string): { glyphs: readonly { advanceWidth: number }[] };
}

export interface FaceFile {
  /** `tinos-latin`, `tinos-vietnamese`, `tinos-latin-ext`, or `dejavu-serif` (the fallback). */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly font: FontkitFont;
}

/** A piece of a line drawn in one file of the face. */
export interface TextRun {
  /** Index into `TextFace.files`. */
  readonly file: number;
  readonly text: string;
}

export interface TextFace {
  readonly files: readonly FaceFile[];
  /** `text` in NFC, cut into runs by the file that has each code point. */
  runs(text: string): TextRun[];
  /** Advance width at `size` points: the runs' widths summed, exactly the advances the PDF's /W arrays hold. */
  width(text: string, size: number): number;
}

function parse(name: string, bytes: Uint8Array): FaceFile {
  return { name, bytes, font: fontkit.create(Buffer.from(bytes)) as unknown as FontkitFont };
}

function makeFace(files: readonly FaceFile[]): TextFace {
  const fallback = files.length - 1;
  const fileFor = (codePoint: number, current: number | undefined): number => {
    // Staying in the current run's file when it has the code point (spaces, digits) keeps the runs few.
    if (current !== undefined && files[current]!.font.hasGlyphForCodePoint(codePoint)) return current;
    const found = files.findIndex((f) => f.font.hasGlyphForCodePoint(codePoint));
    // A code point no Tinos subset has (a Cyrillic or CJK organisation name) is drawn in DejaVu Serif, wider
    // but present, so nothing of what the signer approved is lost; DejaVu lacking it too, its .notdef shows.
    return found === -1 ? fallback : found;
  };
  const runs = (text: string): TextRun[] => {
    // NFC first: a decomposed `u` + U+031B + U+0309 must find the precomposed `ử` of the vietnamese subset
    // (the subsets hold precomposed letters; a combining mark alone would be placed by no shaping here).
    const out: { file: number; text: string }[] = [];
    for (const ch of text.normalize("NFC")) {
      const last = out.at(-1);
      const file = fileFor(ch.codePointAt(0)!, last?.file);
      if (last && last.file === file) last.text += ch;
      else out.push({ file, text: ch });
    }
    return out;
  };
  const width = (text: string, size: number): number => {
    let units = 0;
    for (const run of runs(text)) {
      const font = files[run.file]!.font;
      // Glyph advances without kerning: a Tj places glyphs by the font's /W advances, never by GPOS pairs.
      for (const glyph of font.layout(run.text).glyphs) units += glyph.advanceWidth / font.unitsPerEm;
    }
    return units * size;
  };
  return { files, runs, width };
}

async function tinosFile(subset: string): Promise<Uint8Array> {
  const path = createRequire(import.meta.url).resolve(`@fontsource/tinos/files/tinos-${subset}-400-normal.woff`);
  return new Uint8Array(await readFile(path));
}

let face: Promise<TextFace> | undefined;
let serif: Promise<Uint8Array> | undefined;

/** DejaVu Serif (package dejavu-fonts-ttf, the default stamp's family): the fallback for code points Tinos lacks. */
function dejaVuSerif(): Promise<Uint8Array> {
  serif ??= (async () => {
    const pkg = createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json");
    return new Uint8Array(await readFile(join(dirname(pkg), "ttf", "DejaVuSerif.ttf")));
  })();
  return serif;
}

/** The text presets' face (read and parsed once per process). */
export function presetFace(): Promise<TextFace> {
  // Read as files: the package's exports map `./files/*.woff` to its files, and knip cannot see these as imports.
  face ??= (async () => {
    const tinos = await Promise.all(TINOS_SUBSETS.map(async (s) => parse(`tinos-${s}`, await tinosFile(s))));
    return makeFace([...tinos, parse("dejavu-serif", await dejaVuSerif())]);
  })();
  return face;
}

/**
 * The face's files embedded into one document's object context, each at most once and subsetted (pdf-lib keeps
 * only the glyphs shown when the increment is flushed), on first use: a line in plain ASCII embeds the latin
 * subset alone.
 */
export class EmbeddedFace {
  private readonly fonts = new Map<number, PDFFont>();

  constructor(private readonly doc: PDFDocument, private readonly face: TextFace) {
    doc.registerFontkit(fontkit);
  }

  /** Operators drawing `text` from the current text position: per run, its font (`/T<file>`) and a `Tj`. */
  async show(text: string, size: number): Promise<string[]> {
    const ops: string[] = [];
    for (const run of this.face.runs(text)) {
      const font = await this.font(run.file);
      ops.push(`/T${run.file} ${size} Tf ${font.encodeText(run.text).toString()} Tj`);
    }
    return ops;
  }

  /** The `/Font` resources of the stream(s) drawn with `show`. */
  resources(): Record<string, PDFRef> {
    return Object.fromEntries([...this.fonts].map(([file, font]) => [`T${file}`, font.ref]));
  }

  private async font(file: number): Promise<PDFFont> {
    let font = this.fonts.get(file);
    if (!font) {
      const { bytes, font: parsed } = this.face.files[file]!;
      // ISO 32000-1 §9.6.4: a subset's name is a six-capital-letter tag, "+", the PostScript name (pdf-lib
      // would write "Tinos-Regular-1234"). Random per embedding, so two subsets of one file never share a tag.
      const tag = Array.from({ length: 6 }, () => String.fromCharCode(65 + randomInt(26))).join("");
      font = await this.doc.embedFont(bytes, { subset: true, customName: `${tag}+${parsed.postscriptName}` });
      this.fonts.set(file, font);
    }
    return font;
  }
}

/** Advance width of `text` at `size` points in the preset face: what the placement wraps and aligns with. */
export async function presetTextWidth(): Promise<(text: string, size: number) => number> {
  const f = await presetFace();
  return (text, size) => f.width(text, size);
}

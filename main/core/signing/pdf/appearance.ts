/**
 * The visible stamp: a form XObject with the Vietnamese lines in a DejaVu Sans subset (freely licensed, full
 * Vietnamese coverage) and an optional seal or handwritten-signature image on the left. Built with pdf-lib's
 * embedders into the same object context as the increment, so the font and image become new objects of the update.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fontkit from "@cantoo/fontkit";
import type { PDFDocument, PDFRef } from "@cantoo/pdf-lib";
import { KysoError } from "../../../domain/errors/index.js";
import { MAX_STAMP_IMAGE_BYTES } from "../limits.js";
import { layoutStampText, STAMP_LEADING } from "./stamp-layout.js";

let fontBytes: Promise<Uint8Array> | undefined;

/** The bundled font file (package dejavu-fonts-ttf). */
export function dejaVuSans(): Promise<Uint8Array> {
  fontBytes ??= (async () => {
    const pkg = createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json");
    return new Uint8Array(await readFile(join(dirname(pkg), "ttf", "DejaVuSans.ttf")));
  })();
  return fontBytes;
}

export interface StampContent {
  readonly width: number;
  readonly height: number;
  /** Paragraphs: each is wrapped (and the size shrunk) to fit the box by layoutStampText. */
  readonly lines: readonly string[];
  readonly image?: Uint8Array;
}

const PADDING = 4;

const num = (n: number): string => (Math.round(n * 1000) / 1000).toString();

export async function buildStamp(doc: PDFDocument, content: StampContent): Promise<PDFRef> {
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await dejaVuSans(), { subset: true });
  const { width: w, height: h } = content;
  const ops: string[] = [
    "q 0.96 0.97 1 rg", `0 0 ${num(w)} ${num(h)} re f`,
    "0.75 0.1 0.1 RG 1 w", `0.5 0.5 ${num(w - 1)} ${num(h - 1)} re S Q`,
  ];
  const resources: Record<string, unknown> = { Font: { F1: font.ref } };
  let textX = PADDING;
  if (content.image) {
    const image = await embedStampImage(doc, content.image);
    const box = h - 2 * PADDING;
    const scale = Math.min(box / image.height, (w * 0.4) / image.width);
    const iw = image.width * scale;
    const ih = image.height * scale;
    ops.push(`q ${num(iw)} 0 0 ${num(ih)} ${num(PADDING)} ${num((h - ih) / 2)} cm /Im1 Do Q`);
    resources.XObject = { Im1: image.ref };
    textX = PADDING * 2 + iw;
  }
  const layout = layoutStampText(content.lines, { width: w - textX - PADDING, height: h - 2 * PADDING }, (text, size) => font.widthOfTextAtSize(text, size));
  const size = layout.fontSize;
  const blockHeight = layout.lines.length * size * STAMP_LEADING;
  // Baseline of the first line: the block is centred vertically; the descent stays inside the padding.
  let y = (h + blockHeight) / 2 - size;
  ops.push("BT 0.05 0.15 0.45 rg", `/F1 ${num(size)} Tf`);
  for (const line of layout.lines) {
    ops.push(`1 0 0 1 ${num(textX)} ${num(y)} Tm ${font.encodeText(line).toString()} Tj`);
    y -= size * STAMP_LEADING;
  }
  ops.push("ET");
  const stream = doc.context.flateStream(ops.join("\n"), {
    Type: "XObject",
    Subtype: "Form",
    BBox: [0, 0, w, h],
    Resources: resources as never,
  });
  return doc.context.register(stream);
}

/** A PNG (alpha kept as an SMask) or JPEG stamp image, embedded into the increment; typed refusal when it does not decode. */
export async function embedStampImage(doc: PDFDocument, bytes: Uint8Array): Promise<{ ref: PDFRef; width: number; height: number }> {
  if (bytes.length > MAX_STAMP_IMAGE_BYTES) throw new KysoError("invalid_params", "stamp image too large");
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  if (!isPng && !isJpeg) throw new KysoError("invalid_params", "stamp image must be PNG or JPEG");
  try {
    const image = isPng ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
    return { ref: image.ref, width: image.width, height: image.height };
  } catch (error) {
    throw new KysoError("invalid_params", `stamp image does not decode: ${String(error)}`);
  }
}

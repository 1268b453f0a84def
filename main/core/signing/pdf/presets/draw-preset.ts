/**
 * The appearance of a preset's stamp: a form XObject the size of its /Rect, drawn with nothing the decree does
 * not ask for. Text presets: the lines right-aligned (left-aligned at the top left: income) in Tinos, the Times New
 * Roman metric-compatible face (text-face.ts: one run per font subset, drawn one after the other), regular, 10 pt, black,
 * no frame, no background. Image presets: the image alone, filling the box (the placement kept its aspect
 * ratio; a non-square seal is centred in its square). Built into the increment's object context, as appearance.ts.
 */
import type { PDFDocument, PDFRef } from "@cantoo/pdf-lib";
import { STAMP_PRESETS } from "../../../../domain/stamp-presets.js";
import { embedStampImage } from "../appearance.js";
import type { PresetPlacement } from "./preset-placement.js";
import { EmbeddedFace, presetFace } from "./text-face.js";

const num = (n: number): string => (Math.round(n * 1000) / 1000).toString();

export async function buildPresetStamp(doc: PDFDocument, placement: PresetPlacement): Promise<PDFRef> {
  const [x1, y1, x2, y2] = placement.rect;
  const w = x2 - x1;
  const h = y2 - y1;
  const ops: string[] = [];
  const resources: Record<string, unknown> = {};
  const preset = STAMP_PRESETS[placement.plan.name];
  if (preset.kind === "text") {
    const face = await presetFace();
    const fonts = new EmbeddedFace(doc, face);
    const size = preset.fontSize.value;
    const [r, g, b] = preset.color.value;
    ops.push("BT", `${num(r)} ${num(g)} ${num(b)} rg`);
    let y = h - size;
    for (const line of placement.lines ?? []) {
      // The runs' advances summed: the same numbers as the /W arrays, so the last glyph ends at the box's edge.
      const x = preset.corner.value === "top-left" ? 0 : Math.max(0, w - face.width(line, size));
      ops.push(`1 0 0 1 ${num(x)} ${num(y)} Tm`, ...(await fonts.show(line, size)));
      y -= size * preset.leading.value;
    }
    ops.push("ET");
    resources.Font = fonts.resources();
  } else if (placement.image) {
    const image = await embedStampImage(doc, placement.image);
    const scale = Math.min(w / image.width, h / image.height);
    const iw = image.width * scale;
    const ih = image.height * scale;
    ops.push(`q ${num(iw)} 0 0 ${num(ih)} ${num((w - iw) / 2)} ${num((h - ih) / 2)} cm /Im1 Do Q`);
    resources.XObject = { Im1: image.ref };
  }
  const stream = doc.context.flateStream(ops.join("\n"), { Type: "XObject", Subtype: "Form", BBox: [0, 0, w, h], Resources: resources as never });
  return doc.context.register(stream);
}

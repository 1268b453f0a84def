/**
 * Where a preset's stamp goes and what it shows, from the preset's numbers (main/domain/stamp-presets.ts) and the
 * document: the signer (prepare-update.ts) and the approval's plan (plan.ts) both call `placePreset`, so the
 * rectangle the user is shown is the /Rect that is written.
 *
 * - appendix, copy: page 1, the block's top-right corner `topMm` below the top and `rightMm` left of the right edge
 *   of the MediaBox, `widthMm` wide, as tall as its lines (10 pt, leading 1.2; a long line wraps);
 * - leader: the image fitted into `maxWidthMm` x `maxHeightMm` (aspect kept), centred on the point the user clicked
 *   on the approval's preview or the caller gave (wholly on the page's visible box, else `stamp_off_page`), else
 *   between the authority line and the name line of the last page's text (leader-position.ts), else the default;
 * - seal: a square of the seal's real diameter whose right edge is one third into the leader's image and whose
 *   centre is level with the leader's, so the seal covers the image's left third; at the caller's point when the
 *   document has no leader signature, and always at the user's click when the user placed it.
 */
import { COPY_KIND_TEXT, DOCUMENT_NUMBER_LABEL, INCOME_STAMP_HEADING, LEADER_DEFAULT_SPOT, PT_PER_MM, SEAL_OVERLAP_OF_LEADER, STAMP_PRESETS, type PresetPlan, type TextPreset } from "../../../../domain/stamp-presets.js";
import { KysoError } from "../../../../domain/errors/index.js";
import { message } from "../../../../domain/messages/index.js";
import type { PadesOptions, PresetOptions } from "../../request.js";
import { formatVnLocalIso } from "../../vn-time.js";
import { PDFName, PDFNumber } from "@cantoo/pdf-lib";
import { pageAt, pageCount, resolveArray } from "../pdf-model.js";
import type { PdfStructure } from "../pdf-reader.js";
import { layoutStampText } from "../stamp-layout.js";
import { imageSize } from "./image-size.js";
import { findLeaderSignature } from "./leader-signature.js";
import { findLeaderSpot } from "./leader-position.js";
import { checkScan } from "./scan-check.js";
import { presetTextWidth } from "./text-face.js";

export type Rect = readonly [number, number, number, number];

export interface PresetPlacement {
  readonly page: number;
  /** [x1, y1, x2, y2] in default user space: the widget's /Rect. */
  readonly rect: Rect;
  /** Text presets: the lines, top to bottom, already wrapped to the block's width. */
  readonly lines?: readonly string[];
  readonly image?: Uint8Array;
  readonly plan: PresetPlan;
}

/**
 * The /Reason written: the caller's, else the preset's role in Vietnamese (the signature is read in Vietnam,
 * whatever the signer's UI language), so a person sees the role as a verifier does from /Prop_Build.
 */
export function signatureReason(options: PadesOptions): string | undefined {
  return options.reason ?? (options.preset ? message("vi", `preset.reason.${options.preset.name}`) : undefined);
}

/** The signing time as the decree writes it: ISO 8601, Vietnam time, with its offset. */
export function presetTime(signedAt: Date): string {
  return `${formatVnLocalIso(signedAt)}+07:00`;
}

export function presetParagraphs(options: PresetOptions, signedAt: Date): string[] {
  if (options.name === "appendix") return [options.documentNumber!.trim(), presetTime(signedAt)];
  if (options.name === "copy") return [COPY_KIND_TEXT[options.copyKind!], options.organisation!.trim(), presetTime(signedAt)];
  if (options.name === "income") {
    const number = options.documentNumber?.trim();
    return [INCOME_STAMP_HEADING, ...(number ? [`${DOCUMENT_NUMBER_LABEL}${number}`] : []), presetTime(signedAt)];
  }
  return [];
}

async function placeText(pdf: PdfStructure, preset: TextPreset, options: PresetOptions, signedAt: Date): Promise<PresetPlacement> {
  const [x1, , x2, y2] = pageAt(pdf, 1).mediaBox;
  const width = preset.widthMm.value * PT_PER_MM;
  const size = preset.fontSize.value;
  const measure = await presetTextWidth();
  // A huge box height: the layout only wraps, it never shrinks below the decree's 10 pt.
  const { lines } = layoutStampText(presetParagraphs(options, signedAt), { width, height: 10_000 }, measure);
  const lineHeight = size * preset.leading.value;
  // The descent of the last line stays inside the box.
  const height = lines.length * lineHeight + size * 0.3;
  const right = preset.corner.value === "top-left" ? x1 + preset.rightMm.value * PT_PER_MM + width : x2 - preset.rightMm.value * PT_PER_MM;
  const top = y2 - preset.topMm.value * PT_PER_MM;
  const scan = options.name === "copy" ? checkScan(pdf) : undefined;
  return {
    page: 1,
    rect: [right - width, top - height, right, top],
    lines,
    plan: {
      name: options.name,
      placedBy: "fixed",
      ...(scan && scan.warnings.length > 0 ? { warnings: scan.warnings } : {}),
      ...(scan?.dpi !== undefined ? { scanDpi: scan.dpi } : {}),
    },
  };
}

function centred(cx: number, cy: number, w: number, h: number): Rect {
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

function callerPoint(pdf: PdfStructure, options: PresetOptions): { page: number; x: number; y: number } {
  if (!options.at) throw new KysoError("invalid_params", `preset ${options.name} needs a position (at: page, x, y)`);
  if (options.at.page > pageCount(pdf)) throw new KysoError("stamp_off_page", `page ${options.at.page} does not exist (the PDF has ${pageCount(pdf)})`, { page: options.at.page, pages: pageCount(pdf) });
  return options.at;
}

/**
 * The part of the page a viewer shows: the CropBox clipped to the MediaBox (the MediaBox when there is none), the
 * box pdf.js maps the preview through, so a point the user clicks on the preview is always inside it.
 */
export function visibleBox(pdf: PdfStructure, page: number): Rect {
  const { dict, mediaBox } = pageAt(pdf, page);
  const crop = resolveArray(pdf, dict.get(PDFName.of("CropBox"))).map((v) => (v instanceof PDFNumber ? v.asNumber() : Number.NaN));
  if (crop.length !== 4 || crop.some((v) => !Number.isFinite(v))) return mediaBox;
  const [cx1, cy1, cx2, cy2] = [Math.min(crop[0]!, crop[2]!), Math.min(crop[1]!, crop[3]!), Math.max(crop[0]!, crop[2]!), Math.max(crop[1]!, crop[3]!)];
  const [mx1, my1, mx2, my2] = mediaBox;
  const box: Rect = [Math.max(cx1, mx1), Math.max(cy1, my1), Math.min(cx2, mx2), Math.min(cy2, my2)];
  return box[2] > box[0] && box[3] > box[1] ? box : mediaBox;
}

/**
 * A stamp at a point someone chose (the portal's `at`, the user's click) lies wholly on the visible page, or the
 * request is refused (`stamp_off_page`) before the approval or, for a click, before the PIN: a stamp hanging off
 * the page would be cut by every viewer.
 */
function checkOnPage(pdf: PdfStructure, page: number, rect: Rect): void {
  const [x1, y1, x2, y2] = visibleBox(pdf, page);
  const EPSILON = 0.01;
  if (rect[0] < x1 - EPSILON || rect[1] < y1 - EPSILON || rect[2] > x2 + EPSILON || rect[3] > y2 + EPSILON) {
    const shown = rect.map((v) => Math.round(v)).join(" ");
    throw new KysoError("stamp_off_page", `the stamp [${shown}] does not fit on page ${page} [${[x1, y1, x2, y2].map((v) => Math.round(v)).join(" ")}]`, { page });
  }
}

/** The point the user chose on the preview or the caller gave; else the gap between the authority and name lines; else the default. */
function leaderPoint(pdf: PdfStructure, options: PresetOptions): { page: number; x: number; y: number; plan: PresetPlan } {
  if (options.at) return { ...callerPoint(pdf, options), plan: { name: "leader", placedBy: options.placedByUser ? "user" : "caller" } };
  const spot = findLeaderSpot(pdf);
  if (spot) return { page: spot.page, x: spot.x, y: spot.y, plan: { name: "leader", placedBy: "text-layer", foundUnder: spot.authorityLine } };
  const page = pageCount(pdf);
  const [x1, y1, x2] = pageAt(pdf, page).mediaBox;
  return { page, x: x1 + (x2 - x1) * LEADER_DEFAULT_SPOT.xOfWidth, y: y1 + LEADER_DEFAULT_SPOT.yMm * PT_PER_MM, plan: { name: "leader", placedBy: "default" } };
}

export async function placePreset(pdf: PdfStructure, options: PresetOptions, signedAt: Date): Promise<PresetPlacement> {
  const preset = STAMP_PRESETS[options.name];
  if (preset.kind === "text") return placeText(pdf, preset, options, signedAt);
  if (options.image === undefined) throw new KysoError("invalid_params", `preset ${options.name} needs an image: none was sent and none is kept in KySo for this certificate`);
  if (options.name === "seal" && options.sealDiameterMm === undefined) throw new KysoError("invalid_params", "preset seal needs sealDiameterMm: none was sent and none is kept in KySo for this certificate");
  const image = Buffer.from(options.image, "base64");
  const pixels = imageSize(image);
  if (options.name === "leader") {
    const { page, x, y, plan } = leaderPoint(pdf, options);
    const scale = Math.min((preset.maxWidthMm.value * PT_PER_MM) / pixels.width, (preset.maxHeightMm.value * PT_PER_MM) / pixels.height);
    const rect = centred(x, y, pixels.width * scale, pixels.height * scale);
    if (options.at) checkOnPage(pdf, page, rect);
    return { page, rect, image, plan };
  }
  const diameter = options.sealDiameterMm! * PT_PER_MM;
  // The user's own click wins over the decree's rule (a leader signature KySo cannot see, a seal set elsewhere on
  // purpose); a portal's `at` stays the fallback for a document without a leader signature.
  const leader = options.placedByUser ? undefined : findLeaderSignature(pdf);
  if (leader) {
    const [lx1, ly1, lx2, ly2] = leader.rect;
    const right = lx1 + (lx2 - lx1) * SEAL_OVERLAP_OF_LEADER;
    const cy = (ly1 + ly2) / 2;
    return { page: leader.page, rect: [right - diameter, cy - diameter / 2, right, cy + diameter / 2], image, plan: { name: "seal", placedBy: "leader-signature" } };
  }
  const { page, x, y } = callerPoint(pdf, options);
  const rect = centred(x, y, diameter, diameter);
  checkOnPage(pdf, page, rect);
  return { page, rect, image, plan: { name: "seal", placedBy: options.placedByUser ? "user" : "caller" } };
}

/**
 * The stamp presets of Decree 30/2020/ND-CP Appendix I (electronic official documents), declared once: the
 * options schema (main/core/signing/request.ts), the placement and drawing (main/core/signing/pdf/presets/), the
 * approval view and docs/presets.md all read these numbers. Each number says where it comes from: `decree` when
 * the decree fixes it, `kyso` when the decree leaves it open and this is KySo's default.
 *
 * Decree 30/2020 Appendix I, II.2 (official documents), as summarised in docs/presets.md:
 * - leader (chữ ký của người có thẩm quyền): the handwritten signature image, blue, transparent PNG, centred
 *   between the authority line and the name line; no size, no text;
 * - seal (chữ ký của cơ quan, tổ chức): the seal image, red, transparent PNG, at the seal's real size, covering
 *   about one third of the leader's image on its left; no text;
 * - appendix (phụ lục / văn bản kèm theo in a separate file): no image, top right of page 1, the document number
 *   and symbol and the signing time (ISO 8601, Vietnam time), Times New Roman, regular, 10 pt, black;
 * - copy (sao y / sao lục / trích sao): no image, top right of page 1, the copy kind, the copying organisation and
 *   the signing time, same font; the scan in colour at 200 dpi or more;
 * - income (văn bản đến: the receiving organisation's receipt, VGCA's `SignIncome`): the decree's Appendix I fixes no
 *   layout for it, so everything but the font is KySo's: no image, top LEFT of page 1 (the top right holds the
 *   issuer's number and time), "ĐẾN", the received number when given, the signing time.
 */

export const STAMP_PRESET_NAMES = ["leader", "seal", "appendix", "copy", "income"] as const;
export type StampPresetName = (typeof STAMP_PRESET_NAMES)[number];

/** The copy kinds of Decree 30/2020 Art. 25 (hình thức bản sao), in the words the stamp prints. */
export const COPY_KINDS = ["sao-y", "sao-luc", "trich-sao"] as const;
export type CopyKind = (typeof COPY_KINDS)[number];
export const COPY_KIND_TEXT: Readonly<Record<CopyKind, string>> = { "sao-y": "SAO Y", "sao-luc": "SAO LỤC", "trich-sao": "TRÍCH SAO" };

/** Where a number comes from. */
export type Source = "decree" | "kyso";
export interface Sourced<T> {
  readonly value: T;
  readonly source: Source;
}

/** 1 mm in PDF points. */
export const PT_PER_MM = 72 / 25.4;

interface PresetBase {
  readonly name: StampPresetName;
  /** The signature never carries DocMDP P=1: a later signature (the seal) must stay possible. */
  readonly locksDocument: false;
}

/** A text-only stamp at the top of page 1: right (appendix, copy; lines right-aligned) or left (income; left-aligned). */
export interface TextPreset extends PresetBase {
  readonly kind: "text";
  readonly page: Sourced<1>;
  readonly corner: Sourced<"top-right" | "top-left">;
  /** Distance from the page's edge on the corner's side to the block's edge (the decree's minimum right margin, 15 mm). */
  readonly rightMm: Sourced<number>;
  /** Distance from the page's top edge to the block's top edge (inside the decree's 20 mm top margin). */
  readonly topMm: Sourced<number>;
  /** Width of the block; lines are right-aligned inside it. */
  readonly widthMm: Sourced<number>;
  /** Drawn in Tinos, Times New Roman's metric-compatible free face (same advance widths; presets/text-face.ts). */
  readonly font: Sourced<"Times New Roman">;
  readonly fontSize: Sourced<10>;
  readonly fontStyle: Sourced<"regular">;
  /** RGB 0..1. */
  readonly color: Sourced<readonly [number, number, number]>;
  /** Line height as a multiple of the font size. */
  readonly leading: Sourced<number>;
}

/** An image-only stamp (leader's handwritten signature, organisation seal). */
export interface ImagePreset extends PresetBase {
  readonly kind: "image";
  /** The largest box the image is fitted into, keeping its aspect ratio (leader); the seal uses its diameter. */
  readonly maxWidthMm: Sourced<number>;
  readonly maxHeightMm: Sourced<number>;
}

export type StampPreset = TextPreset | ImagePreset;

const decree = <T>(value: T): Sourced<T> => ({ value, source: "decree" });
const kyso = <T>(value: T): Sourced<T> => ({ value, source: "kyso" });

const textPreset = (name: "appendix" | "copy" | "income"): TextPreset => ({
  name,
  kind: "text",
  locksDocument: false,
  page: decree(1),
  corner: decree("top-right"),
  rightMm: kyso(15),
  topMm: kyso(5),
  widthMm: kyso(80),
  font: decree("Times New Roman"),
  fontSize: decree(10),
  fontStyle: decree("regular"),
  color: decree([0, 0, 0] as const),
  leading: kyso(1.2),
});

/** KySo's receipt stamp: the text layout of the decree's presets, at the top left, 30 mm from the left edge (the
 * decree's left margin is 30-35 mm), 60 mm wide. */
const incomePreset: TextPreset = { ...textPreset("income"), corner: kyso("top-left"), rightMm: kyso(30), widthMm: kyso(60) };

/** The first line of the receipt stamp (the word of the paper "ĐẾN" stamp). */
export const INCOME_STAMP_HEADING = "ĐẾN";

export const STAMP_PRESETS: Readonly<Record<StampPresetName, StampPreset>> = {
  leader: { name: "leader", kind: "image", locksDocument: false, maxWidthMm: kyso(45), maxHeightMm: kyso(18) },
  // The seal is drawn at its real diameter (organisation profile); these bound what a profile may say.
  seal: { name: "seal", kind: "image", locksDocument: false, maxWidthMm: kyso(60), maxHeightMm: kyso(60) },
  appendix: textPreset("appendix"),
  copy: textPreset("copy"),
  income: incomePreset,
};

/** Seal diameters a profile may set, in mm (Vietnamese seals are 30-45 mm; the bounds leave room). */
export const SEAL_DIAMETER_MM = { min: 20, max: 60 } as const;

/**
 * Where the leader's image goes when the caller gives no point and the page's text layer shows no authority and
 * name lines (KySo): on the last page, centred in the right half (where Appendix I puts the signature block),
 * 70 mm above the bottom edge.
 */
export const LEADER_DEFAULT_SPOT = { xOfWidth: 0.75, yMm: 70 } as const;

/** The fraction of the leader's image (from its left edge) that the seal covers: Decree 30, "khoảng 1/3". */
export const SEAL_OVERLAP_OF_LEADER = 1 / 3;

/** Scans below this resolution (or not in colour) get a warning on a copy: Decree 30 Appendix I. */
export const COPY_MIN_SCAN_DPI = 200;

/** Why the approval warns about a copy's scanned pages. */
export type ScanWarning = "scan-low-dpi" | "scan-not-colour";

/** What the approval shows about a preset: its name, where the stamp goes and what KySo found about the scan. */
export interface PresetPlan {
  readonly name: StampPresetName;
  /** How the position was found: from the decree's fixed place, from the leader's signature already in the
   * document (seal), at the point the caller gave, at the point the user clicked on the approval's preview
   * (`user`), from the page's text layer (leader), or the default spot. */
  readonly placedBy: "fixed" | "leader-signature" | "caller" | "user" | "text-layer" | "default";
  /** text-layer: the authority line the image was placed under, as read from the page. */
  readonly foundUnder?: string;
  readonly warnings?: readonly ScanWarning[];
  /** Lowest resolution among the page images, when there are any (copy). */
  readonly scanDpi?: number;
}

/** The document number's label in the stamps (Decree 30/2020 Appendix I writes it "Số: …"). */
export const DOCUMENT_NUMBER_LABEL = "Số: ";

/**
 * "Đà Nẵng, ngày 02 tháng 12 năm 2026", the place-and-date line of a document (Decree 30/2020 Appendix I: days
 * below 10 and the months 1 and 2 with a leading 0, so "tháng 1" cannot be read as "tháng 10"). Document text in the
 * decree's wording, the same in every UI language.
 */
export function placeAndDate(place: string | undefined, isoDate: string): string {
  const [year, month, day] = isoDate.split("-");
  const m = Number(month);
  const line = `ngày ${day} tháng ${m <= 2 ? month : String(m)} năm ${year}`;
  return place?.trim() ? `${place.trim()}, ${line}` : line;
}

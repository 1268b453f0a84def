/**
 * Fits the stamp's text into its box: the largest font size (MAX down to MIN) at which every line, wrapped at
 * spaces (a word longer than the box is broken between characters), fits the width and all lines fit the height.
 * When even the smallest size cannot hold everything, the lines that fit are kept and the last one ends with "…":
 * whatever the signer's name or the page's reason, no glyph is drawn outside the box (issue 12: an organisation's
 * whole subject ran past the stamp). Pure: the font is reached only through `measure`, so tests check the layout
 * (lines, size) without drawing.
 */

export interface StampTextBox {
  readonly width: number;
  readonly height: number;
}

export interface StampTextLayout {
  readonly fontSize: number;
  /** The lines to draw, top to bottom, each `measure(line, fontSize) <= width`. */
  readonly lines: readonly string[];
  /** Whether text had to be cut (only at the minimum size). */
  readonly truncated: boolean;
}

/** Width of `text` at `size` points, in the same unit as the box (proportional to `size`, as font advances are). */
export type MeasureText = (text: string, size: number) => number;

export const STAMP_MAX_FONT_SIZE = 10;
export const STAMP_MIN_FONT_SIZE = 4;
/** Line height as a multiple of the font size. */
export const STAMP_LEADING = 1.25;
const STEP = 0.25;

export function layoutStampText(paragraphs: readonly string[], box: StampTextBox, measureText: MeasureText): StampTextLayout {
  // Widths scale with the size: measure each string once at size 1 (shaping with fontkit is the costly part, and
  // the size search re-measures the same words and prefixes at every step).
  const unitWidths = new Map<string, number>();
  const measure: MeasureText = (text, size) => {
    let unit = unitWidths.get(text);
    if (unit === undefined) {
      unit = measureText(text, 1);
      unitWidths.set(text, unit);
    }
    return unit * size;
  };
  for (let size = STAMP_MAX_FONT_SIZE; size >= STAMP_MIN_FONT_SIZE; size -= STEP) {
    const lines = paragraphs.flatMap((paragraph) => wrap(paragraph, box.width, size, measure));
    if (lines.length * size * STAMP_LEADING <= box.height) return { fontSize: size, lines, truncated: false };
  }
  const size = STAMP_MIN_FONT_SIZE;
  const all = paragraphs.flatMap((paragraph) => wrap(paragraph, box.width, size, measure));
  const room = Math.max(0, Math.floor(box.height / (size * STAMP_LEADING)));
  if (room === 0) return { fontSize: size, lines: [], truncated: true };
  const kept = all.slice(0, room);
  kept[room - 1] = withEllipsis(kept[room - 1]!, box.width, size, measure);
  return { fontSize: size, lines: kept, truncated: true };
}

/** Greedy wrap at spaces; a word wider than the box is split between characters (code points, never halves). */
function wrap(paragraph: string, width: number, size: number, measure: MeasureText): string[] {
  const fits = (text: string): boolean => measure(text, size) <= width;
  const lines: string[] = [];
  let line = "";
  for (const word of paragraph.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = "";
    let rest = word;
    while (!fits(rest)) {
      const chars = Array.from(rest);
      let take = 1;
      while (take < chars.length && fits(chars.slice(0, take + 1).join(""))) take++;
      lines.push(chars.slice(0, take).join(""));
      rest = chars.slice(take).join("");
      if (!rest) break;
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

function withEllipsis(line: string, width: number, size: number, measure: MeasureText): string {
  const chars = Array.from(line);
  while (chars.length > 0 && measure(`${chars.join("")}…`, size) > width) chars.pop();
  return chars.length > 0 ? `${chars.join("").trimEnd()}…` : "";
}

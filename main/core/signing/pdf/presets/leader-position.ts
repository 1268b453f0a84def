/**
 * Where the leader signs, from the last page's text layer (Decree 30/2020 Appendix I: the handwritten signature
 * goes between the authority line and the name line). The authority line is the lowest line that opens with an
 * authority prefix (KT., TM., TL., TUQ., Q.) or, failing that, the lowest all-capital line naming a post (GIÁM ĐỐC,
 * CHỦ TỊCH...); the lines right under it in the same column (the post, e.g. "PHÓ GIÁM ĐỐC") belong to it; the
 * name line is the first line of that column after a gap of at least two lines. The image's centre goes in the
 * middle of that gap, centred on the authority line. Nothing found: the caller's point or the preset's default.
 */
import type { PdfStructure } from "../pdf-reader.js";
import { pageAt, pageCount } from "../pdf-model.js";
import { pageTextRuns, textLines, type TextLine } from "./page-text.js";

export interface LeaderSpot {
  readonly page: number;
  readonly x: number;
  readonly y: number;
  /** The authority line as read, for the approval ("found under …"). */
  readonly authorityLine: string;
  readonly nameLine: string;
}

const PREFIX = /^(KT|TM|TL|TUQ|Q)\s*\./u;
const POSTS = /(GIÁM ĐỐC|CHỦ TỊCH|BỘ TRƯỞNG|THỦ TRƯỞNG|TRƯỞNG|HIỆU TRƯỞNG|VIỆN TRƯỞNG|CHÁNH|TỔNG|BÍ THƯ|THỨ TRƯỞNG)/u;
const isCapitals = (text: string): boolean => /\p{L}/u.test(text) && text === text.toLocaleUpperCase("vi");
/** A gap smaller than this (points) leaves no room for a signature: not a signature block. */
const MIN_GAP = 20;

const sameColumn = (a: TextLine, b: TextLine): boolean => {
  const slack = 20;
  return b.x1 <= a.x2 + slack && b.x2 >= a.x1 - slack;
};

function authorityLine(lines: readonly TextLine[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (PREFIX.test(lines[i]!.text)) return i;
  for (let i = lines.length - 1; i >= 0; i--) if (isCapitals(lines[i]!.text) && POSTS.test(lines[i]!.text)) return i;
  return -1;
}

export function findLeaderSpot(pdf: PdfStructure): LeaderSpot | undefined {
  const page = pageCount(pdf);
  let lines: TextLine[];
  try {
    lines = textLines(pageTextRuns(pdf, pageAt(pdf, page)));
  } catch (error) {
    // A budget exhausted is the document's fault and stays an error; an unreadable stream just means "not found".
    if ((error as { code?: string }).code === "document_too_complex") throw error;
    return undefined;
  }
  const at = authorityLine(lines);
  if (at < 0) return undefined;
  const authority = lines[at]!;
  let last = authority;
  for (const line of lines.slice(at + 1)) {
    if (!sameColumn(authority, line) || line.y >= last.y) continue;
    const gapTop = last.y - 0.3 * last.size;
    const gapBottom = line.y + 0.8 * line.size;
    if (gapTop - gapBottom >= Math.max(MIN_GAP, 2 * line.size)) {
      return { page, x: (authority.x1 + authority.x2) / 2, y: (gapTop + gapBottom) / 2, authorityLine: authority.text, nameLine: line.text };
    }
    last = line;
  }
  return undefined;
}

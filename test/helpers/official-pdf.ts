/**
 * A generated Decree 30/2020 document for the leader preset's text-layer placement (integration and UI tests): two
 * pages; on the last, the signature block on the right ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", then the name lower down) and
 * "Nơi nhận" on the left at the same height, in DejaVu Serif so the Vietnamese text is real text.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fontkit from "@cantoo/fontkit";
import { PDFDocument } from "@cantoo/pdf-lib";

export const OFFICIAL_PAGE_HEIGHT = 841.89;

export async function officialPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const fontFile = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf", "DejaVuSerif.ttf");
  const font = await doc.embedFont(await readFile(fontFile), { subset: true });
  doc.addPage([595.28, OFFICIAL_PAGE_HEIGHT]).drawText("QUYẾT ĐỊNH", { x: 250, y: 700, size: 14, font });
  const page = doc.addPage([595.28, OFFICIAL_PAGE_HEIGHT]);
  page.drawText("Nơi nhận:", { x: 60, y: 400, size: 12, font });
  page.drawText("- Như Điều 3;", { x: 60, y: 385, size: 11, font });
  page.drawText("KT. GIÁM ĐỐC", { x: 380, y: 400, size: 13, font });
  page.drawText("PHÓ GIÁM ĐỐC", { x: 380, y: 384, size: 13, font });
  page.drawText("Nguyễn Văn An", { x: 384, y: 300, size: 13, font });
  return doc.save({ useObjectStreams: false });
}

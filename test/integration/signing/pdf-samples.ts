/** Sample PDFs made in the test: pdf-lib with a classic xref table, and qpdf's rewrite with xref/object streams. */
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fontkit from "@cantoo/fontkit";
import { PDFDocument, rgb } from "@cantoo/pdf-lib";
import { runTool } from "../../verifiers/cli-verifiers.js";

export async function makeSamplePdf(pages = 3): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const fontFile = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf", "DejaVuSans.ttf");
  const font = await doc.embedFont(await readFile(fontFile), { subset: true });
  doc.setTitle("Hồ sơ đề nghị cấp phép");
  for (let i = 1; i <= pages; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — trang ${i}`, { x: 60, y: 780, size: 12, font, color: rgb(0, 0, 0) });
    page.drawText("Độc lập - Tự do - Hạnh phúc", { x: 180, y: 760, size: 11, font });
  }
  return doc.save({ useObjectStreams: false });
}

/** qpdf rewrite with object streams: the catalog and pages move into compressed object streams behind an xref stream. */
export async function toXrefStreamPdf(input: string, output: string): Promise<void> {
  const r = await runTool("qpdf", ["--object-streams=generate", input, output]);
  if (r.code !== 0 && r.code !== 3) throw new Error(`qpdf: ${r.stderr}`);
}

/** A PDF larger than `megabytes`: pages plus one big incompressible image stream, written with pdf-lib. */
export async function makeLargePdf(path: string, megabytes: number): Promise<void> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const size = megabytes * 1024 * 1024;
  const noise = new Uint8Array(size);
  let x = 0x12345678;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    noise[i] = x & 0xff;
  }
  const stream = doc.context.stream(noise, { Length: size });
  const ref = doc.context.register(stream);
  page.node.set(doc.context.obj("PieceInfo") as never, ref);
  page.drawText("Scanned dossier", { x: 50, y: 800, size: 12 });
  await writeFile(path, await doc.save({ useObjectStreams: false }));
}

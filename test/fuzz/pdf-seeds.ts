/**
 * Seed PDFs for the fuzzer, the same bytes on every run: pdf-lib output (classic xref, and object streams), qpdf rewrites (object streams,
 * linearised, QDF), a form with fields, hand-written minimal files, and already-signed copies (one and two
 * signatures) so the existing-signature check and incremental updates are fuzzed too.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PDFDocument, StandardFonts } from "@cantoo/pdf-lib";
import type { Signer } from "../../main/domain/signer.js";
import { signingPort } from "../../main/core/signing/signing-port.js";
import { runTool } from "../verifiers/cli-verifiers.js";
import { minimalPdf, objectStreamPdf } from "./pdf-handmade.js";

export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Fixed dates and standard fonts only (pdf-lib gives embedded fonts a random name suffix): the same bytes every run. */
const FIXED_DATE = new Date(Date.UTC(2026, 0, 1, 1, 2, 3));

async function samplePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle("Hồ sơ đề nghị cấp phép");
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 2; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`CONG HOA XA HOI CHU NGHIA VIET NAM - trang ${i}`, { x: 60, y: 780, size: 12, font });
  }
  return doc.save({ useObjectStreams: false });
}

async function formPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  doc.addPage([842, 595]);
  const form = doc.getForm();
  form.createTextField("HoTen").addToPage(page, { x: 50, y: 700, width: 200, height: 20 });
  form.createCheckBox("DongY").addToPage(page, { x: 50, y: 650, width: 20, height: 20 });
  return doc.save({ useObjectStreams: true });
}

async function qpdfVariant(dir: string, input: Uint8Array, flag: string): Promise<Uint8Array | undefined> {
  const inPath = join(dir, "in.pdf");
  const outPath = join(dir, `out${flag.replace(/[^a-z]/g, "")}.pdf`);
  await writeFile(inPath, input);
  const r = await runTool("qpdf", ["--deterministic-id", flag, inPath, outPath]);
  // 3 = warnings; the output still exists.
  return r.code === 0 || r.code === 3 ? new Uint8Array(await readFile(outPath)) : undefined;
}

export async function pdfSeeds(signer: Signer): Promise<Seed[]> {
  const sample = await samplePdf();
  const seeds: Seed[] = [
    { name: "pdf-lib", bytes: sample },
    { name: "pdf-lib-objstm", bytes: await (async () => {
      const doc = await PDFDocument.load(sample, { updateMetadata: false });
      return doc.save({ useObjectStreams: true });
    })() },
    { name: "form", bytes: await formPdf() },
    { name: "minimal", bytes: minimalPdf() },
    { name: "handmade-objstm", bytes: objectStreamPdf("1") },
  ];
  const dir = await mkdtemp(join(tmpdir(), "kyso-pdf-seeds-"));
  try {
    for (const flag of ["--object-streams=generate", "--linearize", "--qdf"]) {
      const variant = await qpdfVariant(dir, sample, flag);
      if (variant) seeds.push({ name: `qpdf${flag}`, bytes: variant });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const port = signingPort();
  const signingTime = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  for (const base of [seeds[0]!, seeds.find((s) => s.name === "qpdf--object-streams=generate") ?? seeds[1]!]) {
    const once = await port.sign({ format: "pades", document: base.bytes, hashAlgorithm: "SHA-256", options: {} }, signer, { signingTime });
    // Invisible: a stamp embeds a font subset whose name pdf-lib suffixes at random, and seeds must not change.
    const twice = await port.sign({ format: "pades", document: once.document!, hashAlgorithm: "SHA-256", options: { reason: "Phê duyệt" } }, signer, { signingTime });
    seeds.push({ name: `${base.name}-signed`, bytes: once.document! }, { name: `${base.name}-signed-twice`, bytes: twice.document! });
  }
  return seeds;
}

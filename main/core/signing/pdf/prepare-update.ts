/**
 * Builds the incremental update that carries a new signature: the signature dictionary with a /Contents
 * placeholder and a fixed-width /ByteRange, the widget/field, the updated page, AcroForm and (when needed)
 * catalog, plus the stamp objects. Returns where the placeholders sit so the signer can patch them in place.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { PDFDict} from "@cantoo/pdf-lib";
import { PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef } from "@cantoo/pdf-lib";
import { certificateDisplayName } from "../../../domain/display-name.js";
import { KysoError } from "../../../domain/errors/index.js";
import { message } from "../../../domain/messages/index.js";
import { distinguishedName } from "../../certificates/distinguished-name.js";
import type { PadesOptions, StampOptions } from "../request.js";
import { formatPdfDate, formatVnDisplay } from "../vn-time.js";
import { buildStamp } from "./appearance.js";
import { writeIncrement, type IncrementObject } from "./increment-writer.js";
import { catalogOf, formFields, pageAt, pageCount, resolveArray } from "./pdf-model.js";
import { WorkBudget } from "./pdf-limits.js";
import { readPdfStructure } from "./pdf-reader.js";
import type { PdfSource } from "./pdf-source.js";
import { buildPresetStamp } from "./presets/draw-preset.js";
import { buildFills, planFills } from "./presets/fill-fields.js";
import { PRESET_BUILD_KEY } from "./presets/leader-signature.js";
import { placePreset, signatureReason } from "./presets/preset-placement.js";

/** "[0 ********** ********** **********]": ten digits each fits offsets up to 9.3 GB. */
const BYTE_RANGE_PLACEHOLDER = `[0 ${"*".repeat(10)} ${"*".repeat(10)} ${"*".repeat(10)}]`;
const DEFAULT_STAMP = { width: 210, height: 64, margin: 36 } as const;

export interface PreparedUpdate {
  readonly increment: Uint8Array;
  /** Offsets inside `increment`: '<' and after '>' of /Contents, and the ByteRange placeholder. */
  readonly contentsStart: number;
  readonly contentsEnd: number;
  readonly byteRangeAt: number;
  readonly fieldName: string;
}

export interface PrepareInput {
  readonly source: PdfSource;
  readonly options: PadesOptions;
  /** The display name written in /Name and the stamp (signerDisplayName of the certificate; a placeholder in the dry run). */
  readonly signerName: string;
  readonly signedAt: Date;
  /** Bytes reserved for the CMS (hex doubles it). */
  readonly reserve: number;
  /** A document timestamp (PAdES B-LTA): /Type /DocTimeStamp, /SubFilter /ETSI.RFC3161, an RFC 3161 token in /Contents. */
  readonly kind?: "signature" | "document-timestamp";
}

/** UTF-16BE with BOM, as a hex string: the safe form for Vietnamese in /Name, /Reason, /Location (ISO 32000 §7.9.2.2). */
export function utf16Hex(text: string): string {
  const units: string[] = ["FEFF"];
  for (let i = 0; i < text.length; i++) units.push(text.charCodeAt(i).toString(16).padStart(4, "0").toUpperCase());
  return `<${units.join("")}>`;
}

/**
 * The signer's name in /Name and in the stamp: the same display name the approval shows (CN, else O, else the
 * first readable attribute; never a raw OID), from main/domain/display-name.ts.
 */
export function signerDisplayName(certificate: Uint8Array): string {
  return certificateDisplayName(distinguishedName(new x509.X509Certificate(certificate).subjectName));
}

/**
 * The stamp's paragraphs. Vietnamese: the stamp is part of the signed document, read by whoever receives it in
 * Vietnam, whatever language the signer's UI uses; the labels come from the catalogue (`stamp.*`).
 */
export function stampParagraphs(signerName: string, signedAt: Date, options: PadesOptions): string[] {
  const lines = [message("vi", "stamp.signedBy", { name: signerName }), message("vi", "stamp.signedAt", { time: formatVnDisplay(signedAt) })];
  if (options.reason) lines.push(message("vi", "stamp.reason", { reason: options.reason }));
  if (options.location) lines.push(message("vi", "stamp.location", { location: options.location }));
  return lines;
}

export async function prepareUpdate(input: PrepareInput): Promise<PreparedUpdate> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const context = doc.context;
  // A fresh budget per preparation: describe()'s dry run and sign() each get the whole allowance.
  const pdf = readPdfStructure(input.source, context, new WorkBudget());
  context.largestObjectNumber = Math.max(context.largestObjectNumber, pdf.size - 1);
  const firstNew = context.largestObjectNumber + 1;
  const catalog = catalogOf(pdf);

  // Every qualified name, parents included: a new top-level field may not reuse a parent's name either.
  const existing = new Set(formFields(pdf).map((f) => f.name));
  const fieldName = input.options.fieldName ?? uniqueName(existing);
  if (existing.has(fieldName)) throw new KysoError("invalid_params", `a field named ${fieldName} already exists`);

  const pages = pageCount(pdf);
  const stamp = input.options.visible;
  // A preset places itself (presets/preset-placement.ts): page, rectangle and content follow the decree.
  const placement = input.options.preset ? await placePreset(pdf, input.options.preset, input.signedAt) : undefined;
  const pageNumber = placement ? placement.page : stamp?.page === undefined || stamp.page === "last" ? pages : stamp.page;
  if (pageNumber > pages) throw new KysoError("invalid_params", `page ${pageNumber} does not exist (the PDF has ${pages})`);
  const page = pageAt(pdf, pageNumber);

  const signerName = input.signerName;
  const sigRef = context.nextRef();
  const widgetRef = context.nextRef();
  let rect: [number, number, number, number] = [0, 0, 0, 0];
  let appearance: PDFRef | undefined;
  if (placement) {
    rect = [...placement.rect];
    appearance = await buildPresetStamp(doc, placement);
  } else if (stamp) {
    rect = stampRect(stamp, page.mediaBox);
    const lines = stampParagraphs(signerName, input.signedAt, input.options);
    appearance = await buildStamp(doc, {
      width: rect[2] - rect[0],
      height: rect[3] - rect[1],
      lines,
      ...(stamp.image ? { image: Buffer.from(stamp.image, "base64") } : {}),
    });
  }
  // The seal's preset fills the number and date fields in this same update (presets/fill-fields.ts).
  const fills = placement && input.options.preset ? await buildFills(doc, pdf, planFills(pdf, input.options.preset)) : [];
  await doc.flush();

  const widget = context.obj({
    Type: "Annot",
    Subtype: "Widget",
    FT: "Sig",
    T: PDFHexString.of(utf16Hex(fieldName).slice(1, -1)),
    V: sigRef,
    // Print + Locked: shown when printed, not movable in viewers.
    F: 132,
    P: page.ref,
    Rect: rect,
  }) as PDFDict;
  if (appearance) widget.set(PDFName.of("AP"), context.obj({ N: appearance }));
  else widget.set(PDFName.of("AP"), context.obj({ N: context.register(context.stream("", { Type: "XObject", Subtype: "Form", BBox: [0, 0, 0, 0] })) }));

  const objects: IncrementObject[] = [];
  // The page: /Annots as a direct array (an indirect one would need its own rewrite).
  const pageDict = page.dict.clone(context);
  const annots = resolveArray(pdf, page.dict.get(PDFName.of("Annots")));
  pageDict.set(PDFName.of("Annots"), context.obj([...annots, widgetRef]));
  objects.push({ ref: page.ref, body: pageDict });

  // AcroForm: rewrite the indirect one, or give the catalog a new one.
  const acroValue = catalog.get(PDFName.of("AcroForm"));
  const acroForm = (pdf.lookupDict(acroValue)?.clone(context) ?? context.obj({})) as PDFDict;
  const fields = resolveArray(pdf, acroForm.get(PDFName.of("Fields")));
  acroForm.set(PDFName.of("Fields"), context.obj([...fields, widgetRef]));
  // SignaturesExist | AppendOnly: viewers must save incrementally from now on.
  acroForm.set(PDFName.of("SigFlags"), PDFNumber.of(3));
  if (acroValue instanceof PDFRef) objects.push({ ref: acroValue, body: acroForm });
  else {
    const newCatalog = catalog.clone(context);
    newCatalog.set(PDFName.of("AcroForm"), context.register(acroForm));
    objects.push({ ref: pdf.root, body: newCatalog });
  }
  objects.push(...fills);
  objects.push({ ref: widgetRef, body: widget });
  objects.push({ ref: sigRef, body: signatureDictionary(input, signerName) });
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (ref.objectNumber >= firstNew && ref !== sigRef && ref !== widgetRef) objects.push({ ref, body: object });
  }
  const { bytes, offsets } = writeIncrement(pdf, objects, Math.max(context.largestObjectNumber, pdf.size - 1));
  const sigAt = offsets.get(sigRef.objectNumber)!;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const contentsStart = text.indexOf("/Contents <", sigAt, "latin1") + "/Contents ".length;
  const contentsEnd = text.indexOf(">", contentsStart, "latin1") + 1;
  const byteRangeAt = text.indexOf(BYTE_RANGE_PLACEHOLDER, sigAt, "latin1");
  if (contentsStart < sigAt || byteRangeAt < 0) throw new Error("signature placeholders not found in the increment");
  return { increment: bytes, contentsStart, contentsEnd, byteRangeAt, fieldName };
}

function uniqueName(existing: ReadonlySet<string>): string {
  for (let i = 1; ; i++) if (!existing.has(`Signature${i}`)) return `Signature${i}`;
}

/**
 * PAdES signature dictionary (ETSI EN 319 142-1 §5.3): ETSI.CAdES.detached, the signing time in /M (the CMS has
 * none), Vietnamese text as UTF-16BE. Written by hand so the placeholders' positions are exact.
 */
function signatureDictionary(input: PrepareInput, signerName: string): Uint8Array {
  if (input.kind === "document-timestamp") {
    // ETSI EN 319 142-1 §5.4.3: no /M, /Name or /Reason; the time is the token's genTime.
    const entries = ["/Type /DocTimeStamp", "/Filter /Adobe.PPKLite", "/SubFilter /ETSI.RFC3161", `/ByteRange ${BYTE_RANGE_PLACEHOLDER}`, `/Contents <${"0".repeat(input.reserve * 2)}>`];
    return Buffer.from(`<<\n${entries.join("\n")}\n>>`, "latin1");
  }
  const entries = [
    "/Type /Sig",
    "/Filter /Adobe.PPKLite",
    "/SubFilter /ETSI.CAdES.detached",
    `/ByteRange ${BYTE_RANGE_PLACEHOLDER}`,
    `/Contents <${"0".repeat(input.reserve * 2)}>`,
    `/M (${formatPdfDate(input.signedAt)})`,
    `/Name ${utf16Hex(signerName)}`,
  ];
  // A preset's role is written twice: for people (/Reason, unless the caller gave one) and for verifiers (/Prop_Build).
  const preset = input.options.preset?.name;
  const reason = signatureReason(input.options);
  if (reason) entries.push(`/Reason ${utf16Hex(reason)}`);
  if (input.options.location) entries.push(`/Location ${utf16Hex(input.options.location)}`);
  if (input.options.contactInfo) entries.push(`/ContactInfo ${utf16Hex(input.options.contactInfo)}`);
  entries.push(`/Prop_Build << /App << /Name /KySo >>${preset ? ` /${PRESET_BUILD_KEY} /${preset}` : ""} >>`);
  return Buffer.from(`<<\n${entries.join("\n")}\n>>`, "latin1");
}

/** The stamp rectangle: explicit, or a named corner of the page's MediaBox. */
export function stampRect(stamp: StampOptions, mediaBox: readonly [number, number, number, number]): [number, number, number, number] {
  if (stamp.rect) {
    const [x, y, w, h] = stamp.rect;
    return [x, y, x + w, y + h];
  }
  const [x1, y1, x2, y2] = mediaBox;
  const { width: w, height: h, margin: m } = DEFAULT_STAMP;
  const position = stamp.position ?? "bottom-right";
  const left = position.endsWith("left") ? x1 + m : x2 - m - w;
  const bottom = position.startsWith("bottom") ? y1 + m : y2 - m - h;
  return [left, bottom, left + w, bottom + h];
}


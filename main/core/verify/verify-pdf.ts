/**
 * PAdES / PDF signature validation with ETSI EN 319 102-1 semantics (basic validation, with the signature
 * timestamp as proof of existence when there is one). Runs in the bounded document worker only (the worker's
 * `verify` message): the PDF is read with the signing code's bounded reader, revision by revision.
 *
 * Per signature, in the order of EN 319 102-1 §5.2 (format checking, identification of the signing certificate,
 * cryptographic verification, X.509 certificate validation): a cryptographic failure is TOTAL-FAILED whatever
 * the certificate checks say (as EU DSS reports it); among the rest the first INDETERMINATE found wins.
 * The document's result is the worst of its signatures'.
 */
import { assessOfficialDocument } from "./official-document.js";
import { createHash } from "node:crypto";
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, PDFDocument, type PDFObject } from "@cantoo/pdf-lib";
import { KysoError, isKysoError } from "../../domain/errors/index.js";
import { buildTrustedChain } from "../certificates/trust/index.js";
import { MAX_PDF_BYTES } from "../signing/limits.js";
import { MAX_SIGNATURE_CMS_BYTES, MAX_VERIFIED_SIGNATURES, WorkBudget } from "../signing/pdf/pdf-limits.js";
import { catalogOf, formFields, resolveArray, textOf } from "../signing/pdf/pdf-model.js";
import type { PdfStructure } from "../signing/pdf/pdf-reader.js";
import { memorySource } from "../signing/pdf/pdf-source.js";
import { PRESET_BUILD_KEY } from "../signing/pdf/presets/leader-signature.js";
import { STAMP_PRESET_NAMES, type StampPresetName } from "../../domain/stamp-presets.js";
import { decodeStream } from "../signing/pdf/stream-decode.js";
import { findIssuer, safeFacts, summarizeCertificate } from "./assess.js";
import { judgeUpdate } from "./changes.js";
import { checkCms } from "./cms-check.js";
import type { LaterUpdate, RevocationOutcome, SignatureReport, VerificationReport, VerificationResult, VerifyWarning } from "../../domain/wire/verify-report.js";
import { revocationOf, type EmbeddedRevocation } from "./revocation-evidence.js";
import { readRevisions, type Revision } from "./revisions.js";
import { documentResult, signatureResult } from "./verdict.js";
import type { VerifyOptions } from "./verify-options.js";

export type { VerifyOptions };

const DETACHED_SUBFILTERS = new Set(["/adbe.pkcs7.detached", "/ETSI.CAdES.detached"]);
const name = (key: string): PDFName => PDFName.of(key);

export async function verifyPdf(bytes: Uint8Array, options: VerifyOptions): Promise<VerificationReport> {
  if (bytes.length > MAX_PDF_BYTES) throw new KysoError("document_too_large", `${bytes.length} bytes`);
  const now = options.now ?? new Date();
  try {
    const { context } = await PDFDocument.create({ updateMetadata: false });
    const budget = new WorkBudget();
    const revisions = readRevisions(bytes, context, budget);
    const last = revisions.list.at(-1);
    if (!last) throw new KysoError("document_invalid", "no complete PDF revision (no startxref/%%EOF that reads)");
    const final = last.structure;
    catalogOf(final);
    const dss = dssOf(final);
    const source = memorySource(bytes);
    const signatures: SignatureReport[] = [];
    for (const field of formFields(final)) {
      if (!field.terminal || field.dict.get(name("FT")) !== name("Sig")) continue;
      const value = final.lookupDict(field.dict.get(name("V")));
      // A document timestamp is validation data for the signatures before it, not a signature of a person.
      if (!value || value.get(name("Type")) === name("DocTimeStamp")) continue;
      budget.step("signature");
      if (signatures.length >= MAX_VERIFIED_SIGNATURES) {
        signatures.push(skeleton(field.name, { indication: "INDETERMINATE", subIndication: "FORMAT_FAILURE", reason: "tooManySignatures" }));
        continue;
      }
      signatures.push(await verifyOne(field.name, value, { bytes, source, revisions: revisions.list, trailingBytes: revisions.trailingBytes, dss, now, options }));
    }
    return {
      format: "pdf",
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      revisions: revisions.list.length,
      validationTime: now.toISOString(),
      signatures,
      result: documentResult(signatures),
      officialDocument: assessOfficialDocument(signatures),
    };
  } catch (error) {
    if (isKysoError(error)) throw error;
    throw new KysoError("document_invalid", `PDF structure unreadable: ${String(error)}`, undefined, { cause: error });
  }
}

interface Context {
  readonly bytes: Uint8Array;
  readonly source: ReturnType<typeof memorySource>;
  readonly revisions: readonly Revision[];
  readonly trailingBytes: number;
  readonly dss: EmbeddedRevocation & { readonly certificates: readonly Uint8Array[] };
  readonly now: Date;
  readonly options: VerifyOptions;
}

function skeleton(fieldName: string, result: VerificationResult, extra: Partial<SignatureReport> = {}): SignatureReport {
  return { fieldName, coverage: "partial", integrity: { hash: "not-checked", signature: "not-checked" }, laterUpdates: [], warnings: [], result, ...extra };
}

/** The preset role KySo recorded in `/Prop_Build` (a direct dictionary, as KySo writes it), when it is a known one. */
function presetClaim(sig: PDFDict): StampPresetName | undefined {
  const build = sig.get(name("Prop_Build"));
  const value = build instanceof PDFDict ? build.get(name(PRESET_BUILD_KEY)) : undefined;
  const text = value instanceof PDFName ? value.decodeText() : undefined;
  return STAMP_PRESET_NAMES.find((n) => n === text);
}

async function verifyOne(fieldName: string, sig: PDFDict, ctx: Context): Promise<SignatureReport> {
  const subFilter = sig.get(name("SubFilter"))?.toString();
  const claimed = pdfDate(textOf(sig.get(name("M"))));
  const preset = presetClaim(sig);
  const base = { ...(subFilter ? { subFilter: subFilter.slice(1) } : {}), ...(claimed ? { claimedSigningTime: claimed.toISOString() } : {}), ...(preset ? { preset } : {}) };
  if (!subFilter || !DETACHED_SUBFILTERS.has(subFilter)) {
    return skeleton(fieldName, { indication: "INDETERMINATE", subIndication: "FORMAT_FAILURE", reason: "unsupportedSubFilter", detail: `/SubFilter ${String(subFilter)}` }, base);
  }
  const range = byteRangeOf(sig.get(name("ByteRange")), ctx.bytes.length);
  const contents = sig.get(name("Contents"));
  const cms = contents instanceof PDFHexString || contents instanceof PDFString ? contents.asBytes() : undefined;
  if (!range || !cms || cms.length === 0 || cms.length > MAX_SIGNATURE_CMS_BYTES) {
    return skeleton(fieldName, { indication: "TOTAL-FAILED", subIndication: "FORMAT_FAILURE", reason: "byteRangeInvalid", detail: "/ByteRange or /Contents unusable" }, base);
  }
  const end = range[2] + range[3];
  const revision = ctx.revisions.find((r) => r.end === end);
  const gap = Buffer.from(ctx.source.read(range[1], range[2] - range[1])).toString("latin1");
  const gapIsContents = range[0] === 0 && /^<[0-9A-Fa-f\s]*>$/.test(gap);
  const coverage = !revision || !gapIsContents ? "partial" : end === ctx.bytes.length ? "whole-file" : "revision";

  const check = checkCms(cms, ctx.source, range);
  const facts = safeFacts(check.signerCertificate);
  const signer = facts ? summarizeCertificate(facts) : undefined;
  const timestamp = check.timestamp ? { time: check.timestamp.time.toISOString(), imprintValid: check.timestamp.imprintValid } : undefined;
  // Best signature time (EN 319 102-1 §5.6.2.3): the signature timestamp when it is one for this signature; else
  // the validation time. The claimed time (signingTime, /M) is reported, never trusted as proof.
  const poe = check.timestamp?.imprintValid ? check.timestamp.time : undefined;
  const bestTime = poe ?? ctx.now;
  const claimedTime = check.signingTime ?? claimed;

  const intermediates = [...check.certificates, ...ctx.dss.certificates, ...(ctx.options.intermediates ?? [])];
  const chain = check.signerCertificate ? await buildTrustedChain(check.signerCertificate, { anchors: ctx.options.anchors, intermediates, now: bestTime }) : undefined;
  const issuer = chain?.chain[0] ?? findIssuer(check.signerCertificate, intermediates);
  const revocation: RevocationOutcome | undefined = check.signerCertificate
    ? await revocationOf(check.signerCertificate, issuer, { ...ctx.dss, cmsOcsps: check.ocspResponses, cmsCrls: check.crls, suppliedCrls: ctx.options.revocationData?.crls ?? [], suppliedOcsps: ctx.options.revocationData?.ocspResponses ?? [] }, [bestTime, ctx.now], ctx.options.online)
    : undefined;

  const laterUpdates: LaterUpdate[] = [];
  const pageChanges: boolean[] = [];
  if (revision) {
    for (const later of ctx.revisions.filter((r) => r.number > revision.number)) {
      const judged = judgeUpdate(ctx.revisions[later.number - 2]!, later);
      pageChanges.push(judged.pagesBefore !== judged.pagesAfter);
      laterUpdates.push({ revision: judged.revision, kinds: judged.kinds, changed: judged.changed, added: judged.added });
    }
  }
  const warnings = new Set<VerifyWarning>();
  if (check.sha1) warnings.add("sha1");
  if (facts?.keyAlgorithm?.kind === "rsa" && facts.keyAlgorithm.modulusBits < 2048) warnings.add("weakRsaKey");
  if (check.timestamp && !check.timestamp.imprintValid) warnings.add("timestampImprintMismatch");
  for (const update of laterUpdates) {
    if (update.kinds.includes("other") || update.kinds.includes("metadata")) warnings.add("modifiedAfterSigning");
    if (update.kinds.includes("annotation")) warnings.add("annotationsAfterSigning");
    if (update.kinds.includes("form-fill")) warnings.add("formFilledAfterSigning");
  }
  if (pageChanges.some(Boolean)) warnings.add("pagesChanged");
  if (revocation?.status === "none") warnings.add("noRevocationSource");
  if (revocation?.status === "revoked" && poe && revocation.revokedAt && new Date(revocation.revokedAt) > poe) warnings.add("revokedAfterTimestamp");

  const validAtClaimed = facts && claimedTime ? claimedTime >= facts.notBefore && claimedTime <= facts.notAfter : undefined;
  const result = signatureResult({
    coverage,
    trailingBytes: ctx.trailingBytes,
    check,
    chainTrusted: chain?.trusted === true,
    facts,
    bestTime,
    hasPoe: poe !== undefined,
    revocation,
    docMdp: docMdpOf(sig),
    laterUpdates,
    warnings,
  });
  return {
    fieldName,
    ...base,
    ...(revision ? { revision: revision.number } : {}),
    coverage,
    ...(signer ? { signer } : {}),
    ...(chain
      ? {
          chain: {
            trusted: chain.trusted,
            length: chain.chain.length,
            ...(chain.trusted ? { anchor: chain.anchor.subject, ...(chain.anchor.nationalRoot ? { nationalRoot: chain.anchor.nationalRoot } : {}) } : {}),
          },
        }
      : {}),
    ...(check.signingTime ? { claimedSigningTime: check.signingTime.toISOString() } : {}),
    ...(timestamp ? { timestamp } : {}),
    integrity: { hash: check.hash, signature: check.signature },
    ...(validAtClaimed === undefined ? {} : { certificateValidAtSigningTime: validAtClaimed }),
    ...(revocation ? { revocation } : {}),
    laterUpdates,
    warnings: [...warnings],
    result,
  };
}

/** Four non-negative integers in order, inside the file. */
function byteRangeOf(value: PDFObject | undefined, size: number): [number, number, number, number] | undefined {
  const items = value instanceof PDFArray ? value.asArray() : [];
  const numbers = items.map((v) => (v instanceof PDFNumber ? v.asNumber() : Number.NaN));
  if (numbers.length !== 4 || numbers.some((n) => !Number.isInteger(n) || n < 0)) return undefined;
  const [o1, l1, o2, l2] = numbers as [number, number, number, number];
  if (o1 + l1 > o2 || o2 + l2 > size) return undefined;
  return [o1, l1, o2, l2];
}

/** The DSS of the newest revision: certificates, OCSP responses and CRLs (streams, Flate or unfiltered). */
function dssOf(pdf: PdfStructure): EmbeddedRevocation & { certificates: Uint8Array[] } {
  const dss = pdf.lookupDict(catalogOf(pdf).get(name("DSS")));
  const streams = (key: string): Uint8Array[] =>
    resolveArray(pdf, dss?.get(name(key))).flatMap((item) => {
      const resolved = item instanceof PDFRef ? pdf.lookup(item) : item;
      if (!(resolved instanceof PDFRawStream)) return [];
      try {
        return [decodeStream(resolved, pdf.budget)];
      } catch {
        return [];
      }
    });
  return { certificates: streams("Certs"), dssOcsps: streams("OCSPs"), dssCrls: streams("CRLs"), cmsOcsps: [], cmsCrls: [] };
}

/** DocMDP /P of a certification signature (/Reference with /TransformMethod /DocMDP), default 2. */
function docMdpOf(sig: PDFDict): 1 | 2 | 3 | undefined {
  const refs = sig.get(name("Reference"));
  for (const item of refs instanceof PDFArray ? refs.asArray() : []) {
    if (!(item instanceof PDFDict) || item.get(name("TransformMethod")) !== name("DocMDP")) continue;
    const params = item.get(name("TransformParams"));
    const p = params instanceof PDFDict ? params.get(name("P")) : undefined;
    const value = p instanceof PDFNumber ? p.asNumber() : 2;
    return value === 1 || value === 3 ? value : 2;
  }
  return undefined;
}

/** PDF date `D:YYYYMMDDHHmmSSOHH'mm'` (ISO 32000-1 §7.9.4); undefined when it does not read. */
export function pdfDate(text: string | undefined): Date | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?/.exec(text ?? "");
  if (!m) return undefined;
  const [, y, mo = "01", d = "01", h = "00", mi = "00", s = "00", sign, oh = "00", om = "00"] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offset = sign === "+" || sign === "-" ? (sign === "+" ? 1 : -1) * (Number(oh) * 60 + Number(om)) * 60_000 : 0;
  const date = new Date(utc - offset);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

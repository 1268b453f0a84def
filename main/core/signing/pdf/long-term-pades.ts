/**
 * PAdES B-LT and B-LTA after the signature's own update (which is B-T: the CMS carries the signature timestamp):
 *  - B-LT: a DSS update (dss-update.ts) with the validation data gathered before the approval;
 *  - B-LTA: then a document timestamp (ETSI EN 319 142-1 §5.4.3) in a further update: a /DocTimeStamp signature
 *    field whose /Contents is an RFC 3161 token over the byte ranges of the whole file, DSS included.
 * Each step is its own incremental update, so the signature before it stays valid. The file is read through a
 * `GrowingPdf`, so the flat-memory file path (signPdfFile) and the in-memory one share this code.
 */
import type { Hash } from "node:crypto";
import type { HashAlgorithm } from "../../../domain/hash-algorithm.js";
import { requestTimestampForImprint } from "../cms/timestamp-client.js";
import { checkTimestampAuthority, requireLongTerm } from "../long-term/timestamp-check.js";
import type { SignatureLevel } from "../request.js";
import type { SignContext } from "../types.js";
import { hashByteRanges, writeContents } from "./complete-signature.js";
import { buildDssUpdate } from "./dss-update.js";
import type { PdfSource } from "./pdf-source.js";
import { prepareUpdate } from "./prepare-update.js";

/** An RFC 3161 token with the TSA's chain is 3-6 KB. */
export const DOC_TIMESTAMP_RESERVE = 16 * 1024;

/** The signed file so far, which the long-term steps read and extend. */
export interface GrowingPdf {
  source(): PdfSource;
  append(bytes: Uint8Array): Promise<void>;
  /** Feeds the whole current file into `hash` (a document timestamp's first byte range). */
  hashAll(hash: Hash): Promise<void>;
}

export async function addLongTermUpdates(pdf: GrowingPdf, level: SignatureLevel, hashAlgorithm: HashAlgorithm, signedAt: Date, context: SignContext): Promise<void> {
  if (level !== "B-LT" && level !== "B-LTA") return;
  const { validation } = requireLongTerm(context);
  await pdf.append(await buildDssUpdate(pdf.source(), validation));
  if (level !== "B-LTA") return;
  const source = pdf.source();
  const prepared = await prepareUpdate({ source, options: {}, signerName: "", signedAt, reserve: DOC_TIMESTAMP_RESERVE, kind: "document-timestamp" });
  // The dry run stops here: the placeholders are built, the TSA is not asked.
  if (context.dryRun) return;
  const imprint = await hashByteRanges({ prepared, originalSize: source.size, hashAlgorithm, hashOriginal: (hash) => pdf.hashAll(hash) });
  const stamp = await requestTimestampForImprint(context.timestampAuthority, hashAlgorithm, imprint, context.fetch);
  checkTimestampAuthority(stamp.token, context.longTerm);
  writeContents(prepared, stamp.token);
  await pdf.append(prepared.increment);
}

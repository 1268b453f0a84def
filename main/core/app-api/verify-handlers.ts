/**
 * The verify page's two methods. `verify.file` validates a file the user opened in the bounded document worker
 * (`DocumentWorkers.verifyDocument`: the file is never parsed on the core's thread) against the same trust anchors
 * signing uses (the bundled national roots plus the policy's `trustAnchors`); `verify.exportReport` writes that
 * report as the ETSI TS 119 102-2 XML or the PDF. The core keeps the last few reports itself, so an exported file
 * always says what KySo found, never what a page handed back.
 */
import { randomUUID } from "node:crypto";
import { KysoError, type Language } from "../../domain/errors/kyso-error.js";
import type { TrustAnchor } from "../certificates/trust/anchor-store.js";
import { base64DecodedBytes } from "../bridge/policy-gate.js";
import type { KysoPolicy } from "../policy/policy-schema.js";
import type { DocumentWorkers } from "../signing/worker/document-workers.js";
import type { VerificationReport } from "../../domain/wire/verify-report.js";
import type { RevocationLookupService } from "../verify/revocation-evidence.js";
import { getAppInfo } from "../app-info.js";
import type { AppHandlers } from "./contract.js";

/** Reports kept for export (one page shows one at a time; a few more cover a second window or a quick re-check). */
export const KEPT_REPORTS = 8;

export interface VerifyHandlerDeps {
  readonly workers: () => Pick<DocumentWorkers, "verifyDocument">;
  /** Loaded once: the bundled roots plus the policy's anchors (loadAnchors). */
  readonly anchors: () => Promise<readonly TrustAnchor[]>;
  /** Online OCSP/CRL look-ups when the file carries none; absent when the policy turns revocation checks off. */
  readonly revocation?: RevocationLookupService;
  readonly policy: Pick<KysoPolicy, "maxDocumentBytes" | "limits">;
  readonly language: () => Language;
  readonly now: () => Date;
}

/**
 * The largest file the user may verify: the policy's `maxDocumentBytes` when the organisation set one, else the
 * largest document a portal may send (the bridge's message cap, decoded): the same bound signing has, so KySo
 * never reads a larger file because it came from the disk instead of a page.
 */
export function verifyFileLimit(policy: Pick<KysoPolicy, "maxDocumentBytes" | "limits">): number {
  return policy.maxDocumentBytes ?? Math.floor((policy.limits.maxMessageBytes * 3) / 4);
}

type VerifyMethods = Pick<AppHandlers, "verify.file" | "verify.exportReport">;

export function createVerifyHandlers(deps: VerifyHandlerDeps): VerifyMethods {
  const kept = new Map<string, { fileName: string; report: VerificationReport }>();
  const limit = verifyFileLimit(deps.policy);

  const decode = (base64: string, what: string): Uint8Array => {
    // Refused off the base64 length, before anything is decoded.
    const bytes = base64DecodedBytes(base64);
    if (bytes > limit) throw new KysoError("document_too_large", `${what}: ${bytes} bytes, the limit is ${limit}`);
    return new Uint8Array(Buffer.from(base64, "base64"));
  };

  return {
    "verify.file": async ({ fileName, base64, detachedContent }) => {
      const document = decode(base64, fileName);
      const detached = detachedContent ? decode(detachedContent.base64, detachedContent.fileName) : undefined;
      const options = {
        anchors: await deps.anchors(),
        now: deps.now().getTime(),
        // Read by the worker once it verifies CMS (.p7s) signatures over separate content.
        ...(detached ? { detachedContent: detached } : {}),
      };
      const report = await deps.workers().verifyDocument(document, options, deps.revocation);
      const reportId = randomUUID();
      kept.set(reportId, { fileName, report });
      for (const id of kept.keys()) {
        if (kept.size <= KEPT_REPORTS) break;
        kept.delete(id);
      }
      return { reportId, fileName, report };
    },
    "verify.exportReport": async ({ reportId, format }) => {
      const entry = kept.get(reportId);
      if (!entry) throw new KysoError("not_found", "no such verification report (check the file again)");
      // Loaded on the first export only: the PDF writer (pdf-lib, fontkit) stays out of an idle app (issue 10).
      const { reportFileName, reportPdf, validationReportXml } = await import("../verify/report-export/index.js");
      if (format === "xml") {
        return { fileName: reportFileName(entry.fileName, "xml"), mediaType: "application/xml", base64: Buffer.from(validationReportXml(entry.report), "utf8").toString("base64") };
      }
      const pdf = await reportPdf(entry.report, { fileName: entry.fileName, language: deps.language(), appVersion: getAppInfo().version, now: deps.now() });
      return { fileName: reportFileName(entry.fileName, "pdf"), mediaType: "application/pdf", base64: Buffer.from(pdf).toString("base64") };
    },
  };
}

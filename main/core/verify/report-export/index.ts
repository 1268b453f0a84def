/** The verification report for the file's record: ETSI TS 119 102-2 XML and a PDF in the user's language. */
export { validationReportXml, mainIndicationUri, subIndicationUri, ETSI_VR_NAMESPACE } from "./etsi-xml.js";
export { reportPdf, type ReportPdfOptions } from "./report-pdf.js";
export { reportSections, reportWords, utcTime } from "./report-lines.js";

/** `<name without extension>.verification.{pdf,xml}`, with only characters every file system takes. */
export function reportFileName(fileName: string, extension: "pdf" | "xml"): string {
  const base =
    [...fileName.replace(/\.[^./\\]{1,8}$/, "")]
      .map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? "_" : c))
      .join("")
      .slice(0, 120) || "document";
  return `${base}.verification.${extension}`;
}

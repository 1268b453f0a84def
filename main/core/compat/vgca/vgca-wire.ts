/**
 * VGCA Sign Service wire format (docs/compatibility.md; the call shapes in the shared notes, not vendor code):
 * `wss://127.0.0.1:8987/<Endpoint>`, one text message in, one JSON string out. This file only translates: a
 * message becomes KySo's typed request (`hello`, `certificates.list`, `sign` or `verify` params that the bridge's
 * own schema validates again), and KySo's result or error becomes the vendor's `{Status, Signature, CertBase64,
 * Message}` (for a verification, `{Status, Message, Indication, SubIndication, Report}`).
 */
import { z } from "zod";
import type { Language } from "../../../domain/errors/kyso-error.js";
import { message, MESSAGES, type MessageKey } from "../../../domain/messages/index.js";
import type { ErrorObject, SignResult, VerificationReport } from "../../../domain/wire/protocol.js";
import { filePlan, type VgcaFileRequest } from "./vgca-file-plan.js";
import { VGCA_STATUS } from "./vgca-status.js";

export type { VgcaFileRequest, VgcaFileEndpoint } from "./vgca-file-plan.js";

/** Endpoints a vendor page may open; every other path is refused at the upgrade (404). */
export const VGCA_ENDPOINTS = [
  "GetVersion",
  "GetCertInfo",
  "SignMsg",
  "SignHash",
  "SignXML",
  "SignJson",
  // Verification through the bridge's `verify` (no approval, no token).
  "VerifyMsg",
  "VerifyXML",
  // Server-mediated file flows (vgca-file-flow.ts, vgca-file-plan.ts).
  "SignPDF",
  "SignApproved",
  "SignIssued",
  "SignIncome",
  "SignAppendix",
  "SignCopy",
  "SignFiles",
  "Comment",
] as const;
export type VgcaEndpoint = (typeof VGCA_ENDPOINTS)[number];

export function isVgcaEndpoint(value: string): value is VgcaEndpoint {
  return (VGCA_ENDPOINTS as readonly string[]).includes(value);
}

export { VGCA_STATUS } from "./vgca-status.js";

export interface VgcaReply {
  readonly Status: number;
  readonly Message: string;
  readonly Signature?: string;
  readonly CertBase64?: string;
  readonly Version?: string;
}

export type VgcaRender = "signature" | "document" | "xml-signature-only";

export type VgcaPlan =
  | { readonly kind: "version" }
  | { readonly kind: "certificate" }
  | { readonly kind: "sign"; readonly params: Record<string, unknown>; readonly render: VgcaRender }
  | { readonly kind: "verify"; readonly params: Record<string, unknown> }
  | { readonly kind: "file"; readonly request: VgcaFileRequest }
  | { readonly kind: "reply"; readonly reply: VgcaReply };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const flag = z.union([z.boolean(), z.enum(["true", "false", "True", "False", "TRUE", "FALSE"])]).transform((v) => v === true || String(v).toLowerCase() === "true");

// Vendor scripts add keys of their own: unknown keys are ignored here (the KySo params built below are strict).
const hashMessage = z.object({
  HashAlg: z.string().min(1).max(16).optional(),
  HashValue: z.string().min(1).max(128).regex(BASE64, "HashValue must be base64"),
  Encode: z.string().max(16).optional(),
});
const xmlMessage = z.object({
  Base64Content: z.string().min(1).regex(BASE64, "Base64Content must be base64"),
  ReturnSignatureOnly: flag.optional(),
  HashAlg: z.string().max(16).optional(),
  XmlDsigForm: flag.optional(),
});

/** `VerifyMsg`/`VerifyXML` as JSON: the signed document and, for a detached CMS, the content it signs (KySo's reading). */
const verifyMessage = z.object({
  Base64Content: z.string().min(1).regex(BASE64, "Base64Content must be base64"),
  DetachedContent: z.string().min(1).regex(BASE64, "DetachedContent must be base64").optional(),
  Online: flag.optional(),
});

/**
 * `VerifyMsg` (a signed message: a CMS / `.p7s`, or any document KySo verifies) and `VerifyXML` (a signed XML):
 * the bare base64 document, or `{Base64Content, DetachedContent?, Online?}`. Every document type goes to the same
 * `verify`, which reads what the bytes are; `Online` allows CA-published OCSP/CRL look-ups, as the bridge's `online`.
 */
function verifyPlan(text: string): VgcaPlan {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) {
    if (trimmed.length === 0 || !BASE64.test(trimmed)) return refuse(VGCA_STATUS.invalidInput, "document must be base64");
    return { kind: "verify", params: { document: trimmed } };
  }
  const parsed = verifyMessage.safeParse(parseJson(trimmed));
  if (!parsed.success) return refuse(VGCA_STATUS.invalidInput, parsed.error.issues[0]?.message ?? "invalid message");
  const m = parsed.data;
  return {
    kind: "verify",
    params: { document: m.Base64Content, ...(m.DetachedContent ? { detachedContent: m.DetachedContent } : {}), ...(m.Online ? { online: true } : {}) },
  };
}

const refuse = (Status: number, Message: string): VgcaPlan => ({ kind: "reply", reply: { Status, Message } });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const display = (endpoint: VgcaEndpoint): { title: string } => ({ title: `VGCA Sign Service: ${endpoint}` });

/** A bare digest's algorithm from its length (SHA-1 and MD5 lengths are refused by the session as unsupported). */
function algorithmOfLength(bytes: number): string {
  return bytes === 48 ? "SHA-384" : bytes === 64 ? "SHA-512" : bytes === 20 ? "SHA-1" : bytes === 16 ? "MD5" : "SHA-256";
}

function hashPlan(endpoint: VgcaEndpoint, text: string): VgcaPlan {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) {
    if (!BASE64.test(trimmed) || trimmed.length === 0 || trimmed.length > 128) return refuse(VGCA_STATUS.invalidInput, "hash must be base64");
    const params = { format: "raw", hash: trimmed, hashAlgorithm: algorithmOfLength(Buffer.from(trimmed, "base64").length), display: display(endpoint) };
    return { kind: "sign", params, render: "signature" };
  }
  const parsed = hashMessage.safeParse(parseJson(trimmed));
  if (!parsed.success) return refuse(VGCA_STATUS.invalidInput, parsed.error.issues[0]?.message ?? "invalid message");
  const encode = parsed.data.Encode?.toUpperCase();
  if (encode !== undefined && encode !== "RSA") return refuse(VGCA_STATUS.notSupported, `Encode ${parsed.data.Encode} is not supported`);
  const params = {
    format: "raw",
    hash: parsed.data.HashValue,
    hashAlgorithm: parsed.data.HashAlg ?? algorithmOfLength(Buffer.from(parsed.data.HashValue, "base64").length),
    display: display(endpoint),
  };
  return { kind: "sign", params, render: "signature" };
}

/** Reads one message for `endpoint` into what KySo should do with it. Never throws. */
export function planVgca(endpoint: VgcaEndpoint, text: string): VgcaPlan {
  switch (endpoint) {
    case "GetVersion":
      return { kind: "version" };
    case "GetCertInfo":
      return { kind: "certificate" };
    case "SignHash":
      return hashPlan(endpoint, text);
    case "SignMsg": {
      const trimmed = text.trim();
      if (trimmed.startsWith("{")) return hashPlan(endpoint, trimmed);
      if (trimmed.length === 0 || !BASE64.test(trimmed)) return refuse(VGCA_STATUS.invalidInput, "message must be base64");
      return { kind: "sign", params: { format: "raw", document: trimmed, display: display(endpoint) }, render: "signature" };
    }
    case "SignJson": {
      // The JSON text itself is what is signed (UTF-8 bytes, as sent); it must at least be JSON.
      if (text.length === 0 || parseJson(text) === undefined) return refuse(VGCA_STATUS.invalidInput, "message must be JSON");
      return { kind: "sign", params: { format: "raw", document: Buffer.from(text, "utf8").toString("base64"), display: display(endpoint) }, render: "signature" };
    }
    case "SignXML": {
      const parsed = xmlMessage.safeParse(parseJson(text));
      if (!parsed.success) return refuse(VGCA_STATUS.invalidInput, parsed.error.issues[0]?.message ?? "invalid message");
      const hash = parsed.data.HashAlg?.toLowerCase().replace("-", "");
      // KySo's XML signatures are rsa-sha256/ecdsa-sha256; SHA-1 is refused everywhere, so ask for nothing else.
      if (hash !== undefined && hash !== "sha256") return refuse(VGCA_STATUS.notSupported, `HashAlg ${parsed.data.HashAlg} is not supported (SHA-256 only)`);
      const format = parsed.data.XmlDsigForm === false ? "xades" : "xmldsig";
      return {
        kind: "sign",
        params: { format, document: parsed.data.Base64Content, display: display(endpoint) },
        render: parsed.data.ReturnSignatureOnly ? "xml-signature-only" : "document",
      };
    }
    case "SignPDF":
    case "SignApproved":
    case "SignIssued":
    case "SignIncome":
    case "SignAppendix":
    case "SignCopy":
    case "SignFiles":
    case "Comment":
    {
      const plan = filePlan(endpoint, parseJson(text));
      return "Status" in plan ? { kind: "reply", reply: plan } : { kind: "file", request: plan };
    }
    case "VerifyMsg":
    case "VerifyXML":
      return verifyPlan(text);
  }
}

/**
 * The `<Signature>` element KySo appended to the document root (its own output, so the last one): cut out as
 * text rather than parsed, because page XML is parsed only in the document workers.
 */
export function signatureElement(xml: string): string | undefined {
  for (const prefix of ["", "ds:"]) {
    const start = xml.lastIndexOf(`<${prefix}Signature `);
    const close = `</${prefix}Signature>`;
    const end = xml.lastIndexOf(close);
    if (start >= 0 && end > start) return xml.slice(start, end + close.length);
  }
  return undefined;
}

export function renderVgcaSign(result: SignResult, render: VgcaRender): VgcaReply {
  let signature = result.signature ?? result.document ?? "";
  if (render === "xml-signature-only" && result.document) {
    const element = signatureElement(Buffer.from(result.document, "base64").toString("utf8"));
    if (!element) return { Status: VGCA_STATUS.failed, Message: "signature element not found" };
    signature = Buffer.from(element, "utf8").toString("base64");
  }
  return { Status: VGCA_STATUS.ok, Message: "", Signature: signature, CertBase64: result.certificate };
}

/**
 * A verification that ran: Status 0 only for TOTAL-PASSED, so a portal that checks nothing but `Status` never takes
 * a failed or undecided document for a valid one. `Message` is the verdict and its reason in the app's language;
 * `Report` is the bridge's report, unchanged.
 */
export function renderVgcaVerify(report: VerificationReport, language: Language): Record<string, unknown> {
  const { indication, subIndication, reason } = report.result;
  const status = indication === "TOTAL-PASSED" ? VGCA_STATUS.ok : indication === "TOTAL-FAILED" ? VGCA_STATUS.signatureInvalid : VGCA_STATUS.indeterminate;
  const verdict = message(language, `verify.indication.${indication}` as MessageKey);
  const reasonKey = `verify.reason.${reason}`;
  const why = Object.hasOwn(MESSAGES.en, reasonKey) ? ` ${message(language, reasonKey as MessageKey)}` : "";
  return { Status: status, Message: `${verdict}.${why}`, Indication: indication, ...(subIndication ? { SubIndication: subIndication } : {}), Report: report };
}

export function vgcaStatusOf(error: ErrorObject): number {
  switch (error.data.name) {
    case "user_rejected":
      return VGCA_STATUS.cancelled;
    case "token_not_present":
    case "token_removed":
    case "certificate_not_found":
    case "certificate_invalid":
    case "pin_locked":
      return VGCA_STATUS.noCertificate;
    case "busy":
    case "rate_limited":
    case "timeout":
      return VGCA_STATUS.busy;
    case "origin_not_allowed":
      return VGCA_STATUS.notAllowed;
    case "method_not_found":
      return VGCA_STATUS.notSupported;
    case "internal":
      return VGCA_STATUS.failed;
    default:
      return VGCA_STATUS.invalidInput;
  }
}

export function renderVgcaError(error: ErrorObject): VgcaReply {
  return { Status: vgcaStatusOf(error), Message: error.message };
}

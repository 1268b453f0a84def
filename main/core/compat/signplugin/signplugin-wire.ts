/**
 * Viettel-CA SignPlugin wire format (docs/compatibility.md; the call shapes in the shared notes, not vendor code):
 * form-encoded POSTs to `http://127.0.0.1:14007/<fn>` or `https://127.0.0.1:14407/<fn>`, a plain-text answer, and
 * `getLastErr` for the code of the last call. This file only translates between those shapes and KySo's requests.
 */
import type { ErrorObject } from "../../../domain/wire/protocol.js";

export const SIGNPLUGIN_FUNCTIONS = [
  "getSession",
  "getCertificate",
  "getCertSubject",
  "getCertIssuer",
  "getCertSerial",
  "getCertValidFrom",
  "getCertValidTo",
  "signHash",
  "Sign",
  "signXMLData",
  "getLastErr",
] as const;
export type SignPluginFunction = (typeof SIGNPLUGIN_FUNCTIONS)[number];

export function isSignPluginFunction(value: string): value is SignPluginFunction {
  return (SIGNPLUGIN_FUNCTIONS as readonly string[]).includes(value);
}

/**
 * `getLastErr` codes. The notes name the mechanism, not the vendor's numbers; these are KySo's, one per class of
 * failure (0 = success), listed in docs/compatibility.md so a portal's support staff can read them.
 */
export const SIGNPLUGIN_ERRORS = {
  ok: 0,
  failed: 1,
  cancelled: 2,
  noToken: 3,
  noCertificate: 4,
  invalidInput: 5,
  /** `HashOpt` 0 (SHA-1) or 1 (MD5): refused before anything else happens. */
  hashAlgorithmRefused: 6,
  busy: 7,
  notSupported: 8,
} as const;

export type SignPluginPlan =
  | { readonly kind: "session" }
  | { readonly kind: "certificate" }
  | { readonly kind: "field"; readonly field: SignPluginFunction }
  | { readonly kind: "sign"; readonly params: Record<string, unknown>; readonly render: "signature" | "xml-text" | "xml-base64" }
  | { readonly kind: "lastError" }
  | { readonly kind: "refuse"; readonly code: number };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/** Form fields by case-insensitive name (vendor scripts are not consistent about case); the first value wins. */
export function formField(form: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of form) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

const display = (fn: SignPluginFunction): { title: string } => ({ title: `Viettel-CA SignPlugin: ${fn}` });

export function planSignPlugin(fn: SignPluginFunction, form: URLSearchParams): SignPluginPlan {
  switch (fn) {
    case "getSession":
      // The page sends the list of driver DLLs to load: ignored, KySo loads only its own discovered modules.
      return { kind: "session" };
    case "getCertificate":
      return { kind: "certificate" };
    case "getCertSubject":
    case "getCertIssuer":
    case "getCertSerial":
    case "getCertValidFrom":
    case "getCertValidTo":
      return { kind: "field", field: fn };
    case "getLastErr":
      return { kind: "lastError" };
    case "signHash": {
      const option = formField(form, "HashOpt") ?? "2";
      // 0 = SHA-1, 1 = MD5: broken for signatures, refused with their own code before any approval opens.
      if (option === "0" || option === "1") return { kind: "refuse", code: SIGNPLUGIN_ERRORS.hashAlgorithmRefused };
      if (option !== "2") return { kind: "refuse", code: SIGNPLUGIN_ERRORS.invalidInput };
      const hex = formField(form, "HashVal") ?? "";
      if (!HEX.test(hex) || hex.length !== 64) return { kind: "refuse", code: SIGNPLUGIN_ERRORS.invalidInput };
      const params = { format: "raw", hash: Buffer.from(hex, "hex").toString("base64"), hashAlgorithm: "SHA-256", display: display(fn) };
      return { kind: "sign", params, render: "signature" };
    }
    case "Sign": {
      const data = formField(form, "Data") ?? "";
      if (data.length === 0 || !BASE64.test(data)) return { kind: "refuse", code: SIGNPLUGIN_ERRORS.invalidInput };
      return { kind: "sign", params: { format: "raw", document: data, display: display(fn) }, render: "signature" };
    }
    case "signXMLData": {
      const xml = formField(form, "XmlData") ?? "";
      if (xml.length === 0) return { kind: "refuse", code: SIGNPLUGIN_ERRORS.invalidInput };
      // The XML as text (what a form field naturally carries) or base64; the answer comes back the same way.
      const asText = xml.trimStart().startsWith("<");
      if (!asText && !BASE64.test(xml)) return { kind: "refuse", code: SIGNPLUGIN_ERRORS.invalidInput };
      const document = asText ? Buffer.from(xml, "utf8").toString("base64") : xml;
      return { kind: "sign", params: { format: "xmldsig", document, display: display(fn) }, render: asText ? "xml-text" : "xml-base64" };
    }
  }
}

export function signPluginCodeOf(error: ErrorObject): number {
  switch (error.data.name) {
    case "user_rejected":
      return SIGNPLUGIN_ERRORS.cancelled;
    case "token_not_present":
    case "token_removed":
      return SIGNPLUGIN_ERRORS.noToken;
    case "certificate_not_found":
    case "certificate_invalid":
    case "pin_locked":
      return SIGNPLUGIN_ERRORS.noCertificate;
    case "unsupported_algorithm":
      return SIGNPLUGIN_ERRORS.hashAlgorithmRefused;
    case "busy":
    case "rate_limited":
    case "timeout":
      return SIGNPLUGIN_ERRORS.busy;
    case "method_not_found":
      return SIGNPLUGIN_ERRORS.notSupported;
    case "internal":
      return SIGNPLUGIN_ERRORS.failed;
    default:
      return SIGNPLUGIN_ERRORS.invalidInput;
  }
}

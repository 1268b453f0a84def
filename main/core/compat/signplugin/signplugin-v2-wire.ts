/**
 * SignPlugin v2 (TrustCA/FPT/NewCA integrations): `POST https://127.0.0.1:14408/process` with a form field
 * `request=<base64 of a UTF-8 JSON object>`. The notes record only the envelope (base64 JSON, `OperationId`,
 * `ResponseCode`); the operation numbers and the reply layout below are KySo's reading, listed in
 * docs/compatibility.md as "to check against the vendor's spec". Each operation is a v1 function with the same
 * field names, handled by the same v1 code (signplugin-wire.ts `planSignPlugin`), and `ResponseCode` carries what
 * v1's `getLastErr` would have said.
 */
import { SIGNPLUGIN_ERRORS, type SignPluginFunction } from "./signplugin-wire.js";

/** `OperationId` → the v1 function it runs. A v1 function name is accepted too. */
export const SIGNPLUGIN_V2_OPERATIONS: Readonly<Record<number, SignPluginFunction>> = {
  1: "getSession",
  2: "getCertificate",
  3: "signHash",
  4: "Sign",
  5: "signXMLData",
  6: "getCertSubject",
  7: "getCertIssuer",
  8: "getCertSerial",
  9: "getCertValidFrom",
  10: "getCertValidTo",
};

export interface SignPluginV2Reply {
  readonly OperationId: number | string | null;
  readonly ResponseCode: number;
  readonly ResponseMsg: string;
  /** The v1 function's answer (certificate, signature, XML...); "" on failure. */
  readonly Data: string;
}

export type SignPluginV2Request =
  | { readonly ok: true; readonly fn: SignPluginFunction; readonly operationId: number | string; readonly form: URLSearchParams }
  | { readonly ok: false; readonly reply: SignPluginV2Reply };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const failure = (operationId: number | string | null, code: number, message: string): SignPluginV2Request => ({
  ok: false,
  reply: { OperationId: operationId, ResponseCode: code, ResponseMsg: message, Data: "" },
});

function operationOf(value: unknown): SignPluginFunction | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return SIGNPLUGIN_V2_OPERATIONS[value];
  if (typeof value === "string") {
    if (/^\d{1,3}$/.test(value)) return SIGNPLUGIN_V2_OPERATIONS[Number(value)];
    return Object.values(SIGNPLUGIN_V2_OPERATIONS).find((fn) => fn.toLowerCase() === value.toLowerCase());
  }
  return undefined;
}

/** Reads the `/process` form body into a v1 call. Never throws. */
export function parseSignPluginV2(body: URLSearchParams): SignPluginV2Request {
  const encoded = (body.get("request") ?? "").replace(/\s+/g, "");
  if (encoded.length === 0 || !BASE64.test(encoded)) return failure(null, SIGNPLUGIN_ERRORS.invalidInput, "request must be base64 JSON");
  let message: unknown;
  try {
    message = JSON.parse(Buffer.from(encoded, "base64").toString("utf8"));
  } catch {
    return failure(null, SIGNPLUGIN_ERRORS.invalidInput, "request must be base64 JSON");
  }
  if (typeof message !== "object" || message === null || Array.isArray(message)) return failure(null, SIGNPLUGIN_ERRORS.invalidInput, "request must be a JSON object");
  const fields = message as Record<string, unknown>;
  const raw = fields.OperationId;
  const operationId = typeof raw === "number" || typeof raw === "string" ? raw : null;
  const fn = operationOf(raw);
  if (!fn || operationId === null) return failure(operationId, SIGNPLUGIN_ERRORS.notSupported, "unknown OperationId");
  // The other keys are v1's form fields (HashVal, HashOpt, Data, XmlData, ...): scalars only.
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (key === "OperationId") continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") form.append(key, String(value));
  }
  return { ok: true, fn, operationId, form };
}

const MESSAGES: Readonly<Record<number, string>> = {
  [SIGNPLUGIN_ERRORS.ok]: "",
  [SIGNPLUGIN_ERRORS.failed]: "failed",
  [SIGNPLUGIN_ERRORS.cancelled]: "declined by the user",
  [SIGNPLUGIN_ERRORS.noToken]: "no token",
  [SIGNPLUGIN_ERRORS.noCertificate]: "no usable certificate",
  [SIGNPLUGIN_ERRORS.invalidInput]: "invalid input",
  [SIGNPLUGIN_ERRORS.hashAlgorithmRefused]: "hash algorithm refused (SHA-256 only)",
  [SIGNPLUGIN_ERRORS.busy]: "busy, or no decision in time",
  [SIGNPLUGIN_ERRORS.notSupported]: "not supported",
};

export function renderSignPluginV2(operationId: number | string, code: number, data: string): SignPluginV2Reply {
  const ok = code === SIGNPLUGIN_ERRORS.ok;
  return { OperationId: operationId, ResponseCode: code, ResponseMsg: MESSAGES[code] ?? "failed", Data: ok ? data : "" };
}

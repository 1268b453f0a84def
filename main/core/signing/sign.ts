/**
 * The one entry point of the signing formats: validates the request, dispatches on `format`, and returns the
 * signature or the signed document with what the audit log keeps (time, certificate, digest).
 */
import type { Signer } from "../../domain/signer.js";
import { signCms } from "./cms/sign-cms.js";
import { signPades } from "./pdf/sign-pades.js";
import { signRaw } from "./raw.js";
import { parseSigningRequest, type SigningRequestInput } from "./request.js";
import type { SignContext, SignResult } from "./types.js";
import { signXml } from "./xml/sign-xml.js";

export async function sign(input: SigningRequestInput, signer: Signer, context: SignContext = {}): Promise<SignResult> {
  const request = parseSigningRequest(input);
  // Whole seconds: the PDF /M, XML SigningTime and CMS signingTime all carry second precision, and they must agree.
  const signedAt = new Date(Math.floor((context.signingTime ?? new Date()).getTime() / 1000) * 1000);
  switch (request.format) {
    case "raw":
      return signRaw(request, signer, signedAt);
    case "cms":
      return signCms(request, signer, context, signedAt);
    case "pades":
      return signPades(request, signer, context, signedAt);
    case "xades":
    case "xmldsig":
    case "vn-tax":
    case "vn-einvoice":
      return signXml(request, signer, signedAt, context);
    default:
      return assertNever(request);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled signing format ${JSON.stringify(value)}`);
}

import type { Signer } from "../../domain/signer.js";
import type { RequestOf } from "../request.js";
import type { SignResult } from "../types.js";
export async function signXml(_r: RequestOf<"xades" | "xmldsig" | "vn-tax" | "vn-einvoice">, _s: Signer, _t: Date): Promise<SignResult> {
  throw new Error("todo");
}

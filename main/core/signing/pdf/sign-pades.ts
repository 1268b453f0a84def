import type { Signer } from "../../domain/signer.js";
import type { RequestOf } from "../request.js";
import type { SignContext, SignResult } from "../types.js";
export async function signPades(_r: RequestOf<"pades">, _s: Signer, _c: SignContext, _t: Date): Promise<SignResult> {
  throw new Error("todo");
}

/** The `cms` format: CAdES over data (attached or detached) or over a page-supplied hash (always detached). */
import type { Signer } from "../../../domain/signer.js";
import { KysoError } from "../../../domain/errors/index.js";
import { dataDigest } from "../raw.js";
import type { RequestOf } from "../request.js";
import { chooseScheme } from "../scheme.js";
import type { SignContext, SignResult } from "../types.js";
import { buildCades } from "./cades.js";

export async function signCms(request: RequestOf<"cms">, signer: Signer, context: SignContext, signedAt: Date): Promise<SignResult> {
  const detached = request.options.detached ?? true;
  if (!detached && !request.document) throw new KysoError("invalid_params", "an attached signature needs the document, not a hash");
  const contentDigest = dataDigest(request);
  const { cms } = await buildCades(
    {
      contentDigest,
      hashAlgorithm: request.hashAlgorithm,
      scheme: chooseScheme(signer, request.options.scheme),
      level: request.options.level ?? "B-B",
      signingTime: signedAt,
      ...(detached ? {} : { content: request.document! }),
    },
    signer,
    context,
  );
  return { kind: "signature", signature: cms, signedAt, certificate: signer.certificate, hashAlgorithm: request.hashAlgorithm, digest: contentDigest };
}

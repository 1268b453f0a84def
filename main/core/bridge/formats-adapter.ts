/**
 * Connects the bridge's SigningPort to the signing formats module (main/core/signing: `parseSigningRequest`,
 * `describe(request)`, `sign(request, signer, context)`). The module is looked up at first use, so the bridge
 * keeps working (with `raw` only, from builtinSigning) in a tree where the formats are not built yet.
 */
import { KysoError } from "../errors/kyso-error.js";
import type { DocumentDescription } from "../domain/document-description.js";
import type { Signer } from "../domain/signer.js";
import { builtinSigning, type SignItem, type SigningPort } from "./signing-port.js";

interface FormatsModule {
  parseSigningRequest(input: unknown): unknown;
  describe?(request: unknown): DocumentDescription | Promise<DocumentDescription>;
  sign(
    request: unknown,
    signer: Signer,
    context: { signingTime?: Date; timestampAuthority?: { url: string } },
  ): Promise<{ kind: "signature"; signature: Uint8Array } | { kind: "document"; document: Uint8Array }>;
}

const FORMATS_MODULE = "../signing/index.js";

async function loadFormats(): Promise<FormatsModule | undefined> {
  try {
    // A variable specifier: the formats module is optional at type-check time.
    const module = (await import(FORMATS_MODULE)) as Partial<FormatsModule>;
    if (typeof module.sign === "function" && typeof module.parseSigningRequest === "function") {
      return module as FormatsModule;
    }
  } catch {
    // not built in this tree
  }
  return undefined;
}

export function formatsSigning(options: { timestampAuthority?: { url: string } } = {}): SigningPort {
  const fallback = builtinSigning();
  let loaded: Promise<FormatsModule | undefined> | undefined;
  const formats = (): Promise<FormatsModule | undefined> => (loaded ??= loadFormats());
  const request = (module: FormatsModule, item: SignItem): unknown => module.parseSigningRequest({ ...item });

  return {
    async describe(item) {
      const module = await formats();
      if (!module?.describe) {
        if (module) request(module, item); // the format's own schema still runs before the approval
        return fallback.describe(item);
      }
      try {
        return await module.describe(request(module, item));
      } catch (error) {
        if (error instanceof KysoError) throw error;
        throw new KysoError("document_invalid", (error as Error).message);
      }
    },
    async sign(item, signer, context) {
      const module = await formats();
      if (!module) return fallback.sign(item, signer, context);
      const output = await module.sign(request(module, item), signer, {
        signingTime: context.signingTime,
        ...(options.timestampAuthority ? { timestampAuthority: options.timestampAuthority } : {}),
      });
      return output.kind === "signature" ? { signature: output.signature } : { document: output.document };
    },
  };
}

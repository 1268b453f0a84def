/**
 * The user's own stamp images (main/core/stamps/stamp-image-store.ts) go into a leader or seal preset here, for
 * the certificate that signs: the image the user keeps in KySo wins over one a page sent, and the seal's real
 * diameter comes with it. The images never cross the bridge; they travel only from this thread to the document
 * worker inside the request.
 */
import { createHash } from "node:crypto";
import type { SigningRequestInput } from "./request.js";

/** What the store knows for one certificate (a subset of StampImages, declared here so signing stays independent). */
export interface CertificateStampImages {
  readonly signature?: { readonly png: Uint8Array };
  readonly seal?: { readonly png: Uint8Array; readonly diameterMm?: number };
}

export type StampImageLookup = (fingerprintSha256: string) => Promise<CertificateStampImages>;

export function certificateFingerprint(certificate: Uint8Array): string {
  return createHash("sha256").update(certificate).digest("hex");
}

/** The request with the certificate's image (and seal diameter) in its preset; unchanged when none applies. */
export async function withStampImage(request: SigningRequestInput, certificate: Uint8Array | undefined, lookup: StampImageLookup | undefined): Promise<SigningRequestInput> {
  if (!lookup || !certificate || request.format !== "pades") return request;
  const options = request.options as { preset?: { name?: string } & Record<string, unknown> } | undefined;
  const preset = options?.preset;
  if (!preset || (preset.name !== "leader" && preset.name !== "seal")) return request;
  const images = await lookup(certificateFingerprint(certificate));
  const stored = preset.name === "leader" ? images.signature : images.seal;
  if (!stored) return request;
  const diameter = preset.name === "seal" && images.seal?.diameterMm !== undefined ? { sealDiameterMm: images.seal.diameterMm } : {};
  const nextPreset = { ...preset, image: Buffer.from(stored.png).toString("base64"), ...diameter };
  return { ...request, options: { ...options, preset: nextPreset } } as SigningRequestInput;
}

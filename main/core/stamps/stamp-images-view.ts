/** The certificates page's view of the stored images (main/domain/stamp-images.ts `StampImagesView`). */
import { STAMP_IMAGE_KINDS, type StampImageKind, type StampImageView, type StampImagesView } from "../../domain/stamp-images.js";
import type { StampImages } from "./stamp-image-store.js";

export function stampImagesView(images: StampImages): StampImagesView {
  const out: Partial<Record<StampImageKind, StampImageView>> = {};
  for (const kind of STAMP_IMAGE_KINDS) {
    const image = images[kind];
    if (image) out[kind] = { base64: Buffer.from(image.png).toString("base64"), width: image.width, height: image.height, ...(image.diameterMm !== undefined ? { diameterMm: image.diameterMm } : {}) };
  }
  return out;
}

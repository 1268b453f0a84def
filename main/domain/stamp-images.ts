/**
 * The user's stamp images per certificate (Decree 30/2020 leader and seal presets, docs/presets.md): the kinds,
 * the limits the core checks (main/core/stamps/png-check.ts) and what the certificates page sees (app API
 * `stampImages.*`): the PNG for the preview (the user's own image, shown back to them) with its size.
 */
export const STAMP_IMAGE_KINDS = ["signature", "seal"] as const;
export type StampImageKind = (typeof STAMP_IMAGE_KINDS)[number];

export const MAX_STAMP_PNG_BYTES = 1024 * 1024;
export const MAX_STAMP_PNG_SIDE = 2000;

export interface StampImageView {
  readonly base64: string;
  readonly width: number;
  readonly height: number;
  /** Seal only: its real diameter in mm. */
  readonly diameterMm?: number;
}

export type StampImagesView = { readonly [K in StampImageKind]?: StampImageView };

/**
 * What KySo will write into a signature, read from the validated request before the approval opens (never from
 * the page's `display` text): the approval shows it as KySo's own reading, so the user sees the reason, the place
 * and the stamp the signature will carry before typing the PIN.
 */
import type { PresetPlan } from "./stamp-presets.js";

export type SignatureLevel = "B-B" | "B-T" | "B-LT" | "B-LTA";

/** A visible PDF stamp: the page and the widget rectangle exactly as the signer will write them. */
export interface StampPlan {
  /** 1-based page number ("last" already resolved against the page count). */
  readonly page: number;
  /** [x1, y1, x2, y2] in the page's default user space (PDF points, origin bottom-left), the widget's /Rect. */
  readonly rect: readonly [number, number, number, number];
  /** The page carries a seal or handwritten-signature image on the left of the stamp. */
  readonly image: boolean;
}

export interface SignaturePlan {
  /** The signing format (`pades`, `cms`, `xades`, `vn-tax`, ...). */
  readonly format: string;
  /** ETSI baseline level for the formats that have one (PAdES, CAdES, XAdES). */
  readonly level?: SignatureLevel;
  /** CMS only: detached (default) or attached. */
  readonly detached?: boolean;
  readonly hashAlgorithm?: string;
  /** PAdES signature dictionary: /Reason, /Location, /ContactInfo, exactly as written. */
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  /** Absent: an invisible signature. */
  readonly stamp?: StampPlan;
  /** The Decree 30/2020 preset (main/domain/stamp-presets.ts): its name, how the stamp was placed, scan warnings. */
  readonly preset?: PresetPlan;
}

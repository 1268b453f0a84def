import type { Translate } from "../i18n/index.js";

export function formatSize(bytes: number, t: Translate): string {
  if (bytes < 1024) return t("doc.bytes", { n: bytes });
  if (bytes < 1024 * 1024) return t("doc.kib", { n: (bytes / 1024).toFixed(1) });
  return t("doc.mib", { n: (bytes / 1024 / 1024).toFixed(1) });
}

/** Hex in groups of four so a user can compare it with what the portal shows. */
export function groupHex(hex: string): string {
  return hex.toLowerCase().replace(/(.{4})(?=.)/g, "$1 ");
}

/**
 * English words of the Decree 30/2020 stamp presets and of local file signing: kept apart from en.ts only to keep
 * each file short; merged into the one catalogue by en.ts. `preset.reason.*` is written into the signature's
 * /Reason in Vietnamese (presets-vi.ts); the English ones are what the approval shows an English reader.
 */
export const presetsEn = {
  "preset.label": "Stamp preset (Decree 30/2020)",
  "preset.where": "Stamp position",
  "preset.warnings": "Scan check",
  "preset.name.leader": "Leader's signature (image of the handwritten signature)",
  "preset.name.seal": "Organisation's seal",
  "preset.name.appendix": "Appendix or attached document",
  "preset.name.copy": "Electronic copy (certified copy, copy, extract)",
  "preset.name.income": "Incoming document (receipt)",
  "preset.reason.leader": "Approved by the competent person (Decree 30/2020)",
  "preset.reason.seal": "Issued by the organisation (Decree 30/2020)",
  "preset.reason.appendix": "Appendix signed by the organisation (Decree 30/2020)",
  "preset.reason.copy": "Copy certified by the organisation (Decree 30/2020)",
  "preset.reason.income": "Received by the organisation (incoming document)",
  "preset.placedBy.fixed": "Top right of page 1, as Decree 30/2020 sets",
  "preset.placedBy.leader-signature": "Over the left third of the leader's signature on page {page}",
  "preset.placedBy.caller": "On page {page}, at the place chosen",
  "preset.placedBy.user": "On page {page}, placed by you",
  "preset.place.hint": "To put the image elsewhere, click the place on a page of the preview, or select the image and move it with the arrow keys (Shift: larger steps, Page Up / Page Down: previous or next page).",
  "preset.place.overlay": "The image on page {page}: arrow keys move it, Page Up / Page Down change the page",
  "preset.place.checking": "Checking the new place…",
  "preset.warning.scan-low-dpi": "The scanned pages are below 200 dpi ({dpi} dpi): Decree 30/2020 asks for at least 200 dpi.",
  "preset.warning.scan-not-colour": "The scanned pages are not in colour: Decree 30/2020 asks for a colour scan.",
  "files.signedNextTo": "Signed copy saved as {name}",
  "files.exists": "{name} already exists. Replace it?",
  "files.replace": "Replace",
} as const;

/**
 * English words of the user's stamp images (certificates page), the leader's position found in the text layer
 * and the verify page's Decree 30/2020 official-document check. Merged into the catalogue by en.ts.
 */
export const stampsEn = {
  "stamps.heading": "Stamp images (Decree 30/2020)",
  "stamps.help": "Kept in KySo for this certificate only, never sent to any site. Transparent PNG, at most 1 MiB and 2000 pixels a side.",
  "stamps.kind.signature": "Handwritten signature (leader)",
  "stamps.kind.seal": "Organisation seal",
  "stamps.none": "None",
  "stamps.upload": "Choose PNG…",
  "stamps.remove": "Remove",
  "stamps.diameter": "Seal diameter (mm)",
  "stamps.size": "{width} × {height} px",
  "stamps.sealSize": "{width} × {height} px, {diameter} mm",
  "preset.placedBy.text-layer": "On page {page}, between the authority line and the name line found in the text",
  "preset.placedBy.foundUnder": "On page {page}, found under ‘{line}’ (above the name line)",
  "preset.placedBy.default": "Position: default, on page {page} (the authority and name lines were not found)",
  "official.heading": "Official document (Decree 30/2020)",
  "official.notAssessed": "Not assessed: no signature names a Decree 30/2020 role.",
  "official.complete": "Both signatures are present: the leader's, then the organisation's seal.",
  "official.leaderMissing": "The leader's signature is missing.",
  "official.sealMissing": "The organisation's seal signature is missing.",
  "official.wrongOrder": "The organisation's seal was signed before the leader's signature.",
  "official.leader": "Leader",
  "official.seal": "Organisation seal",
  "official.present": "present (signature {index})",
  "official.absent": "absent",
} as const;

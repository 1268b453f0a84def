/**
 * The words of a file approval (a vendor file flow that names no file: the user chooses it in KySo's window,
 * renderer/src/approval/file-approval.tsx); merged into the one catalogue by en.ts.
 */
export const vgcaFileEn = {
  "fileApproval.heading": "A website asks you to choose a file to sign",
  "fileApproval.explain": "Choose the PDF to sign. KySo reads it and shows it to you before anything is signed; the signed file goes back to the website.",
  "fileApproval.choose": "File to sign",
  "fileApproval.limit": "At most {size}.",
  "fileApproval.tooLarge": "This file is larger than {size}.",
  "fileApproval.reading": "Reading the file…",
  "fileApproval.received": "File received. KySo is reading it; the signing request follows.",
} as const;

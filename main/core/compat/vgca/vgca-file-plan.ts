/**
 * What a VGCA file-flow message asks for (docs/compatibility.md, "File flows"): the files to download (or none:
 * the user picks one in KySo's window), where to upload, and the `pades` options of each endpoint. The stamps are
 * the Decree 30/2020 presets (main/domain/stamp-presets.ts, docs/presets.md) where the message carries what a
 * preset needs; every refusal here happens before any request and before any approval opens.
 */
import { z } from "zod";
import { COPY_KINDS, type CopyKind } from "../../../domain/stamp-presets.js";
import { message } from "../../../domain/messages/index.js";
import { VGCA_STATUS } from "./vgca-status.js";

export const VGCA_FILE_ENDPOINTS = ["SignPDF", "SignApproved", "SignIssued", "SignIncome", "SignAppendix", "SignCopy", "SignFiles", "Comment"] as const;
export type VgcaFileEndpoint = (typeof VGCA_FILE_ENDPOINTS)[number];

/** Files one `SignFiles` may name: one approval, one batch (the bridge's `signBatch` allows more; a portal needs few). */
export const MAX_VGCA_FILES = 20;

export interface VgcaFileRequest {
  readonly endpoint: VgcaFileEndpoint;
  /** The URLs to download, in order; empty: the user chooses one file in KySo's approval (the vendor's picker). */
  readonly fileNames: readonly string[];
  readonly uploadHandler: string;
  readonly sessionId?: string;
  readonly jwt?: string;
  /** `pades` options, the same for every file: the stamp (preset or visible box) and the reason. */
  readonly options: Record<string, unknown>;
}

export interface VgcaFileRefusal {
  readonly Status: number;
  readonly Message: string;
}

const metaEntry = z.object({ Key: z.string().max(64), Value: z.union([z.string().max(2000), z.number(), z.boolean()]) });

/** The notes' `{FileUploadHandler, SessionId, JWTToken, FileName, DocNumber, IssuedDate, MetaData:[{Key, Value}]}`. */
const fileMessage = z.object({
  FileUploadHandler: z.string().min(1).max(2048),
  // One URL; `SignFiles` (KySo's reading, to check): a JSON array of URLs, or URLs separated by `;`.
  FileName: z.union([z.string().max(2048 * MAX_VGCA_FILES), z.array(z.string().min(1).max(2048)).max(MAX_VGCA_FILES)]),
  SessionId: z.string().max(1024).optional(),
  JWTToken: z.string().max(8192).optional(),
  DocNumber: z.string().max(100).optional(),
  IssuedDate: z.string().max(50).optional(),
  MetaData: z.array(metaEntry).max(64).optional(),
});
type FileMessage = z.infer<typeof fileMessage>;

const hasControl = (value: string): boolean => [...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const refusal = (Status: number, Message: string): VgcaFileRefusal => ({ Status, Message });
export const isFileRefusal = (value: object): value is VgcaFileRefusal => typeof (value as { Status?: unknown }).Status === "number";

/** A `MetaData` value by key, case-insensitive (vendor scripts differ in spelling); trimmed, control characters refused. */
function meta(m: FileMessage, ...keys: string[]): string | undefined {
  const wanted = keys.map((k) => k.toLowerCase());
  const entry = m.MetaData?.find((e) => wanted.includes(e.Key.toLowerCase()));
  const value = entry === undefined ? undefined : String(entry.Value).trim();
  return value === undefined || value === "" ? undefined : value;
}

function fileNames(endpoint: VgcaFileEndpoint, value: string | readonly string[]): string[] | VgcaFileRefusal {
  const list = typeof value === "string" ? (endpoint === "SignFiles" ? value.split(";") : [value]) : [...value];
  const names = list.map((v) => v.trim()).filter((v) => v !== "");
  if (names.length > 1 && endpoint !== "SignFiles") return refusal(VGCA_STATUS.invalidInput, `${endpoint} takes one FileName`);
  if (names.length > MAX_VGCA_FILES) return refusal(VGCA_STATUS.invalidInput, `at most ${MAX_VGCA_FILES} files in one SignFiles`);
  return names;
}

/** The last page's bottom right: KySo's place for a signature without a Decree 30 layout (SignPDF and the like). */
const PLAIN_STAMP = { visible: { page: "last", position: "bottom-right" } } as const;

/** The `pades` options of each endpoint, or the refusal when the message lacks what its stamp needs. */
function endpointOptions(endpoint: VgcaFileEndpoint, m: FileMessage): Record<string, unknown> | VgcaFileRefusal {
  const number = m.DocNumber?.trim() ?? "";
  const date = m.IssuedDate?.trim() ?? "";
  if (hasControl(number) || hasControl(date)) return refusal(VGCA_STATUS.invalidInput, "DocNumber and IssuedDate must be plain text");
  switch (endpoint) {
    // The leader preset draws the handwritten signature image at a point on the page; a VGCA message carries neither
    // (docs/compatibility.md, "to check"), so SignApproved (the leader's signature) has KySo's plain visible stamp.
    case "SignPDF":
    case "SignFiles":
    case "SignApproved":
      return { ...PLAIN_STAMP };
    case "SignIssued": {
      if (!number || !date) return refusal(VGCA_STATUS.invalidInput, "SignIssued needs DocNumber and IssuedDate");
      // Decree 30/2020: the organisation's signature without an image carries the number and the signing time, top
      // right of page 1 (the appendix layout); the number line also names the issued date. Vietnamese whatever the UI
      // language: it is part of the document.
      const line = message("vi", "stamp.documentNumber", { number, date });
      if (line.length > 100) return refusal(VGCA_STATUS.invalidInput, "DocNumber and IssuedDate are too long for the stamp");
      return { reason: line, preset: { name: "appendix", documentNumber: line } };
    }
    case "SignAppendix":
      if (!number) return refusal(VGCA_STATUS.invalidInput, "SignAppendix needs DocNumber");
      return { preset: { name: "appendix", documentNumber: number } };
    case "SignCopy": {
      const kind = (meta(m, "CopyKind") ?? "sao-y").toLowerCase();
      const organisation = meta(m, "Organisation", "Organization", "OrganizationName");
      if (!(COPY_KINDS as readonly string[]).includes(kind)) return refusal(VGCA_STATUS.invalidInput, `CopyKind must be one of ${COPY_KINDS.join(", ")}`);
      if (!organisation || organisation.length > 200 || hasControl(organisation)) return refusal(VGCA_STATUS.invalidInput, "SignCopy needs MetaData Organisation (the copying organisation)");
      return { preset: { name: "copy", copyKind: kind as CopyKind, organisation } };
    }
    case "SignIncome":
      // The incoming-document receipt (docs/presets.md `income`): the received number when the portal gives one.
      return { preset: { name: "income", ...(number ? { documentNumber: number } : {}) } };
    case "Comment": {
      // Not documented in the notes (to check): a signed file flow whose visible stamp and /Reason carry the comment.
      const comment = meta(m, "Comment", "Content", "Note");
      if (comment !== undefined && (comment.length > 200 || hasControl(comment))) return refusal(VGCA_STATUS.invalidInput, "Comment: one line of at most 200 characters");
      return { ...PLAIN_STAMP, ...(comment ? { reason: comment } : {}) };
    }
  }
}

/** Reads a file flow's message (already JSON-parsed, untrusted). Never throws. */
export function filePlan(endpoint: VgcaFileEndpoint, json: unknown): VgcaFileRequest | VgcaFileRefusal {
  const parsed = fileMessage.safeParse(json);
  if (!parsed.success) return refusal(VGCA_STATUS.invalidInput, parsed.error.issues[0]?.message ?? "invalid message");
  const m = parsed.data;
  const names = fileNames(endpoint, m.FileName);
  if (!Array.isArray(names)) return names;
  const options = endpointOptions(endpoint, m);
  if (isFileRefusal(options)) return options;
  return {
    endpoint,
    fileNames: names,
    uploadHandler: m.FileUploadHandler,
    ...(m.SessionId ? { sessionId: m.SessionId } : {}),
    ...(m.JWTToken ? { jwt: m.JWTToken } : {}),
    options,
  };
}

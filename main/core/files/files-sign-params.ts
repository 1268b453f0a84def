/**
 * The `files.sign` contract (app-api/contract.ts): params validated at the IPC door, and the per-file result.
 * Kept free of Node so the renderer can type-check against it.
 */
import { z } from "zod";
import type { ErrorPayload } from "../../domain/errors/kyso-error.js";
import { PadesLevelSchema, PresetSchema } from "../signing/request.js";

/** Files in one `files.sign`: one approval for all of them (a batch in the approval). */
export const MAX_LOCAL_FILES = 100;
const MAX_PATH_CHARS = 4096;

export const EXISTING_CHOICES = ["ask", "overwrite", "keepBoth", "skip"] as const;
export type ExistingChoice = (typeof EXISTING_CHOICES)[number];

export const FilesSignParamsSchema = z.strictObject({
  /** Absolute paths from the file picker or a drop; each must be a PDF. */
  paths: z.array(z.string().min(1).max(MAX_PATH_CHARS)).min(1).max(MAX_LOCAL_FILES),
  preset: PresetSchema,
  level: PadesLevelSchema.optional(),
  /** Only after the UI asked the user (a first attempt answered `file_exists`): the same as `existing: "overwrite"`. */
  overwrite: z.boolean().optional(),
  /**
   * What to do where `<name>.signed.pdf` exists, as the user answered the UI's question after `file_exists`:
   * `ask` (default) refuses with `file_exists` before the approval; `overwrite` replaces it; `keepBoth` writes
   * `<name>.signed (2).pdf` (the first free number); `skip` leaves that file out (its result says `skipped`).
   */
  existing: z.enum(EXISTING_CHOICES).optional(),
}).refine((p) => !(p.overwrite === true && p.existing !== undefined && p.existing !== "overwrite"), { message: "overwrite: true contradicts existing" });
export type FilesSignParams = z.output<typeof FilesSignParamsSchema>;

export type LocalFileResult =
  | { readonly path: string; readonly ok: true; readonly output: string }
  /** `skipped`: the user chose to skip files whose signed copy exists (error `file_exists`, nothing written). */
  | { readonly path: string; readonly ok: false; readonly error: ErrorPayload; readonly skipped?: true };

/** `files.choose` (the shell's dialog) and `files.expand` (dropped paths): main/core/files/file-dialogs.ts. */
export const FilesChooseParamsSchema = z.strictObject({ kind: z.enum(["files", "folder"]) });

/** Dropped paths (files or folders), as the preload read them from the drop. */
export const FilesExpandParamsSchema = z.strictObject({ paths: z.array(z.string().min(1).max(4096)).min(1).max(MAX_LOCAL_FILES) });

export interface ChosenFiles {
  /** At most MAX_LOCAL_FILES absolute paths, in the dialog's order or, for a folder, by name. */
  readonly paths: readonly string[];
  /** PDF files left out because the choice had more than MAX_LOCAL_FILES. */
  readonly omitted: number;
  /** Files of a folder left out because they are not PDFs or are KySo's own signed copies. */
  readonly ignored: number;
  /** Set when the user chose a folder. */
  readonly folder?: string;
}

export type OpenedFilesAction = "sign" | "open";

/** PDFs the desktop handed to KySo (files/opened-files.ts): the `files.opened` event and `files.takeOpened`. */
export interface OpenedFiles {
  readonly paths: readonly string[];
  /** `sign`: the "Sign with KySo" verb or desktop action; `open`: KySo was chosen to open the files. */
  readonly action: OpenedFilesAction;
}

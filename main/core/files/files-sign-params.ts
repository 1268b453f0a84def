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

export const FilesSignParamsSchema = z.strictObject({
  /** Absolute paths from the file picker or a drop; each must be a PDF. */
  paths: z.array(z.string().min(1).max(MAX_PATH_CHARS)).min(1).max(MAX_LOCAL_FILES),
  preset: PresetSchema,
  level: PadesLevelSchema.optional(),
  /** Only after the UI asked the user (a first attempt answered `file_exists`). */
  overwrite: z.boolean().optional(),
});
export type FilesSignParams = z.output<typeof FilesSignParamsSchema>;

export type LocalFileResult =
  | { readonly path: string; readonly ok: true; readonly output: string }
  | { readonly path: string; readonly ok: false; readonly error: ErrorPayload };


export type OpenedFilesAction = "sign" | "open";

/** PDFs the desktop handed to KySo (files/opened-files.ts): the `files.opened` event and `files.takeOpened`. */
export interface OpenedFiles {
  readonly paths: readonly string[];
  /** `sign`: the "Sign with KySo" verb or desktop action; `open`: KySo was chosen to open the files. */
  readonly action: OpenedFilesAction;
}

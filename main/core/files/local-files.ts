/**
 * Signing PDFs the user chose on this computer (file picker, drag and drop): `files.sign` in the app API. Every
 * file is read and every output name checked BEFORE the approval opens, so the approval is the same one a portal's
 * request gets (KySo's reading, the preview, the preset's plan) and nothing can fail on the file system between
 * the PIN and the result except the final write. The signed file is `<name>.signed.pdf` next to the original,
 * written atomically (atomic-write.ts), never over an existing file unless the user said `overwrite: true`.
 */
import { open } from "node:fs/promises";
import { basename, dirname, extname, isAbsolute, join } from "node:path";
import { KysoError, isKysoError, toKysoError, type ErrorPayload, type Language } from "../../domain/errors/kyso-error.js";
import { MAX_PDF_BYTES } from "../signing/limits.js";
import type { PresetOptions, SignatureLevel } from "../signing/request.js";
import type { FilesSignParams, LocalFileResult } from "./files-sign-params.js";
import { writeFileAtomically, type AtomicWriteOps } from "./atomic-write.js";

export interface LocalDocument {
  readonly path: string;
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

/** Signs documents through the one approval; a result per document in order (a batch records failures per item). */
export interface LocalSigner {
  sign(documents: readonly LocalDocument[], options: LocalSignOptions): Promise<readonly ({ readonly ok: true; readonly document: Uint8Array } | { readonly ok: false; readonly error: ErrorPayload })[]>;
}

export interface LocalSignOptions {
  readonly preset: PresetOptions;
  readonly level?: SignatureLevel;
  /** Only this certificate is offered in the approval (the CLI's `--cert`). */
  readonly certificateId?: string;
  /** Called with the approval's id once it is open (the CLI's unattended run decides it). */
  readonly onApprovalOpened?: (approvalId: string) => void;
}

export interface LocalFilesDeps {
  readonly signer: LocalSigner;
  readonly language: () => Language;
  /** Tests inject file system failures at the final step. */
  readonly writeOps?: AtomicWriteOps;
  /** The CLI's certificate and approval hook (absent: the user picks the certificate in the approval). */
  readonly session?: Pick<LocalSignOptions, "certificateId" | "onApprovalOpened">;
}

/** `<folder>/<name>.signed.pdf` for `<folder>/<name>.pdf` (any case of the extension), else `<file>.signed.pdf`. */
export function signedPathFor(path: string): string {
  const name = basename(path);
  const stem = extname(name).toLowerCase() === ".pdf" ? name.slice(0, -4) : name;
  return join(dirname(path), `${stem}.signed.pdf`);
}

/** A PDF's header may follow some junk (ISO 32000-1 §7.5.2 readers look in the first 1024 bytes). */
const HEADER_WINDOW = 1024;

const LOCKED = new Set(["EBUSY", "ETXTBSY", "EAGAIN"]);

/** The typed refusal for a file system error on `path` (reading it, or writing the signed file). */
function fileError(error: unknown, path: string, writing = false): KysoError {
  if (isKysoError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
  // Windows reports a file another program holds open without sharing as EBUSY, or as EPERM on some versions.
  const locked = LOCKED.has(code) || (code === "EPERM" && process.platform === "win32");
  return new KysoError(locked ? "file_locked" : writing ? "file_not_writable" : "file_unreadable", `${path}: ${code || String(error)}`, { path }, { cause: error });
}

/** Reads a local PDF whole (bounded by MAX_PDF_BYTES): typed errors for what is not a readable PDF. */
export async function readLocalPdf(path: string): Promise<Uint8Array> {
  if (!isAbsolute(path)) throw new KysoError("invalid_params", "the path must be absolute", { path });
  let bytes: Buffer;
  try {
    const handle = await open(path, "r");
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new KysoError("file_unreadable", `${path} is not a file`, { path });
      if (info.size > MAX_PDF_BYTES) throw new KysoError("document_too_large", `${info.size} bytes`, { path });
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileError(error, path);
  }
  if (!bytes.subarray(0, HEADER_WINDOW).includes("%PDF-", 0, "latin1")) throw new KysoError("file_not_pdf", path, { path });
  return bytes;
}

async function exists(path: string): Promise<boolean> {
  try {
    await (await open(path, "r")).close();
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

export async function signLocalFiles(params: FilesSignParams, deps: LocalFilesDeps): Promise<readonly LocalFileResult[]> {
  const overwrite = params.overwrite === true;
  if (new Set(params.paths).size !== params.paths.length) throw new KysoError("invalid_params", "a file is listed twice");
  const documents: LocalDocument[] = [];
  for (const path of params.paths) {
    const output = signedPathFor(path);
    // Asked before the approval: the UI asks the user and comes back with `overwrite: true`.
    if (!overwrite && (await exists(output))) throw new KysoError("file_exists", `${output} exists`, { path, output });
    documents.push({ path, fileName: basename(path), bytes: await readLocalPdf(path) });
  }
  const signed = await deps.signer.sign(documents, { preset: params.preset, ...(params.level ? { level: params.level } : {}), ...deps.session });
  const results: LocalFileResult[] = [];
  for (const [index, document] of documents.entries()) {
    const result = signed[index];
    if (!result?.ok) {
      results.push({ path: document.path, ok: false, error: result?.error ?? new KysoError("internal", "no result").toPayload(deps.language()) });
      continue;
    }
    const output = signedPathFor(document.path);
    try {
      await writeFileAtomically(output, result.document, { overwrite, ...(deps.writeOps ? { ops: deps.writeOps } : {}) });
      results.push({ path: document.path, ok: true, output });
    } catch (error) {
      const typed = isKysoError(error) ? error : toKysoError(fileError(error, output, true));
      results.push({ path: document.path, ok: false, error: typed.toPayload(deps.language()) });
    }
  }
  return results;
}

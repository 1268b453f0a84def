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
import type { ExistingChoice, FilesSignParams, LocalFileResult } from "./files-sign-params.js";
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

/** `<folder>/<name>.signed (n).pdf`: the "keep both" name; n = 1 is the plain `signedPathFor`. */
export function numberedSignedPathFor(path: string, n: number): string {
  const plain = signedPathFor(path);
  return n <= 1 ? plain : `${plain.slice(0, -4)} (${n})${plain.slice(-4)}`;
}

/** "Keep both" tries the names up to this number; beyond, the file is reported `file_exists`. */
export const MAX_KEEP_BOTH = 999;

/** Refusals of one file before the approval that leave the others signable (reported in that file's result). */
const PER_FILE = new Set(["file_unreadable", "file_locked", "file_not_pdf", "document_too_large"]);

export async function signLocalFiles(params: FilesSignParams, deps: LocalFilesDeps): Promise<readonly LocalFileResult[]> {
  const existing = params.overwrite === true ? "overwrite" : (params.existing ?? "ask");
  if (new Set(params.paths).size !== params.paths.length) throw new KysoError("invalid_params", "a file is listed twice");
  const language = deps.language();
  // Results by path, filled before the approval (skipped, unreadable) and after it (signed, not written).
  const early = new Map<string, LocalFileResult>();
  const documents: LocalDocument[] = [];
  const present: { path: string; output: string }[] = [];
  let firstRefusal: KysoError | undefined;
  for (const path of params.paths) {
    if (!isAbsolute(path)) throw new KysoError("invalid_params", "the path must be absolute", { path });
    const output = signedPathFor(path);
    if (await exists(output)) {
      present.push({ path, output });
      if (existing === "skip") {
        early.set(path, { path, ok: false, skipped: true, error: new KysoError("file_exists", `${output} exists`, { path, output }).toPayload(language) });
        continue;
      }
    }
    try {
      documents.push({ path, fileName: basename(path), bytes: await readLocalPdf(path) });
    } catch (error) {
      const typed = toKysoError(error);
      if (!PER_FILE.has(typed.code)) throw typed;
      firstRefusal ??= typed;
      early.set(path, { path, ok: false, error: typed.toPayload(language) });
    }
  }
  // Asked before the approval: the UI asks the user (every existing name listed) and comes back with its answer.
  if (existing === "ask" && present.length > 0) {
    const [first] = present;
    throw new KysoError("file_exists", `${first!.output} exists`, { path: first!.path, output: first!.output, outputs: present.map((p) => p.output) });
  }
  if (documents.length === 0) {
    // Nothing to sign: a single refusal stays the call's refusal; skipped files need no approval.
    if (firstRefusal && early.size === params.paths.length && params.paths.length === 1) throw firstRefusal;
    return params.paths.map((path) => early.get(path)!);
  }
  const signed = await deps.signer.sign(documents, { preset: params.preset, ...(params.level ? { level: params.level } : {}), ...deps.session });
  for (const [index, document] of documents.entries()) {
    const result = signed[index];
    if (!result?.ok) {
      early.set(document.path, { path: document.path, ok: false, error: result?.error ?? new KysoError("internal", "no result").toPayload(language) });
      continue;
    }
    early.set(document.path, await writeSigned(document.path, result.document, existing, deps));
  }
  return params.paths.map((path) => early.get(path)!);
}

/** The final write of one signed file, under the user's answer about existing names; never over a name silently. */
async function writeSigned(path: string, bytes: Uint8Array, existing: ExistingChoice, deps: LocalFilesDeps): Promise<LocalFileResult> {
  const ops = deps.writeOps ? { ops: deps.writeOps } : {};
  const last = existing === "keepBoth" ? MAX_KEEP_BOTH : 1;
  let output = signedPathFor(path);
  try {
    for (let n = 1; ; n++) {
      output = numberedSignedPathFor(path, n);
      try {
        await writeFileAtomically(output, bytes, { overwrite: existing === "overwrite", ...ops });
        return { path, ok: true, output };
      } catch (error) {
        // Keep both: a taken name (there before, or created meanwhile) moves on to the next number, atomically checked.
        if (n < last && isKysoError(error, "file_exists")) continue;
        throw error;
      }
    }
  } catch (error) {
    const typed = isKysoError(error) ? error : toKysoError(fileError(error, output, true));
    return { path, ok: false, error: typed.toPayload(deps.language()) };
  }
}

/**
 * Where local paths come from: the shell's file dialogs (Electron `dialog.showOpenDialog`; the browser transport's
 * stand-in in tests and the sandbox) and the paths of dropped files (the preload's `webUtils.getPathForFile`). The
 * renderer never makes a path up: it shows and sends back what this port or a drop gave it. A folder becomes the
 * PDF files directly in it (not its subfolders), at most MAX_LOCAL_FILES of them, so a choice always fits one
 * `files.sign`.
 */
import { readdir, stat } from "node:fs/promises";
import { extname, isAbsolute, join } from "node:path";
import { KysoError } from "../../domain/errors/kyso-error.js";
import { MAX_LOCAL_FILES, type ChosenFiles } from "./files-sign-params.js";

/** The shell's side (injected into the core like the other ports, kyso-core.ts `CoreOptions.fileDialogs`). */
export interface FileDialogs {
  /** Absolute paths of the chosen files (PDF filter); empty when the user cancelled. */
  chooseFiles(): Promise<readonly string[]>;
  /** The chosen folder's absolute path; undefined when the user cancelled. */
  chooseFolder(): Promise<string | undefined>;
}

/** `<name>.signed.pdf` and `<name>.signed (2).pdf`: KySo's outputs are not signed again when a folder is chosen twice. */
const SIGNED_OUTPUT = /\.signed(?: \(\d+\))?\.pdf$/i;

const byName = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });

/** The PDF files directly in `folder` (by name, subfolders not entered), capped at MAX_LOCAL_FILES. */
export async function listPdfFolder(folder: string): Promise<ChosenFiles> {
  if (!isAbsolute(folder)) throw new KysoError("invalid_params", "the folder must be absolute", { path: folder });
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    throw new KysoError("file_unreadable", `${folder}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { path: folder }, { cause: error });
  }
  const pdfs: string[] = [];
  let ignored = 0;
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const isPdf = extname(entry.name).toLowerCase() === ".pdf" && !SIGNED_OUTPUT.test(entry.name) && !entry.name.startsWith(".");
    // A link to a file counts as the file; a link to a folder is a folder (not entered).
    if (isPdf && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(join(folder, entry.name)))))) pdfs.push(entry.name);
    else if (!entry.isSymbolicLink() || (await isFile(join(folder, entry.name)))) ignored++;
  }
  pdfs.sort(byName.compare);
  return {
    paths: pdfs.slice(0, MAX_LOCAL_FILES).map((name) => join(folder, name)),
    omitted: Math.max(0, pdfs.length - MAX_LOCAL_FILES),
    ignored,
    folder,
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** What the dialog of `kind` gave (cancelled: no paths). */
export async function chooseLocalFiles(dialogs: FileDialogs, kind: "files" | "folder"): Promise<ChosenFiles> {
  if (kind === "folder") {
    const folder = await dialogs.chooseFolder();
    return folder === undefined ? { paths: [], omitted: 0, ignored: 0 } : listPdfFolder(folder);
  }
  const chosen = [...new Set(await dialogs.chooseFiles())];
  return { paths: chosen.slice(0, MAX_LOCAL_FILES), omitted: Math.max(0, chosen.length - MAX_LOCAL_FILES), ignored: 0 };
}

/**
 * Dropped paths: a folder becomes its PDF files (as `listPdfFolder`), a file stays itself (a non-PDF is reported by
 * `files.sign` for that file), together capped at MAX_LOCAL_FILES.
 */
export async function expandDroppedPaths(paths: readonly string[]): Promise<ChosenFiles> {
  const out: string[] = [];
  let omitted = 0;
  let ignored = 0;
  let folder: string | undefined;
  for (const path of new Set(paths)) {
    if (!isAbsolute(path)) throw new KysoError("invalid_params", "the path must be absolute", { path });
    let directory = false;
    try {
      directory = (await stat(path)).isDirectory();
    } catch {
      // Missing or unreadable: kept, so files.sign reports it for this file.
    }
    const found = directory ? await listPdfFolder(path) : { paths: [path], omitted: 0, ignored: 0 };
    if (directory) folder = path;
    for (const p of found.paths) {
      if (out.includes(p)) continue;
      if (out.length < MAX_LOCAL_FILES) out.push(p);
      else omitted++;
    }
    omitted += found.omitted;
    ignored += found.ignored;
  }
  return { paths: out, omitted, ignored, ...(folder !== undefined && paths.length === 1 ? { folder } : {}) };
}

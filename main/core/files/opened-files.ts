/**
 * PDFs handed to KySo by the desktop ("Sign with KySo" in the file manager or Explorer, "Open with KySo", a drop on
 * the launcher): the shell passes their paths from argv, the core keeps them for the renderer's "Sign files" page
 * and announces them with the `files.opened` event. Nothing is read or signed here: the page starts `files.sign`,
 * which opens the usual approval. A page that subscribes late (the app was started by the file) takes the
 * pending list with `files.takeOpened`.
 */
import { statSync } from "node:fs";
import { isAbsolute } from "node:path";
import { MAX_LOCAL_FILES, type OpenedFiles, type OpenedFilesAction } from "./files-sign-params.js";

export type { OpenedFiles, OpenedFilesAction };

export interface OpenedFilesStore {
  /** Keeps the regular PDF files among `paths` (absolute, at most MAX_LOCAL_FILES) and announces them; undefined when none. */
  open(paths: readonly string[], action: OpenedFilesAction): OpenedFiles | undefined;
  /** Every file announced since the last take (all of them, in order), once. */
  take(): OpenedFiles | undefined;
}

export function createOpenedFiles(emit: (opened: OpenedFiles) => void): OpenedFilesStore {
  let pending: OpenedFiles | undefined;
  return {
    open(paths, action) {
      const kept = [...new Set(paths)].filter(isOpenablePdf).slice(0, MAX_LOCAL_FILES);
      if (kept.length === 0) return undefined;
      const opened = { paths: kept, action };
      // Explorer starts one process per selected file: until the page takes them, the files add up.
      const together = [...new Set([...(pending?.paths ?? []), ...kept])].slice(0, MAX_LOCAL_FILES);
      pending = { paths: together, action: pending?.action === "sign" ? "sign" : action };
      emit(opened);
      return opened;
    },
    take() {
      const taken = pending;
      pending = undefined;
      return taken;
    },
  };
}

function isOpenablePdf(path: string): boolean {
  if (!isAbsolute(path) || !/\.pdf$/i.test(path)) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

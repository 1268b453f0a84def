/**
 * The browser transport's FileDialogs (main/core/files/file-dialogs.ts): a page in a browser has no open dialog that
 * gives paths, so this stand-in answers instead. A test queues what the next dialog "chooses" (`queueFiles`,
 * `queueFolder`, through its UI session); with nothing queued, `npm run sandbox` answers from the folder named by
 * KYSO_SANDBOX_FILES_DIR (its PDFs for "files", the folder itself for "folder"), else as a cancelled dialog.
 */
import { readdir } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { FileDialogs } from "../../main/core/files/file-dialogs.js";

export interface StandInFileDialogs extends FileDialogs {
  /** The next "choose files" answers these absolute paths. */
  queueFiles(paths: readonly string[]): void;
  /** The next "choose folder" answers this absolute folder. */
  queueFolder(folder: string): void;
  /** How many dialogs were opened (a test checks the page asked). */
  readonly opened: number;
}

export function createStandInFileDialogs(options: { readonly folder?: string } = {}): StandInFileDialogs {
  const files: (readonly string[])[] = [];
  const folders: string[] = [];
  let opened = 0;
  const absolute = (path: string): string => {
    if (!isAbsolute(path)) throw new TypeError(`stand-in dialogs take absolute paths: ${path}`);
    return path;
  };
  return {
    queueFiles: (paths) => void files.push(paths.map(absolute)),
    queueFolder: (folder) => void folders.push(absolute(folder)),
    get opened() {
      return opened;
    },
    async chooseFiles() {
      opened++;
      const queued = files.shift();
      if (queued) return queued;
      if (!options.folder) return [];
      return (await readdir(options.folder)).filter((n) => n.toLowerCase().endsWith(".pdf")).map((n) => join(options.folder!, n));
    },
    async chooseFolder() {
      opened++;
      return folders.shift() ?? options.folder;
    },
  };
}

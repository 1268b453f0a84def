/**
 * The core's FileDialogs port (main/core/files/file-dialogs.ts) over Electron's open dialog: thin on purpose; the
 * folder listing, the cap and the checks are the core's. The dialog is modal to the main window when it is open.
 */
import { dialog, type BrowserWindow } from "electron";
import type { FileDialogs } from "../core/files/file-dialogs.js";
import type { Language } from "../domain/errors/kyso-error.js";

const TITLES: Readonly<Record<Language, { files: string; folder: string; pdf: string }>> = {
  vi: { files: "Chọn tệp PDF để ký", folder: "Chọn thư mục có tệp PDF để ký", pdf: "Tệp PDF" },
  en: { files: "Choose PDF files to sign", folder: "Choose a folder of PDF files to sign", pdf: "PDF files" },
};

export function electronFileDialogs(parent: () => BrowserWindow | undefined, language: () => Language): FileDialogs {
  const show = (options: Electron.OpenDialogOptions) => {
    const window = parent();
    return window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options);
  };
  return {
    async chooseFiles() {
      const words = TITLES[language()];
      const result = await show({ title: words.files, properties: ["openFile", "multiSelections"], filters: [{ name: words.pdf, extensions: ["pdf", "PDF"] }] });
      return result.canceled ? [] : result.filePaths;
    },
    async chooseFolder() {
      const result = await show({ title: TITLES[language()].folder, properties: ["openDirectory"] });
      return result.canceled ? undefined : result.filePaths[0];
    },
  };
}

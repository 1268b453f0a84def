/**
 * Applies the "start at login" setting: a login item on Windows and macOS, an XDG autostart file on Linux.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { app } from "electron";
import { AUTOSTART_FILE_NAME, HIDDEN_ARG, autostartDirectory, autostartEntry } from "./autostart.js";

export async function applyStartAtLogin(enabled: boolean): Promise<void> {
  if (process.platform === "linux") {
    const file = join(autostartDirectory(process.env, homedir()), AUTOSTART_FILE_NAME);
    if (!enabled) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(join(file, ".."), { recursive: true });
    // An AppImage runs from a temporary mount: the stable path is in $APPIMAGE.
    await writeFile(file, autostartEntry(process.env.APPIMAGE ?? process.execPath, [HIDDEN_ARG]));
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
}

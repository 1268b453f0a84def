/**
 * Start at login. Windows and macOS have `app.setLoginItemSettings`; Linux desktops read an XDG autostart file
 * (freedesktop Desktop Application Autostart Specification), written here as text by a pure function.
 */
import { join } from "node:path";

export const AUTOSTART_FILE_NAME = "vn.kyso.app.desktop";
/** Passed on login so KySo starts in the tray without opening its window. */
export const HIDDEN_ARG = "--hidden";

export function autostartDirectory(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith("/") ? env.XDG_CONFIG_HOME : join(home, ".config");
  return join(configHome, "autostart");
}

/** Desktop Entry spec: Exec arguments with spaces or reserved characters are double-quoted, with \ " ` $ escaped. */
export function quoteExecArgument(arg: string): string {
  if (!/[\s"'\\`$<>|&;*?#()]/.test(arg)) return arg;
  return `"${arg.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

export function autostartEntry(execPath: string, args: readonly string[] = [HIDDEN_ARG]): string {
  const exec = [execPath, ...args].map(quoteExecArgument).join(" ").replace(/%/g, "%%");
  return [
    "[Desktop Entry]",
    "Type=Application",
    "Name=KySo",
    "Comment=Ký số bằng USB token cho các cổng dịch vụ công / Sign with your USB token on Vietnamese portals",
    `Exec=${exec}`,
    "Icon=kyso",
    "Terminal=false",
    "X-GNOME-Autostart-enabled=true",
    "NoDisplay=false",
    "",
  ].join("\n");
}

/**
 * The strings the main process shows itself (tray, notifications, window titles), read from the same catalogue
 * as the renderer's (`shell.*` keys in main/domain/messages/{vi,en}.ts): one file per language holds every UI
 * string, so a translator edits one place and the vi/en key test covers the shell too. This module only gives
 * the tray and the windows the shape they already use.
 */
import type { Language } from "../domain/errors/kyso-error.js";
import { message } from "../domain/messages/index.js";
import type { TrayStatus } from "./tray-state.js";

const TRAY_STATUSES: readonly TrayStatus[] = ["ready", "token-present", "request-waiting", "problem"];

export interface ShellMessages {
  readonly tooltip: Readonly<Record<TrayStatus, string>>;
  readonly open: string;
  readonly certificates: string;
  readonly sites: string;
  readonly pause: string;
  readonly resume: string;
  readonly startAtLogin: string;
  readonly diagnostics: string;
  readonly quit: string;
  readonly mainTitle: string;
  readonly approvalTitle: string;
  readonly notifyTitle: string;
  /** Still holds `{origin}`: the caller fills it with the request's origin. */
  readonly notifyBody: string;
}

export function shellMessages(language: Language): ShellMessages {
  const m = (key: Parameters<typeof message>[1]): string => message(language, key);
  return {
    tooltip: Object.fromEntries(TRAY_STATUSES.map((status) => [status, m(`shell.tooltip.${status}`)])) as Record<TrayStatus, string>,
    open: m("shell.open"),
    certificates: m("shell.certificates"),
    sites: m("shell.sites"),
    pause: m("shell.pause"),
    resume: m("shell.resume"),
    startAtLogin: m("shell.startAtLogin"),
    diagnostics: m("shell.diagnostics"),
    quit: m("shell.quit"),
    mainTitle: m("shell.mainTitle"),
    approvalTitle: m("shell.approvalTitle"),
    notifyTitle: m("shell.notifyTitle"),
    notifyBody: m("shell.notifyBody"),
  };
}

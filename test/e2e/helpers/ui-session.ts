import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { startBrowserTransport, type BrowserTransport } from "../../../sandbox/browser-transport/start-browser-transport.js";
import { createStandInFileDialogs, type StandInFileDialogs } from "../../../sandbox/browser-transport/stand-in-file-dialogs.js";
import { startUiCore, type UiCore } from "./ui-core.js";

export const SCREENSHOT_DIR = join(process.cwd(), "test", "artifacts", "screenshots");

export interface UiSession {
  readonly core: UiCore;
  readonly transport: BrowserTransport;
  /** What the page's "Choose files" / "Choose folder" get next (the browser transport's stand-in dialogs). */
  readonly dialogs: StandInFileDialogs;
  open(page: Page, route: string): Promise<void>;
  close(): Promise<void>;
}

export async function startUiSession(options: Parameters<typeof startUiCore>[0] = {}): Promise<UiSession> {
  const dialogs = createStandInFileDialogs();
  const core = await startUiCore({ ...options, fileDialogs: dialogs });
  const transport = await startBrowserTransport({ core });
  return {
    core,
    transport,
    dialogs,
    async open(page, route) {
      await page.goto(`${transport.url}#/${route}`);
    },
    async close() {
      await transport.close();
      await core.close();
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

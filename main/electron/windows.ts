/**
 * The main window: created on demand, one at a time; closing it leaves KySo running in the tray.
 */
import { BrowserWindow } from "electron";
import type { IpcRegistry } from "./ipc-main.js";
import { rendererUrl, type RendererRoute } from "./renderer-origin.js";
import { windowOptions } from "./window-options.js";

export interface WindowPaths {
  readonly preloadPath: string;
  readonly iconPath?: string;
}

export class MainWindow {
  private window: BrowserWindow | undefined;

  constructor(
    private readonly paths: WindowPaths,
    private readonly ipc: IpcRegistry,
    private readonly title: () => string,
  ) {}

  show(route: RendererRoute = "home"): void {
    if (this.window && !this.window.isDestroyed()) {
      void this.window.loadURL(rendererUrl(route));
      if (this.window.isMinimized()) this.window.restore();
      this.window.show();
      this.window.focus();
      return;
    }
    const window = new BrowserWindow(windowOptions({ surface: "main", title: this.title(), ...this.paths }));
    this.ipc.attach(window.webContents, "main");
    window.once("ready-to-show", () => window.show());
    window.on("closed", () => {
      if (this.window === window) this.window = undefined;
    });
    void window.loadURL(rendererUrl(route));
    this.window = window;
  }

  /**
   * Brings an open main window to the front without loading a page: its renderer follows the core's event itself
   * (desktop files: "Sign files" takes them). False when no window is open.
   */
  raise(): boolean {
    const window = this.current();
    if (!window) return false;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return true;
  }

  /** The open main window (the parent of the file dialogs), if any. */
  current(): BrowserWindow | undefined {
    return this.window && !this.window.isDestroyed() ? this.window : undefined;
  }

  close(): void {
    this.window?.destroy();
  }
}

/**
 * The tray icon and its menu. KySo lives here: closing every window leaves it running.
 */
import { Menu, Tray, nativeImage, type NativeImage } from "electron";
import type { SettingsView } from "../core/app-api/views.js";
import type { RendererRoute } from "./renderer-origin.js";
import type { ShellMessages } from "./shell-messages.js";
import { trayIconPng } from "./tray-icon.js";
import type { TrayStatus } from "./tray-state.js";

export interface TrayActions {
  open(route: RendererRoute): void;
  /** PDFs dropped on the tray icon (macOS: Electron's `drop-files`; Windows and Linux trays take no drops). */
  signFiles(paths: readonly string[]): void;
  setBridgePaused(paused: boolean): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
}

export class KysoTray {
  private readonly tray: Tray;
  private readonly icons = new Map<TrayStatus, NativeImage>();
  private status: TrayStatus = "ready";
  private settings: SettingsView | undefined;

  constructor(
    private readonly actions: TrayActions,
    private messages: ShellMessages,
  ) {
    this.tray = new Tray(this.icon("ready"));
    this.tray.on("click", () => actions.open("home"));
    this.tray.on("drop-files", (_event, files) => actions.signFiles(files));
    this.render();
  }

  private icon(status: TrayStatus): NativeImage {
    let image = this.icons.get(status);
    if (!image) {
      image = nativeImage.createFromBuffer(trayIconPng(status, 32), { scaleFactor: 2 });
      this.icons.set(status, image);
    }
    return image;
  }

  update(status: TrayStatus, settings: SettingsView | undefined, messages: ShellMessages): void {
    this.status = status;
    this.settings = settings ?? this.settings;
    this.messages = messages;
    this.render();
  }

  private render(): void {
    const text = this.messages;
    const managed = new Set(this.settings?.managed ?? []);
    this.tray.setImage(this.icon(this.status));
    this.tray.setToolTip(text.tooltip[this.status]);
    const paused = this.settings?.bridgePaused ?? false;
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: text.open, click: () => this.actions.open("home") },
        { label: text.certificates, click: () => this.actions.open("certificates") },
        { label: text.sites, click: () => this.actions.open("sites") },
        { type: "separator" },
        {
          label: paused ? text.resume : text.pause,
          enabled: !managed.has("bridgePaused"),
          click: () => this.actions.setBridgePaused(!paused),
        },
        {
          label: text.startAtLogin,
          type: "checkbox",
          checked: this.settings?.startAtLogin ?? false,
          enabled: !managed.has("startAtLogin"),
          click: (item) => this.actions.setStartAtLogin(item.checked),
        },
        { label: text.diagnostics, click: () => this.actions.open("diagnostics") },
        { type: "separator" },
        { label: text.quit, click: () => this.actions.quit() },
      ]),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }
}

/**
 * Every BrowserWindow KySo opens is built by this one pure function (style habit 5), so hardening cannot be
 * forgotten on a new window: context isolation, the Chromium sandbox, no Node in the page, web security on, no
 * <webview>, no remote module, spellcheck off (it sends words to a service on some platforms).
 */
import type { BrowserWindowConstructorOptions } from "electron";
import type { KysoSurface, SurfaceArgument } from "../../preload/api.js";

export interface WindowSpec {
  readonly surface: KysoSurface;
  /** Absolute path of the compiled preload (dist/preload/preload.cjs). */
  readonly preloadPath: string;
  readonly title: string;
  readonly iconPath?: string;
}

export function surfaceArgument(surface: KysoSurface): SurfaceArgument {
  return `--kyso-surface=${surface}`;
}

export function windowOptions(spec: WindowSpec): BrowserWindowConstructorOptions {
  const approval = spec.surface === "approval";
  return {
    title: spec.title,
    width: approval ? 720 : 1040,
    height: approval ? 820 : 720,
    minWidth: approval ? 520 : 720,
    minHeight: 480,
    show: false,
    // The approval must not hide behind the page that asked for it, and must not be minimised out of sight.
    alwaysOnTop: approval,
    minimizable: !approval,
    fullscreenable: !approval,
    skipTaskbar: false,
    autoHideMenuBar: true,
    backgroundColor: "#ffffff",
    ...(spec.iconPath ? { icon: spec.iconPath } : {}),
    webPreferences: {
      preload: spec.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      disableDialogs: true,
      enableWebSQL: false,
      experimentalFeatures: false,
      additionalArguments: [surfaceArgument(spec.surface)],
    },
  };
}

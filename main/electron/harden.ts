/**
 * App-wide hardening that is not a window option: no navigation, no new windows, no <webview>, every permission
 * refused, and no request leaves for the network from a renderer (the UI has no remote content).
 */
import { app, session, type WebContents } from "electron";
import { RENDERER_SCHEME } from "./renderer-origin.js";

/** Schemes a renderer may load from: its own, and DevTools' (only reachable in development). */
const ALLOWED_REQUEST = new RegExp(`^(${RENDERER_SCHEME}|devtools|data|blob):`);

export function isAllowedRendererRequest(url: string): boolean {
  return ALLOWED_REQUEST.test(url);
}

function hardenContents(contents: WebContents): void {
  contents.on("will-navigate", (event) => event.preventDefault());
  contents.on("will-frame-navigate", (event) => {
    if (!event.isMainFrame) event.preventDefault();
  });
  contents.on("will-redirect", (event) => event.preventDefault());
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
}

export function hardenApp(): void {
  app.on("web-contents-created", (_, contents) => hardenContents(contents));
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRendererRequest(details.url) }));
}

/**
 * The sandboxed preload: the only file that touches ipcRenderer (style habit 2). It exposes `window.kyso`
 * (`KysoApi`) and nothing else: no ipcRenderer, no Node, no generic send. Sandboxed preloads cannot require local
 * modules, so this file is self-contained; the main process re-checks every call (sender frame, method allowed for
 * the window, params schema) and never trusts what this file forwards.
 */
import electron = require("electron");
import type { InvokeOutcome } from "../main/core/app-api/invoke.js";
import type { AppEvent, IpcEventChannel, IpcInvokeChannel, KysoApi, KysoApiError } from "./api.js";

const { contextBridge, ipcRenderer, webUtils } = electron;

const INVOKE: IpcInvokeChannel = "kyso:invoke";
const EVENT: IpcEventChannel = "kyso:event";
const EVENTS: readonly AppEvent[] = ["approvalsChanged", "tokensChanged", "settingsChanged"];

function toApiError(outcome: Extract<InvokeOutcome, { ok: false }>): KysoApiError {
  // A plain object survives contextBridge with its fields; an Error would lose `code`.
  return { name: "KysoApiError", ...outcome.error };
}

const api: KysoApi = {
  async invoke(method: string, ...params: unknown[]) {
    const outcome = (await ipcRenderer.invoke(INVOKE, method, params[0])) as InvokeOutcome;
    if (!outcome.ok) throw toApiError(outcome);
    return outcome.result as never;
  },
  pathForFile(file) {
    // Only a real File from a drop or an <input type=file> has a path; anything else (or a page-made File) gives "".
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return "";
    }
  },
  on(event, listener) {
    if (!EVENTS.includes(event)) throw new TypeError(`unknown event ${String(event)}`);
    const handler = (_: electron.IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) listener(payload as never);
    };
    ipcRenderer.on(EVENT, handler);
    return () => {
      ipcRenderer.removeListener(EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld("kyso", api);

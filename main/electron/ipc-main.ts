/**
 * The only file that uses ipcMain (style habit 2). One channel carries every method of the typed contract; each
 * call passes the sender check (one function, sender-check.ts) and then `invokeAppMethod`, the same door the test
 * transport uses, which validates the params against the contract's schema.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from "electron";
import type { AppEvent } from "../core/app-api/contract.js";
import { invokeAppMethod, type InvokeOutcome } from "../core/app-api/invoke.js";
import { KysoError, type Language } from "../domain/errors/kyso-error.js";
import type { IpcEventChannel, IpcInvokeChannel, KysoSurface } from "../../preload/api.js";
import { checkSender } from "./sender-check.js";
import type { ShellCore } from "./shell-core.js";

const INVOKE: IpcInvokeChannel = "kyso:invoke";
const EVENT: IpcEventChannel = "kyso:event";
const EVENTS: readonly AppEvent[] = ["approvalsChanged", "tokensChanged", "settingsChanged", "files.opened"];

export interface IpcRegistry {
  /** Registers a window's contents as one surface; unregistered on destroy. */
  attach(contents: WebContents, surface: KysoSurface): void;
  dispose(): void;
}

export function registerIpc(core: ShellCore, language: () => Language): IpcRegistry {
  const surfaces = new Map<number, KysoSurface>();
  const contentsById = new Map<number, WebContents>();

  ipcMain.handle(INVOKE, async (event: IpcMainInvokeEvent, method: unknown, params: unknown): Promise<InvokeOutcome> => {
    const frame = event.senderFrame;
    const verdict = checkSender(
      { webContentsId: event.sender.id, frameUrl: frame?.url, isTopFrame: frame !== null && frame === event.sender.mainFrame },
      surfaces,
      method,
    );
    if (!verdict.ok) {
      console.warn(`kyso: refused IPC ${String(method).slice(0, 64)}: ${verdict.reason}`);
      return { ok: false, error: new KysoError("invalid_params", verdict.reason).toPayload(language()) };
    }
    return invokeAppMethod(core.handlers, method, params, language());
  });

  const unsubscribes = EVENTS.map((name) =>
    core.onEvent(name, (payload) => {
      for (const contents of contentsById.values()) if (!contents.isDestroyed()) contents.send(EVENT, name, payload);
    }),
  );

  return {
    attach(contents, surface) {
      surfaces.set(contents.id, surface);
      contentsById.set(contents.id, contents);
      contents.once("destroyed", () => {
        surfaces.delete(contents.id);
        contentsById.delete(contents.id);
      });
    },
    dispose() {
      ipcMain.removeHandler(INVOKE);
      for (const off of unsubscribes) off();
    },
  };
}

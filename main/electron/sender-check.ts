/**
 * The IPC sender check, in one function every handler calls (style habit 5; GitHub Desktop's trusted-ipc-sender):
 * a message is accepted only from the top frame of a window KySo created, showing the renderer origin. The approval
 * window may call only the approval methods, so a bug in the main UI cannot be used to approve, nor the approval
 * window to change settings.
 */
import type { AppMethod } from "../../main/core/app-api/contract.js";
import type { KysoSurface } from "../../preload/api.js";
import { isRendererUrl } from "./renderer-origin.js";

export const APPROVAL_SURFACE_METHODS: ReadonlySet<AppMethod> = new Set<AppMethod>([
  "app.info",
  "settings.get",
  "approvals.list",
  "approvals.approve",
  "approvals.reject",
  "approvals.document",
  "certificates.list",
  "tokens.list",
]);

/** What the check needs to know about a message, read from the IpcMainInvokeEvent by ipc-main.ts. */
export interface SenderFacts {
  readonly webContentsId: number;
  /** `event.senderFrame?.url`; undefined when the frame is gone (navigated or destroyed). */
  readonly frameUrl: string | undefined;
  /** `event.senderFrame === event.sender.mainFrame`. */
  readonly isTopFrame: boolean;
}

export type SenderVerdict = { readonly ok: true; readonly surface: KysoSurface } | { readonly ok: false; readonly reason: string };

export function checkSender(
  facts: SenderFacts,
  surfaces: ReadonlyMap<number, KysoSurface>,
  method: unknown,
): SenderVerdict {
  const surface = surfaces.get(facts.webContentsId);
  if (!surface) return { ok: false, reason: "not a KySo window" };
  if (!facts.isTopFrame) return { ok: false, reason: "not the top frame" };
  if (facts.frameUrl === undefined || !isRendererUrl(facts.frameUrl)) return { ok: false, reason: "not the renderer origin" };
  if (surface === "approval" && !APPROVAL_SURFACE_METHODS.has(method as AppMethod)) {
    return { ok: false, reason: "method not allowed in the approval window" };
  }
  return { ok: true, surface };
}

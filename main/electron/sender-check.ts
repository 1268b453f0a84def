/**
 * The IPC sender check, in one function every handler calls (style habit 5; GitHub Desktop's trusted-ipc-sender):
 * a message is accepted only from the top frame of a window KySo created, showing the renderer origin. The approval
 * window may call only the approval methods, so it cannot change settings; and the methods that decide an approval
 * (approve, reject, read its document) are allowed only in the approval window, so a bug in the main UI cannot be
 * used to approve. `isMethodAllowed` is the one surface rule; the browser test transport applies it too.
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
  "approvals.placeStamp",
  "approvals.document",
  "approvals.provideFile",
  "certificates.list",
  "tokens.list",
]);

/** Methods that act on an approval: only the window that shows it, with its own consent screen, may call them. */
export const APPROVAL_ONLY_METHODS: ReadonlySet<AppMethod> = new Set<AppMethod>(["approvals.approve", "approvals.reject", "approvals.placeStamp", "approvals.document", "approvals.provideFile"]);

/** Why `isMethodAllowed` refused, or null when the method is allowed on this surface. */
export function methodRefusal(surface: KysoSurface, method: unknown): string | null {
  if (surface === "approval") return APPROVAL_SURFACE_METHODS.has(method as AppMethod) ? null : "method not allowed in the approval window";
  return APPROVAL_ONLY_METHODS.has(method as AppMethod) ? "method allowed only in the approval window" : null;
}

export function isMethodAllowed(surface: KysoSurface, method: unknown): boolean {
  return methodRefusal(surface, method) === null;
}

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
  const refusal = methodRefusal(surface, method);
  if (refusal) return { ok: false, reason: refusal };
  return { ok: true, surface };
}

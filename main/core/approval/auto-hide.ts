/**
 * After a successful signing the approval window gets out of the way by itself: a few seconds after the success
 * state is shown (setting `approvalAutoHideSeconds`, 0 = never) the core emits `approvalAutoHide`, and the Electron
 * side hides the window on that event (the tray keeps the record). Nothing is hidden while another request is
 * waiting, and a request that arrives during the delay cancels it. Timers are plain `setTimeout`, so tests drive
 * this with fake timers.
 */
import type { ApprovalView } from "../app-api/approval-view.js";
import { isOpen } from "./approval-state.js";

export interface AutoHideEvent {
  readonly approvalId: string;
}

export interface SuccessAutoHide {
  /** Feed every approvalsChanged payload. */
  observe(views: readonly ApprovalView[]): void;
  close(): void;
}

/** A sign approval whose every item was signed: the only outcome that hides the window (a failure stays in view). */
function succeeded(view: ApprovalView): boolean {
  return view.kind === "sign" && view.state.kind === "done" && view.state.results.length > 0 && view.state.results.every((r) => r.ok);
}

export function createSuccessAutoHide(options: { readonly delaySeconds: () => number; readonly onHide: (event: AutoHideEvent) => void }): SuccessAutoHide {
  let timer: NodeJS.Timeout | undefined;
  const clear = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    observe(views) {
      if (views.some((v) => isOpen(v.state))) {
        clear();
        return;
      }
      const done = views.find(succeeded);
      if (!done) return;
      clear();
      const seconds = options.delaySeconds();
      if (!(seconds > 0)) return;
      timer = setTimeout(() => {
        timer = undefined;
        options.onHide({ approvalId: done.id });
      }, seconds * 1000);
      timer.unref?.();
    },
    close: clear,
  };
}

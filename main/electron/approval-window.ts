/**
 * The approval window: its own window (style habit 9) that comes to the front when a request arrives, stays on
 * top, and rejects every still-open request when the user closes it. The web page that asked has no handle on it:
 * it is driven only by the core's approvalsChanged event. When the OS refuses to give it focus (focus-stealing
 * prevention), a system notification tells the user a request is waiting.
 */
import { BrowserWindow, Notification } from "electron";
import type { ApprovalView } from "../core/app-api/approval-view.js";
import type { IpcRegistry } from "./ipc-main.js";
import { rendererUrl } from "./renderer-origin.js";
import type { ShellCore } from "./shell-core.js";
import type { ShellMessages } from "./shell-messages.js";
import { windowOptions, type WindowSpec } from "./window-options.js";

/** How long the window has to take focus before the notification is shown. */
const FOCUS_GRACE_MS = 400;

export function isOpenApproval(view: ApprovalView): boolean {
  return view.state.kind === "queued" || view.state.kind === "needs-file" || view.state.kind === "choosing-certificate" || view.state.kind === "entering-pin";
}

export class ApprovalWindow {
  private window: BrowserWindow | undefined;
  private readonly seen = new Set<string>();
  private open: readonly ApprovalView[] = [];

  constructor(
    private readonly core: ShellCore,
    private readonly ipc: IpcRegistry,
    private readonly paths: Omit<WindowSpec, "surface" | "title">,
    private readonly messages: () => ShellMessages,
  ) {}

  /** Called with every approvalsChanged payload. */
  update(approvals: readonly ApprovalView[]): void {
    this.open = approvals.filter(isOpenApproval);
    const fresh = this.open.filter((a) => !this.seen.has(a.id));
    for (const a of fresh) this.seen.add(a.id);
    if (fresh[0]) this.present(fresh[0]);
  }

  private present(view: ApprovalView): void {
    const window = this.ensureWindow();
    if (window.isMinimized()) window.restore();
    window.setAlwaysOnTop(true, "modal-panel");
    window.show();
    window.focus();
    setTimeout(() => {
      if (!window.isDestroyed() && !window.isFocused()) this.notify(view, window);
    }, FOCUS_GRACE_MS);
  }

  private notify(view: ApprovalView, window: BrowserWindow): void {
    if (!Notification.isSupported()) return;
    const text = this.messages();
    const notification = new Notification({
      title: text.notifyTitle,
      body: text.notifyBody.replace("{origin}", view.origin.origin),
      urgency: "critical",
    });
    notification.on("click", () => {
      if (!window.isDestroyed()) {
        window.show();
        window.focus();
      }
    });
    notification.show();
  }

  private ensureWindow(): BrowserWindow {
    if (this.window && !this.window.isDestroyed()) return this.window;
    const window = new BrowserWindow(windowOptions({ surface: "approval", title: this.messages().approvalTitle, ...this.paths }));
    this.ipc.attach(window.webContents, "approval");
    // Closing the window is a "no" to everything still waiting in it.
    window.on("close", () => {
      for (const view of this.open) void this.core.handlers["approvals.reject"]({ approvalId: view.id }).catch(() => undefined);
    });
    window.on("closed", () => {
      if (this.window === window) this.window = undefined;
    });
    void window.loadURL(rendererUrl("approval"));
    this.window = window;
    return window;
  }

  /**
   * The core's `approvalAutoHide` (a success seen for the configured seconds): the window steps back, without
   * closing (closing would reject what is still open; the core never sends this while something is open).
   */
  hideAfterSuccess(): void {
    if (this.open.length > 0) return;
    const window = this.window;
    if (!window || window.isDestroyed() || !window.isVisible()) return;
    window.setAlwaysOnTop(false);
    window.hide();
  }

  close(): void {
    this.window?.destroy();
  }
}

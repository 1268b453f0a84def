import { describe, expect, it } from "vitest";
import { APP_METHODS } from "../../../main/core/app-api/contract.js";
import { APPROVAL_ONLY_METHODS, checkSender, isMethodAllowed } from "../../../main/electron/sender-check.js";
import { rendererUrl } from "../../../main/electron/renderer-origin.js";
import type { KysoSurface } from "../../../preload/api.js";

const surfaces = new Map<number, KysoSurface>([
  [1, "main"],
  [2, "approval"],
]);
const fromMain = { webContentsId: 1, frameUrl: rendererUrl("settings"), isTopFrame: true };
const fromApproval = { webContentsId: 2, frameUrl: rendererUrl("approval"), isTopFrame: true };

describe("checkSender", () => {
  it("main window top frame on the renderer origin: accepted", () => {
    expect(checkSender(fromMain, surfaces, "settings.set")).toEqual({ ok: true, surface: "main" });
  });

  it("approval window: may approve", () => {
    expect(checkSender(fromApproval, surfaces, "approvals.approve")).toEqual({ ok: true, surface: "approval" });
  });

  it("approval window asking to change settings: refused", () => {
    expect(checkSender(fromApproval, surfaces, "settings.set").ok).toBe(false);
    expect(checkSender(fromApproval, surfaces, "pairings.revoke").ok).toBe(false);
  });

  it("main window asking to approve, reject or read an approval's document: refused (only the approval window decides)", () => {
    for (const method of ["approvals.approve", "approvals.reject", "approvals.placeStamp", "approvals.document", "approvals.provideFile"]) {
      expect(checkSender(fromMain, surfaces, method)).toEqual({ ok: false, reason: "method allowed only in the approval window" });
    }
    // The main window still lists approvals (the tray badge and the home page show what is waiting).
    expect(checkSender(fromMain, surfaces, "approvals.list").ok).toBe(true);
  });

  it("every method is allowed in at least one window, and the approval-only ones in exactly the approval window", () => {
    for (const method of APP_METHODS) {
      const main = isMethodAllowed("main", method);
      const approval = isMethodAllowed("approval", method);
      expect(main || approval, method).toBe(true);
      if (APPROVAL_ONLY_METHODS.has(method)) expect([main, approval], method).toEqual([false, true]);
    }
  });

  it("a webContents KySo did not create: refused", () => {
    expect(checkSender({ ...fromMain, webContentsId: 99 }, surfaces, "app.info")).toEqual({ ok: false, reason: "not a KySo window" });
  });

  it("a subframe: refused", () => {
    expect(checkSender({ ...fromMain, isTopFrame: false }, surfaces, "app.info").ok).toBe(false);
  });

  it("a frame that navigated away (remote page, file://, gone): refused", () => {
    for (const frameUrl of ["https://evil.example/", "file:///etc/passwd", "kyso-app://other/index.html", undefined]) {
      expect(checkSender({ ...fromMain, frameUrl }, surfaces, "app.info").ok).toBe(false);
    }
  });
});

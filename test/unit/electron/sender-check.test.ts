import { describe, expect, it } from "vitest";
import { checkSender } from "../../../main/electron/sender-check.js";
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

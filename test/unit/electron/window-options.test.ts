import { describe, expect, it } from "vitest";
import { surfaceArgument, windowOptions } from "../../../main/electron/window-options.js";

describe("windowOptions", () => {
  for (const surface of ["main", "approval"] as const) {
    it(`${surface} window: sandboxed, context-isolated, no Node, web security on`, () => {
      const web = windowOptions({ surface, preloadPath: "/app/dist/preload/preload.cjs", title: "KySo" }).webPreferences;
      expect(web).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        preload: "/app/dist/preload/preload.cjs",
      });
      expect(web?.additionalArguments).toEqual([surfaceArgument(surface)]);
    });
  }

  it("approval window: always on top and cannot be minimised out of sight", () => {
    const options = windowOptions({ surface: "approval", preloadPath: "/p.cjs", title: "KySo" });
    expect(options.alwaysOnTop).toBe(true);
    expect(options.minimizable).toBe(false);
  });

  it("main window: an ordinary window", () => {
    const options = windowOptions({ surface: "main", preloadPath: "/p.cjs", title: "KySo" });
    expect(options.alwaysOnTop).toBe(false);
    expect(options.show).toBe(false);
  });
});

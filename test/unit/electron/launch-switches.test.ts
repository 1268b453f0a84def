import { describe, expect, it } from "vitest";
import { forbiddenLaunchSwitch } from "../../../main/electron/launch-switches.js";

describe("launch switches an installed KySo refuses", () => {
  it("remote debugging and inspector switches, in any spelling", () => {
    for (const arg of ["--remote-debugging-port=9222", "--remote-debugging-pipe", "--REMOTE-DEBUGGING-PORT=1", "--inspect=0", "--inspect-brk", "--inspect-port=9229", "--js-flags=--allow-natives-syntax"]) {
      expect(forbiddenLaunchSwitch(["/opt/KySo/kyso", arg], true), arg).toBeDefined();
    }
  });
  it("ordinary switches and kyso:// links start normally", () => {
    expect(forbiddenLaunchSwitch(["/opt/KySo/kyso", "--hidden", "kyso://open?page=home"], true)).toBeUndefined();
  });
  it("a development build keeps them (npm start, the Playwright smoke test)", () => {
    expect(forbiddenLaunchSwitch(["electron", "--remote-debugging-port=0", "--inspect=0"], false)).toBeUndefined();
  });
});

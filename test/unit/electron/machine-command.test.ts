import { describe, expect, it } from "vitest";
import { machineCommandOf, thisMachine } from "../../../main/electron/machine-command.js";

describe("installer switches", () => {
  it("--machine-install / --machine-uninstall anywhere in argv (Chromium switches around them); nothing else", () => {
    expect(machineCommandOf(["/opt/KySo/kyso", "--no-sandbox", "--machine-install"])).toBe("install");
    expect(machineCommandOf(["KySo.exe", "--machine-uninstall"])).toBe("uninstall");
    expect(machineCommandOf(["KySo.exe", "--hidden", "kyso://sign"])).toBeUndefined();
    expect(machineCommandOf(["KySo.exe", "--machine-install=1"])).toBeUndefined();
  });

  it("this machine: root /, Windows' ProgramData from the environment", () => {
    expect(thisMachine({ ProgramData: "D:\\PD" })).toMatchObject({ root: "/", programData: "D:\\PD" });
    expect(thisMachine({})).not.toHaveProperty("programData");
  });
});

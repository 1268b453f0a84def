import { describe, expect, it } from "vitest";
import { autostartDirectory, autostartEntry, quoteExecArgument } from "../../../main/electron/autostart.js";

describe("XDG autostart", () => {
  it("entry: a valid desktop entry that starts KySo hidden in the tray", () => {
    const text = autostartEntry("/opt/KySo/kyso");
    const lines = text.split("\n");
    expect(lines[0]).toBe("[Desktop Entry]");
    expect(lines).toContain("Type=Application");
    expect(lines).toContain("Name=KySo");
    expect(lines).toContain("Exec=/opt/KySo/kyso --hidden");
    expect(lines).toContain("X-GNOME-Autostart-enabled=true");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("Exec: paths with spaces and reserved characters are quoted and escaped", () => {
    expect(quoteExecArgument("/home/an/Ứng dụng/kyso")).toBe('"/home/an/Ứng dụng/kyso"');
    expect(quoteExecArgument('/tmp/a"b$c')).toBe('"/tmp/a\\"b\\$c"');
    expect(autostartEntry("/tmp/100%/kyso")).toContain("Exec=/tmp/100%%/kyso --hidden");
  });

  it("directory: $XDG_CONFIG_HOME when absolute, else ~/.config", () => {
    expect(autostartDirectory({ XDG_CONFIG_HOME: "/cfg" }, "/home/an")).toBe("/cfg/autostart");
    expect(autostartDirectory({ XDG_CONFIG_HOME: "relative" }, "/home/an")).toBe("/home/an/.config/autostart");
    expect(autostartDirectory({}, "/home/an")).toBe("/home/an/.config/autostart");
  });
});

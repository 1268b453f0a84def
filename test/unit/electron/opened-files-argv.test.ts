import { describe, expect, it } from "vitest";
import { filesFromArgv, SIGN_FILES_ARG } from "../../../main/electron/opened-files-argv.js";

describe("filesFromArgv", () => {
  it("'Sign with KySo': the PDFs after --sign-files, relative ones against the launch's folder", () => {
    expect(filesFromArgv(["/opt/KySo/kyso", SIGN_FILES_ARG, "/home/a/x.pdf", "b.PDF"], "/home/a/docs")).toEqual({
      paths: ["/home/a/x.pdf", "/home/a/docs/b.PDF"],
      action: "sign",
    });
  });

  it("'Open with KySo' (%U): file:// URLs become paths; switches, the app folder, kyso:// links and other URLs are not files", () => {
    const argv = ["electron", ".", "--hidden", "file:///home/a/T%C3%A0i%20li%E1%BB%87u.pdf", "kyso://open/x.pdf", "https://example.com/y.pdf", "notes.txt"];
    expect(filesFromArgv(argv, "/tmp")).toEqual({ paths: ["/home/a/Tài liệu.pdf"], action: "open" });
  });
});

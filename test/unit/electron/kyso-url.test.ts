import { describe, expect, it } from "vitest";
import { MAX_KYSO_URL_LENGTH, findKysoUrl, parseKysoUrl } from "../../../main/electron/kyso-url.js";

describe("parseKysoUrl", () => {
  it("kyso://start: starts KySo", () => {
    expect(parseKysoUrl("kyso://start")).toEqual({ action: "start" });
    expect(parseKysoUrl("kyso://start/")).toEqual({ action: "start" });
  });

  it("kyso://open?page=certificates: opens that page", () => {
    expect(parseKysoUrl("kyso://open?page=certificates")).toEqual({ action: "open", page: "certificates" });
    // Issue 17: a link may open "Sign files", never with a file in it (the page takes files only from the user).
    expect(parseKysoUrl("kyso://open?page=sign-files")).toEqual({ action: "open", page: "sign-files" });
    expect(parseKysoUrl("kyso://open?page=sign-files&file=/etc/passwd")).toBeNull();
    expect(parseKysoUrl("kyso://open")).toEqual({ action: "open" });
  });

  it("anything that could act (sign, approve, pair, set): refused", () => {
    for (const url of ["kyso://sign?data=AAAA", "kyso://approve?id=1", "kyso://pair?origin=https://x", "kyso://open?page=approval"]) {
      expect(parseKysoUrl(url)).toBeNull();
    }
  });

  it("unknown parameters: refused (strict schema)", () => {
    expect(parseKysoUrl("kyso://start?callback=https://evil.example")).toBeNull();
  });

  it("other schemes, credentials, ports, garbage: refused", () => {
    for (const url of ["https://start", "kyso://user:pw@start", "kyso://start:8080", "not a url", ""]) {
      expect(parseKysoUrl(url)).toBeNull();
    }
  });

  it("longer than the cap: refused before parsing", () => {
    expect(parseKysoUrl(`kyso://start?${"a".repeat(MAX_KYSO_URL_LENGTH)}`)).toBeNull();
  });

  it("findKysoUrl: picks the URL out of a second instance's argv", () => {
    expect(findKysoUrl(["/opt/KySo/kyso", "--flag", "kyso://open?page=sites"])).toBe("kyso://open?page=sites");
    expect(findKysoUrl(["/opt/KySo/kyso"])).toBeUndefined();
  });
});

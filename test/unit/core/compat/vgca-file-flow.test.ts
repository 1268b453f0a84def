/** The address and origin rules of VGCA's file flows (vgca-file-flow.ts), without any network. */
import { describe, expect, it } from "vitest";
import { isNonPublicAddress, pinFileTargets, uploadFileName, type HostResolver } from "../../../../main/core/compat/vgca/vgca-file-flow.js";

const answering =
  (address: string, calls: string[] = []): HostResolver =>
  async (hostname) => {
    calls.push(hostname);
    return { address, family: address.includes(":") ? 6 : 4 };
  };

describe("isNonPublicAddress", () => {
  it("loopback, private, link-local, CGNAT, unspecified, multicast and mapped forms are not public", () => {
    for (const a of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::", "fc00::1", "fd12::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "not-an-ip"]) {
      expect(isNonPublicAddress(a), a).toBe(true);
    }
    for (const a of ["203.0.113.7", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2001:db8::1", "::ffff:8.8.8.8"]) expect(isNonPublicAddress(a), a).toBe(false);
  });
});

describe("pinFileTargets", () => {
  it("resolves once and pins the address for both URLs", async () => {
    const calls: string[] = [];
    const target = await pinFileTargets("https://cong.example.gov.vn", "https://cong.example.gov.vn/a.pdf", "https://cong.example.gov.vn/up", answering("203.0.113.7", calls));
    expect(target).toMatchObject({ address: "203.0.113.7", family: 4 });
    expect(calls).toEqual(["cong.example.gov.vn"]);
  });

  it("a public page whose name resolves to a non-public address is refused (rebinding, metadata endpoints)", async () => {
    for (const address of ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1", "::ffff:192.168.0.1"]) {
      await expect(pinFileTargets("https://cong.example.gov.vn", "https://cong.example.gov.vn/a.pdf", "https://cong.example.gov.vn/up", answering(address))).rejects.toMatchObject({ kind: "not-allowed" });
    }
  });

  it("a page on a private IP literal may reach that address; its URLs still must be same-origin", async () => {
    const calls: string[] = [];
    expect((await pinFileTargets("http://10.0.0.5:8080", "http://10.0.0.5:8080/a.pdf", "http://10.0.0.5:8080/up", answering("1.1.1.1", calls))).address).toBe("10.0.0.5");
    expect(calls).toEqual([]); // a literal is not resolved
    await expect(pinFileTargets("http://10.0.0.5:8080", "http://10.0.0.6:8080/a.pdf", "http://10.0.0.5:8080/up", answering("1.1.1.1"))).rejects.toMatchObject({ kind: "not-allowed" });
  });

  it("cross-origin, non-http and userinfo URLs are refused before resolving", async () => {
    const calls: string[] = [];
    const page = "https://cong.example.gov.vn";
    for (const [file, up] of [
      ["https://cong.example.gov.vn.evil.example/a.pdf", `${page}/up`],
      [`${page}/a.pdf`, "http://cong.example.gov.vn/up"],
      [`${page}/a.pdf`, "https://cong.example.gov.vn:444/up"],
      ["ftp://cong.example.gov.vn/a.pdf", `${page}/up`],
      ["https://u:p@cong.example.gov.vn/a.pdf", `${page}/up`],
      ["not a url", `${page}/up`],
    ] as const) {
      await expect(pinFileTargets(page, file, up, answering("203.0.113.7", calls))).rejects.toBeInstanceOf(Error);
    }
    expect(calls).toEqual([]);
  });
});

describe("uploadFileName", () => {
  it("keeps letters (Vietnamese included), digits, dots; never a path or a quote", () => {
    expect(uploadFileName(new URL("https://x.vn/vb/T%E1%BB%9D%20tr%C3%ACnh.pdf"))).toBe("Tờ trình.pdf");
    expect(uploadFileName(new URL("https://x.vn/vb/a%22b%2F..%2Fc.pdf"))).toBe("a_b_.._c.pdf");
    expect(uploadFileName(new URL("https://x.vn/"))).toBe("signed.pdf");
    expect(uploadFileName(new URL("https://x.vn/%E0%A4%A"))).toBe("_E0_A4_A");
  });
});

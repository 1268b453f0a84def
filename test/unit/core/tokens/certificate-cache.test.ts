/**
 * The certificate cache parses each certificate once (by DER fingerprint), however often a token is read again
 * or re-plugged, answers `find` without reading, and judges expiry at listing time from the cached dates.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import type { TokenInfo } from "../../../../main/domain/token.js";
import { CertificateCache, type RawCertificate } from "../../../../main/core/tokens/certificate-cache.js";
import { makeCertificate, type MadeCertificate } from "../certificates/make-certificate.js";

const SIGNING = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation;

function token(serial: string): TokenInfo {
  return { id: `m:${serial}`, label: serial, manufacturer: "", model: "", serial, moduleId: "m", pinStatus: "ok", protectedAuthenticationPath: false, loginRequired: true };
}

async function pki(): Promise<{ root: MadeCertificate; leaf: MadeCertificate; other: MadeCertificate }> {
  const root = await makeCertificate({ subject: [{ CN: ["Root"] }], ca: true, keyUsage: x509.KeyUsageFlags.keyCertSign });
  const leaf = await makeCertificate({ subject: [{ CN: ["Leaf"] }], issuer: root, keyUsage: SIGNING, serialNumber: "05" });
  const other = await makeCertificate({ subject: [{ CN: ["Other"] }], issuer: root, keyUsage: SIGNING, serialNumber: "06" });
  return { root, leaf, other };
}

describe("CertificateCache", () => {
  it("parses each certificate once across reloads and re-plugs; reads happen only on load", async () => {
    const { root, leaf, other } = await pki();
    const parsed: string[] = [];
    const cache = new CertificateCache<string>({ onParse: (fingerprint) => parsed.push(fingerprint) });
    let reads = 0;
    const read = (objects: RawCertificate[]) => async () => {
      reads++;
      return objects;
    };
    const onA: RawCertificate[] = [
      { der: root.der, keyId: null, label: "CA" },
      { der: leaf.der, keyId: "01", label: "Leaf" },
    ];
    const onB: RawCertificate[] = [{ der: other.der, keyId: "02", label: "Other" }];
    void cache.load(token("A"), "module", "A", read(onA));
    void cache.load(token("B"), "module", "B", read(onB));
    const first = await cache.list();
    expect(first.map((info) => info.label).sort()).toEqual(["Leaf", "Other"]); // the key-less CA is not offered
    expect(parsed).toHaveLength(3);
    expect(reads).toBe(2);
    // The chain is built from the CA on token A, for token B's certificate too.
    expect(first.every((info) => info.chain.length === 1 && info.chain[0] === Buffer.from(root.der).toString("base64"))).toBe(true);

    for (let i = 0; i < 50; i++) await cache.list();
    const leafInfo = first.find((info) => info.label === "Leaf")!;
    for (let i = 0; i < 50; i++) expect(cache.find(leafInfo.id)?.keyId).toBe("01");
    expect(reads).toBe(2);

    // Explicit reload and re-plug: read again, never parsed again.
    await cache.load(token("A"), "module", "A", read(onA));
    cache.drop("m:B");
    expect(cache.find(first.find((info) => info.label === "Other")!.id)).toBeUndefined();
    await cache.load(token("B"), "module", "B", read(onB));
    expect((await cache.list()).length).toBe(2);
    expect(reads).toBe(4);
    expect(parsed).toHaveLength(3);
  });

  it("expiry is judged at listing time from cached dates, without parsing again", async () => {
    const { root, leaf } = await pki();
    const parsed: string[] = [];
    const cache = new CertificateCache<string>({ onParse: (fingerprint) => parsed.push(fingerprint), trustAnchors: [root.der] });
    await cache.load(token("A"), "module", "A", async () => [{ der: leaf.der, keyId: "01", label: "Leaf" }]);
    expect((await cache.list())[0]?.valid).toBe(true);
    const later = new Date(Date.now() + 2 * 365 * 86_400_000);
    const [expired] = await cache.list(later);
    expect(expired?.problems).toEqual(["expired"]);
    expect(expired?.valid).toBe(false);
    expect(parsed).toHaveLength(1);
  });

  it("a read that fails is retried by the next request instead of listing nothing forever", async () => {
    const { leaf } = await pki();
    const cache = new CertificateCache<string>();
    let attempt = 0;
    await cache.load(token("A"), "module", "A", async () => {
      attempt++;
      if (attempt === 1) throw new Error("token busy");
      return [{ der: leaf.der, keyId: "01", label: "Leaf" }];
    });
    expect(cache.has("m:A")).toBe(true);
    expect((await cache.list()).map((info) => info.label)).toEqual(["Leaf"]);
    expect(attempt).toBe(2);
  });

  it("a load that finishes after its token was dropped is thrown away", async () => {
    const { leaf } = await pki();
    const cache = new CertificateCache<string>();
    let finish!: (objects: RawCertificate[]) => void;
    let reading!: () => void;
    const started = new Promise<void>((resolve) => (reading = resolve));
    const loading = cache.load(token("A"), "module", "A", () => {
      reading();
      return new Promise<RawCertificate[]>((resolve) => (finish = resolve));
    });
    await started;
    cache.drop("m:A");
    finish([{ der: leaf.der, keyId: "01", label: "Leaf" }]);
    await loading;
    expect(await cache.list()).toEqual([]);
  });
  it("lists in one order whatever order the tokens answer in and the objects come back in (grouped by token, then by name)", async () => {
    const { root, leaf, other } = await pki();
    const third = await makeCertificate({ subject: [{ CN: ["Ánh"] }], issuer: root, keyUsage: SIGNING, serialNumber: "07" });
    const objects: RawCertificate[] = [
      { der: root.der, keyId: null, label: "CA" },
      { der: other.der, keyId: "02", label: "o" },
      { der: leaf.der, keyId: "01", label: "l" },
      { der: third.der, keyId: "03", label: "t" },
    ];
    const orders: string[][] = [];
    for (const [first, second, reversed] of [["A", "B", false], ["B", "A", true]] as const) {
      const cache = new CertificateCache<string>();
      // Token enumeration (SoftHSM lists objects in its directory's order, which differs between file systems).
      const onA = reversed ? [...objects].reverse() : objects;
      const gates = new Map<string, () => void>();
      const load = (serial: string, list: RawCertificate[]) => {
        const answered = new Promise<void>((resolve) => gates.set(serial, resolve));
        return cache.load(token(serial), "module", serial, async () => {
          await answered;
          return list;
        });
      };
      const loads = [load("A", onA), load("B", [{ der: other.der, keyId: "09", label: "b" }])];
      gates.get(first)!();
      gates.get(second)!();
      await Promise.all(loads);
      orders.push((await cache.list()).map((info) => `${info.tokenId}/${info.subject.commonName}`));
    }
    expect(orders[0]).toEqual(["m:A/Ánh", "m:A/Leaf", "m:A/Other", "m:B/Other"]);
    expect(orders[1]).toEqual(orders[0]);
  });
});

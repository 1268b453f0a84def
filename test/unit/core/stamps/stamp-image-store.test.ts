import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { checkStampPng, MAX_STAMP_PNG_BYTES } from "../../../../main/core/stamps/png-check.js";
import { createStampImageStore } from "../../../../main/core/stamps/stamp-image-store.js";
import { certificateFingerprint, withStampImage } from "../../../../main/core/signing/stamp-image-options.js";
import { sealPng } from "../../../integration/signing/png.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const dataDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "kyso-stamps-"));
  dirs.push(d);
  return d;
};
const FP = "ab".repeat(32);

/** An opaque RGB PNG: valid, but a stamp must be transparent. */
function opaquePng(): Buffer {
  const png = Buffer.from(sealPng(8));
  png[25] = 2; // colour type RGB instead of RGBA; fix the IHDR CRC so only the transparency rule refuses it
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  return png;
}

describe("checkStampPng", () => {
  it("reads a transparent PNG's size", () => {
    expect(checkStampPng(sealPng(40))).toEqual({ width: 40, height: 40 });
  });
  it.each([
    ["a JPEG", Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.alloc(60)])],
    ["a PNG cut short", Buffer.from(sealPng(16)).subarray(0, 60)],
    ["a header with a wrong CRC", (() => { const b = Buffer.from(sealPng(16)); b.writeUInt8(b.readUInt8(29) ^ 1, 29); return b; })()],
    ["an opaque PNG", opaquePng()],
    ["a PNG too large in bytes", Buffer.concat([Buffer.from(sealPng(16)), Buffer.alloc(MAX_STAMP_PNG_BYTES)])],
  ])("refuses %s", (_what, bytes) => {
    expect(() => checkStampPng(bytes)).toThrow(expect.objectContaining({ code: "invalid_params" }));
  });
  it("refuses more than 2000 pixels a side", () => {
    const b = Buffer.from(sealPng(16));
    b.writeUInt32BE(5000, 16);
      b.writeUInt32BE(crc32(b.subarray(12, 29)) >>> 0, 29);
    expect(() => checkStampPng(b)).toThrow(/5000x16 pixels/);
  });
});

describe("stamp image store", () => {
  it("keeps a signature and a seal per certificate, 0600, and removes them", async () => {
    const dir = dataDir();
    const store = createStampImageStore(dir);
    expect(await store.get(FP)).toEqual({});
    await store.set(FP, "signature", sealPng(20));
    const both = await store.set(FP, "seal", sealPng(30), 40);
    expect(both.signature?.width).toBe(20);
    expect(both.seal).toMatchObject({ width: 30, diameterMm: 40 });
    const file = join(dir, "stamp-images", `${FP}.json`);
    if (process.platform !== "win32") expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await createStampImageStore(dir).get(FP.toUpperCase())).toMatchObject({ seal: { diameterMm: 40 } });
    expect(Object.keys(await store.remove(FP, "signature"))).toEqual(["seal"]);
    await store.remove(FP, "seal");
    expect(readdirSync(join(dir, "stamp-images"))).toEqual([]);
  });
  it("refuses a seal without diameter, a bad fingerprint and a non-PNG", async () => {
    const store = createStampImageStore(dataDir());
    await expect(store.set(FP, "seal", sealPng(20))).rejects.toMatchObject({ code: "invalid_params" });
    await expect(store.get("../../etc/passwd")).rejects.toMatchObject({ code: "invalid_params" });
    await expect(store.set(FP, "signature", Buffer.from("GIF89a"))).rejects.toMatchObject({ code: "invalid_params" });
  });
  it("ignores a file changed behind KySo's back", async () => {
    const dir = dataDir();
    const store = createStampImageStore(dir);
    await store.set(FP, "signature", sealPng(20));
    writeFileSync(join(dir, "stamp-images", `${FP}.json`), JSON.stringify({ signature: { base64: Buffer.from("not a png").toString("base64") } }));
    expect(await store.get(FP)).toEqual({});
  });
});

describe("withStampImage", () => {
  const cert = Buffer.from("certificate bytes");
  const request = (preset: Record<string, unknown>) => ({ format: "pades", hashAlgorithm: "SHA-256", options: { preset }, document: new Uint8Array(1) }) as never;
  it("puts the signing certificate's seal and its diameter into a seal preset, over the page's", async () => {
    const seen: string[] = [];
    const lookup = async (fp: string) => {
      seen.push(fp);
      return { seal: { png: sealPng(10), diameterMm: 42 } };
    };
    const out = (await withStampImage(request({ name: "seal", image: "AAAA", sealDiameterMm: 30 }), cert, lookup)) as { options: { preset: Record<string, unknown> } };
    expect(seen).toEqual([certificateFingerprint(cert)]);
    expect(out.options.preset).toMatchObject({ name: "seal", sealDiameterMm: 42, image: Buffer.from(sealPng(10)).toString("base64") });
  });
  it("leaves the request alone without a stored image or for other presets", async () => {
    const r = request({ name: "leader", image: "AAAA" });
    expect(await withStampImage(r, cert, async () => ({}))).toBe(r);
    const a = request({ name: "appendix", documentNumber: "1" });
    expect(await withStampImage(a, cert, async () => ({ signature: { png: sealPng(4) } }))).toBe(a);
  });
});

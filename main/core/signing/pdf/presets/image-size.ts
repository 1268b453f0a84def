/**
 * The pixel size of a stamp image (PNG IHDR, JPEG SOFn), read without decoding it: the placement keeps the image's
 * aspect ratio before the image is embedded. An image whose header does not read is `invalid_params`, as the
 * embedder would say later.
 */
import { KysoError } from "../../../../domain/errors/index.js";

export function imageSize(bytes: Uint8Array): { readonly width: number; readonly height: number } {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.length >= 24 && view.readUInt32BE(0) === 0x89504e47 && view.toString("latin1", 12, 16) === "IHDR") {
    return positive(view.readUInt32BE(16), view.readUInt32BE(20));
  }
  if (view.length >= 4 && view[0] === 0xff && view[1] === 0xd8) {
    // Walk the marker segments to the first start-of-frame (C0-CF except C4 DHT, C8 JPG, CC DAC).
    for (let at = 2; at + 9 < view.length; ) {
      if (view[at] !== 0xff) break;
      const marker = view[at + 1]!;
      const length = view.readUInt16BE(at + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return positive(view.readUInt16BE(at + 7), view.readUInt16BE(at + 5));
      }
      at += 2 + length;
    }
  }
  throw new KysoError("invalid_params", "stamp image must be a PNG or JPEG whose size can be read");
}

function positive(width: number, height: number): { width: number; height: number } {
  if (width < 1 || height < 1 || width > 20_000 || height > 20_000) throw new KysoError("invalid_params", `stamp image is ${width}x${height} pixels`);
  return { width, height };
}

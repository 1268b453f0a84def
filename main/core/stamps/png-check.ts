/**
 * A strict, small check of a stamp image before KySo keeps it (stamp-image-store.ts): a real PNG (signature bytes,
 * IHDR first with a valid CRC, chunks that stay inside the file, IEND last), within a size and pixel cap, and
 * transparent (colour type with alpha, or a tRNS chunk): an opaque seal would hide the leader's signature it must
 * cover (Decree 30/2020 asks for transparent PNGs). Only headers are read here; the pixels are decoded later, in
 * the bounded document worker that embeds the image.
 */
import { crc32 } from "node:zlib";
import { KysoError } from "../../domain/errors/index.js";
import { MAX_STAMP_PNG_BYTES, MAX_STAMP_PNG_SIDE } from "../../domain/stamp-images.js";

export { MAX_STAMP_PNG_BYTES };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngInfo {
  readonly width: number;
  readonly height: number;
}

const refuse = (why: string): never => {
  throw new KysoError("invalid_params", `stamp image refused: ${why}`);
};

export function checkStampPng(bytes: Uint8Array): PngInfo {
  if (bytes.length > MAX_STAMP_PNG_BYTES) refuse(`${bytes.length} bytes, the limit is ${MAX_STAMP_PNG_BYTES}`);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.length < 8 + 25 + 12 || !view.subarray(0, 8).equals(PNG_SIGNATURE)) refuse("not a PNG file");
  if (view.readUInt32BE(8) !== 13 || view.toString("latin1", 12, 16) !== "IHDR") refuse("the PNG does not start with its IHDR header");
  if (crc32(view.subarray(12, 29)) >>> 0 !== view.readUInt32BE(29)) refuse("the PNG header's checksum is wrong");
  const width = view.readUInt32BE(16);
  const height = view.readUInt32BE(20);
  const colourType = view[25]!;
  if (width < 1 || height < 1 || width > MAX_STAMP_PNG_SIDE || height > MAX_STAMP_PNG_SIDE) refuse(`${width}x${height} pixels, the limit is ${MAX_STAMP_PNG_SIDE} per side`);
  let transparent = colourType === 4 || colourType === 6;
  let sawData = false;
  let at = 33;
  for (;;) {
    if (at + 12 > view.length) refuse("the PNG ends inside a chunk");
    const length = view.readUInt32BE(at);
    const type = view.toString("latin1", at + 4, at + 8);
    if (length > view.length - at - 12) refuse(`the PNG's ${type} chunk runs past the end of the file`);
    if (type === "tRNS" && !sawData) transparent = true;
    if (type === "IDAT") sawData = true;
    at += 12 + length;
    if (type === "IEND") break;
  }
  if (!sawData) refuse("the PNG has no image data");
  if (!transparent) refuse("the PNG has no transparency (a stamp image must have a transparent background)");
  return { width, height };
}

/**
 * Random access to a PDF without holding it whole: an in-memory document hands out views (no copies); a file
 * reads only what the reader asks for (the tail, the xref sections and the handful of objects a signature
 * touches), so a 500 MB scan is never parsed.
 */
import { fstatSync, readSync } from "node:fs";

export interface PdfSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Uint8Array;
}

export function memorySource(bytes: Uint8Array): PdfSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

export function fileSource(fd: number): PdfSource {
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buffer = Buffer.allocUnsafe(n);
      let done = 0;
      while (done < n) {
        const got = readSync(fd, buffer, done, n - done, offset + done);
        if (got === 0) break;
        done += got;
      }
      return buffer.subarray(0, done);
    },
  };
}

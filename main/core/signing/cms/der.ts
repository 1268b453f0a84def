/**
 * A minimal DER writer and reader for the few structures built by hand. Hand-built because the bytes matter:
 * signed attributes must be in DER order and certificate fields are copied byte for byte (re-encoding a Name
 * can change its string types and break the issuer match).
 */
import * as asn1js from "asn1js";

export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  const length = content.reduce((n, c) => n + c.length, 0);
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const lenBytes: number[] = [];
    for (let n = length; n > 0; n = Math.floor(n / 256)) lenBytes.unshift(n % 256);
    header = [tag, 0x80 | lenBytes.length, ...lenBytes];
  }
  return concat([Uint8Array.from(header), ...content]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export const seq = (...c: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...c);
export const octets = (value: Uint8Array): Uint8Array => tlv(0x04, value);
export const explicit = (n: number, ...c: readonly Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...c);
export const NULL = Uint8Array.from([0x05, 0x00]);
export const TRUE = Uint8Array.from([0x01, 0x01, 0xff]);

/** SET OF in DER order (X.690 §11.6): elements sorted by their encodings. */
export function setOf(elements: readonly Uint8Array[], tag = 0x31): Uint8Array {
  return tlv(tag, ...sortDer(elements));
}

export function sortDer(elements: readonly Uint8Array[]): Uint8Array[] {
  return [...elements].sort(compareBytes);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function oid(value: string): Uint8Array {
  return new Uint8Array(new asn1js.ObjectIdentifier({ value }).toBER());
}

export function integer(value: number | Uint8Array): Uint8Array {
  if (typeof value === "number") return new Uint8Array(new asn1js.Integer({ value }).toBER());
  // Unsigned big-endian magnitude → minimal two's complement.
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const body = value.subarray(start);
  return tlv(0x02, ...(body[0]! & 0x80 ? [Uint8Array.of(0), body] : [body]));
}

/** UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5, CMS signingTime). */
export function time(date: Date): Uint8Array {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  if (date.getUTCFullYear() < 2050) return tlv(0x17, new TextEncoder().encode(`${iso.slice(2)}Z`));
  return tlv(0x18, new TextEncoder().encode(`${iso}Z`));
}

export interface Tlv {
  readonly tag: number;
  /** Offsets into the buffer: the whole element and its content. */
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

export function readTlv(buf: Uint8Array, pos: number): Tlv {
  if (pos + 2 > buf.length) throw new RangeError("DER: truncated header");
  const tag = buf[pos]!;
  let p = pos + 1;
  let length = buf[p++]!;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) throw new RangeError("DER: unsupported length");
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[p++]!;
  }
  const end = p + length;
  if (end > buf.length) throw new RangeError("DER: truncated content");
  return { tag, start: pos, contentStart: p, end };
}

export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.contentStart; p < parent.end; ) {
    const child = readTlv(buf, p);
    out.push(child);
    p = child.end;
  }
  return out;
}

export const bytesOf = (buf: Uint8Array, t: Tlv): Uint8Array => buf.subarray(t.start, t.end);
export const contentOf = (buf: Uint8Array, t: Tlv): Uint8Array => buf.subarray(t.contentStart, t.end);

/**
 * `CKM_ECDSA` returns the raw `r || s` pair (PKCS#11 §2.3.1), while CMS and X.509 want the DER
 * `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 5480 / RFC 3279). XMLDSig wants the raw form.
 */

function derInteger(unsigned: Uint8Array): Uint8Array {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const trimmed = unsigned.subarray(start);
  // A leading 1 bit would make the INTEGER negative: prefix a zero byte.
  const needsPad = (trimmed[0] ?? 0) & 0x80;
  const body = needsPad ? Uint8Array.of(0, ...trimmed) : trimmed;
  return Uint8Array.of(0x02, ...derLength(body.length), ...body);
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  if (length < 0x100) return [0x81, length];
  return [0x82, length >> 8, length & 0xff];
}

export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0) throw new RangeError(`ECDSA r||s must have even length, got ${raw.length}`);
  const half = raw.length / 2;
  const r = derInteger(raw.subarray(0, half));
  const s = derInteger(raw.subarray(half));
  return Uint8Array.of(0x30, ...derLength(r.length + s.length), ...r, ...s);
}

/** The inverse, for verifiers and formats that receive DER: each integer left-padded to `fieldBytes`. */
export function ecdsaDerToRaw(der: Uint8Array, fieldBytes: number): Uint8Array {
  let offset = 0;
  const readLength = (): number => {
    const first = der[offset++] ?? 0;
    if (first < 0x80) return first;
    let length = 0;
    for (let i = 0; i < (first & 0x7f); i++) length = (length << 8) | (der[offset++] ?? 0);
    return length;
  };
  if (der[offset++] !== 0x30) throw new RangeError("ECDSA signature is not a DER SEQUENCE");
  readLength();
  const out = new Uint8Array(fieldBytes * 2);
  for (const slot of [0, 1]) {
    if (der[offset++] !== 0x02) throw new RangeError("ECDSA signature component is not an INTEGER");
    const length = readLength();
    let value = der.subarray(offset, offset + length);
    offset += length;
    while (value.length > fieldBytes && value[0] === 0) value = value.subarray(1);
    if (value.length > fieldBytes) throw new RangeError("ECDSA signature component is longer than the field");
    out.set(value, slot * fieldBytes + fieldBytes - value.length);
  }
  return out;
}

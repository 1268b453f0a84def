/**
 * Vietnam has used UTC+7 without daylight saving since 1975, so a fixed offset is exact and needs no ICU data
 * (the Electron build may ship without full ICU).
 */
const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

function parts(date: Date): { y: string; mo: string; d: string; h: string; mi: string; s: string } {
  const local = new Date(date.getTime() + VN_OFFSET_MS);
  const two = (n: number): string => String(n).padStart(2, "0");
  return {
    y: String(local.getUTCFullYear()).padStart(4, "0"),
    mo: two(local.getUTCMonth() + 1),
    d: two(local.getUTCDate()),
    h: two(local.getUTCHours()),
    mi: two(local.getUTCMinutes()),
    s: two(local.getUTCSeconds()),
  };
}

/** "dd/MM/yyyy HH:mm:ss" in Vietnam time: what stamps show ("Ký ngày: ..."). */
export function formatVnDisplay(date: Date): string {
  const p = parts(date);
  return `${p.d}/${p.mo}/${p.y} ${p.h}:${p.mi}:${p.s}`;
}

/** "yyyy-MM-ddTHH:mm:ss" in Vietnam time without offset: the SigningTime form in tax and e-invoice samples. */
export function formatVnLocalIso(date: Date): string {
  const p = parts(date);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}`;
}

/** PDF date string (ISO 32000 §7.9.4) in Vietnam time: "D:YYYYMMDDHHmmSS+07'00'". */
export function formatPdfDate(date: Date): string {
  const p = parts(date);
  return `D:${p.y}${p.mo}${p.d}${p.h}${p.mi}${p.s}+07'00'`;
}

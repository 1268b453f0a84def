/**
 * Every number, amount, date and size the renderer shows goes through here, formatted with `Intl` for the UI
 * language. The core hands over raw values (ISO dates, decimal strings, ISO 4217 codes, byte counts); this module
 * is the one place that decides how a Vietnamese or an English reader sees them:
 *  - vi: `11.000.000 ₫`, `02/12/2026`, `02/12/2026 14:05` (dd/MM/yyyy, what Vietnamese forms print; Intl's vi-VN
 *    "medium" style gives "2 thg 12, 2026", which officers do not write);
 *  - en: `VND 11,000,000` (the code: "₫" alone is unfamiliar to English readers), `2 Dec 2026`, `2 Dec 2026, 14:05`
 *    (month in letters: neither a US nor a UK reader can misread it).
 * Pure functions of the language, so unit tests run them under Node's full ICU.
 */
import type { Language } from "../../../main/domain/errors/kyso-error.js";

export interface Formatter {
  readonly language: Language;
  /** BCP 47 locale passed to Intl. */
  readonly locale: string;
  /** A count or any whole/decimal number, grouped for the language (`1.234` / `1,234`). */
  number(value: number): string;
  /** A decimal amount, exactly as given (a string keeps every digit), with its ISO 4217 currency when known. */
  amount(amount: string | number, currency?: string): string;
  /** A calendar date: `yyyy-mm-dd` is that day wherever the computer is; a full timestamp is its local day. */
  date(iso: string): string;
  /** A moment, in the computer's time zone. */
  dateTime(iso: string): string;
  /** Bytes as bytes / kB / MB. */
  size(bytes: number): string;
  /** The plural category of a count (`one`, `other`, ...), for messages that depend on it. */
  plural(count: number): Intl.LDMLPluralRule;
}

const LOCALES: Readonly<Record<Language, string>> = { vi: "vi-VN", en: "en-GB" };

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Formatters are cached per language: Intl constructors are costly and a history page formats thousands of rows. */
const cache = new Map<Language, Formatter>();

export function formatter(language: Language): Formatter {
  let existing = cache.get(language);
  if (!existing) {
    existing = createFormatter(language);
    cache.set(language, existing);
  }
  return existing;
}

function createFormatter(language: Language): Formatter {
  const locale = LOCALES[language];
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 20 });
  const plurals = new Intl.PluralRules(locale);
  const bytes = new Intl.NumberFormat(locale, { style: "unit", unit: "byte", unitDisplay: "long" });
  const kilobytes = new Intl.NumberFormat(locale, { style: "unit", unit: "kilobyte", maximumFractionDigits: 1 });
  const megabytes = new Intl.NumberFormat(locale, { style: "unit", unit: "megabyte", maximumFractionDigits: 1 });

  const dayParts = (date: Date, timeZone?: string): { day: string; month: string; year: string } => {
    const parts = new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric", ...(timeZone ? { timeZone } : {}) }).formatToParts(date);
    const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? "";
    return { day: part("day"), month: part("month"), year: part("year") };
  };

  const formatDay = (date: Date, timeZone?: string): string => {
    if (language === "vi") {
      // Assembled from parts: the order and the separator are the Vietnamese convention, whatever ICU's vi data says.
      const { day, month, year } = dayParts(date, timeZone);
      return `${day}/${month}/${year}`;
    }
    return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric", ...(timeZone ? { timeZone } : {}) }).format(date);
  };

  const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  return {
    language,
    locale,
    number: (value) => numbers.format(value),
    amount(amount, currency) {
      const text = String(amount);
      // Never round what the document says: allow as many decimals as it wrote (VND has none by default).
      const decimals = /\.(\d+)$/.exec(text)?.[1]?.length ?? 0;
      let options: Intl.NumberFormatOptions = { maximumFractionDigits: decimals };
      try {
        if (currency) {
          // The currency's own minor digits (0 for VND, 2 for USD), more only when the document wrote more.
          const digits = new Intl.NumberFormat(locale, { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 0;
          const display = language === "vi" ? "symbol" : "code";
          options = { style: "currency", currency, currencyDisplay: display, minimumFractionDigits: digits, maximumFractionDigits: Math.max(decimals, digits) };
        }
        // A decimal string is formatted exactly (Intl.NumberFormat v3); a number would lose digits past 2^53.
        return new Intl.NumberFormat(locale, options).format(text as unknown as number);
      } catch {
        // Not a currency Intl knows: the digits and the code as given.
        return currency ? `${text} ${currency}` : text;
      }
    },
    date(iso) {
      if (CALENDAR_DATE.test(iso)) {
        const date = new Date(`${iso}T00:00:00Z`);
        return Number.isNaN(date.getTime()) ? iso : formatDay(date, "UTC");
      }
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : formatDay(date);
    },
    dateTime(iso) {
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return iso;
      return language === "vi" ? `${formatDay(date)} ${time.format(date)}` : `${formatDay(date)}, ${time.format(date)}`;
    },
    size(count) {
      if (count < 1024) return bytes.format(count);
      if (count < 1024 * 1024) return kilobytes.format(count / 1024);
      return megabytes.format(count / 1024 / 1024);
    },
    plural: (count) => plurals.select(count),
  };
}

/** Hex in groups of four so a user can compare it with what the portal shows. */
export function groupHex(hex: string): string {
  return hex.toLowerCase().replace(/(.{4})(?=.)/g, "$1 ");
}

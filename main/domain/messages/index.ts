/**
 * The UI message catalogue (one file per language: en.ts, vi.ts) and the one function that fills a message. Pure
 * data and a pure function, so the renderer (through Vite), the Electron shell and the core's PDF stamp all read the
 * same texts; see .dependency-cruiser.cjs for why the renderer may import this folder as values.
 */
import type { Language } from "../errors/kyso-error.js";
import { en, type MessageKey, type Messages } from "./en.js";
import { vi } from "./vi.js";

export type { MessageKey, Messages };

export const MESSAGES: Readonly<Record<Language, Messages>> = { vi, en };

/** How numbers are worded: the renderer passes its Intl formatter (renderer/src/i18n/format.ts). */
export interface NumberWording {
  number(value: number): string;
  plural(count: number): Intl.LDMLPluralRule;
}

/** Intl for a language, for callers outside the renderer (the shell, the stamp). */
export function numberWording(language: Language): NumberWording {
  const locale = language === "vi" ? "vi-VN" : "en-GB";
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 20 });
  const plurals = new Intl.PluralRules(locale);
  return { number: (value) => numbers.format(value), plural: (count) => plurals.select(count) };
}

/** The message `key` in `language`, filled. */
export function message(language: Language, key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  return fillMessage(MESSAGES[language][key], params, numberWording(language));
}

/**
 * Fills a message. `{name}` is a parameter (a number is formatted for the language: `1.234` in vi); an unknown
 * placeholder stays visible so a missing parameter is noticed, not hidden. `{name, plural, one {…} other {…}}`
 * picks a branch by `Intl.PluralRules` (`=0`, `=1` exact matches first), `#` in it being the formatted number: the
 * ICU MessageFormat subset KySo's messages need, so English says "1 page" / "3 pages" and Vietnamese "3 trang".
 */
export function fillMessage(message: string, params: Readonly<Record<string, string | number>> | undefined, format: NumberWording): string {
  let out = "";
  let i = 0;
  while (i < message.length) {
    const open = message.indexOf("{", i);
    if (open < 0) break;
    const close = matchingBrace(message, open);
    if (close < 0) break;
    out += message.slice(i, open);
    out += placeholder(message.slice(open + 1, close), message.slice(open, close + 1), params, format);
    i = close + 1;
  }
  return out + message.slice(i);
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === "{") depth++;
    else if (text[j] === "}" && --depth === 0) return j;
  }
  return -1;
}

function placeholder(body: string, whole: string, params: Readonly<Record<string, string | number>> | undefined, format: NumberWording): string {
  const plural = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(body);
  if (!plural) {
    const name = body.trim();
    if (!/^\w+$/.test(name) || !params || !(name in params)) return whole;
    const value = params[name]!;
    return typeof value === "number" ? format.number(value) : value;
  }
  const name = plural[1]!;
  const value = params?.[name];
  if (typeof value !== "number") return whole;
  const branches = pluralBranches(plural[2]!);
  const chosen = branches.get(`=${value}`) ?? branches.get(format.plural(value)) ?? branches.get("other");
  if (chosen === undefined) return whole;
  // `#` is the count; nested `{param}` placeholders are filled too.
  return fillMessage(chosen.replace(/#/g, format.number(value)), params, format);
}

function pluralBranches(text: string): Map<string, string> {
  const branches = new Map<string, string>();
  let i = 0;
  for (;;) {
    const selector = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/y;
    selector.lastIndex = i;
    const match = selector.exec(text);
    if (!match) return branches;
    const open = selector.lastIndex - 1;
    const close = matchingBrace(text, open);
    if (close < 0) return branches;
    branches.set(match[1]!, text.slice(open + 1, close));
    i = close + 1;
  }
}


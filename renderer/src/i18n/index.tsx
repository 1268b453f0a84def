import { createContext, useContext, type ReactNode } from "react";
import type { Language } from "../../../main/domain/errors/kyso-error.js";
// Value imports from main/domain/messages: the catalogues are pure data shared with the Electron shell (one file per
// language for every UI string); .dependency-cruiser.cjs allows the renderer exactly this folder as values.
import { fillMessage, MESSAGES, type MessageKey, type Messages } from "../../../main/domain/messages/index.js";
import { formatter, type Formatter } from "./format.js";

export type { Formatter, Language, MessageKey };
export { formatter, groupHex } from "./format.js";
export { fillMessage };

export const CATALOGUES: Readonly<Record<Language, Messages>> = MESSAGES;

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

export function translator(language: Language): Translate {
  const messages = CATALOGUES[language];
  const format = formatter(language);
  return (key, params) => fillMessage(messages[key], params, format);
}

/** Vietnamese when the system prefers it, else English (the settings page can change it). */
export function languageFromLocale(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith("vi") ? "vi" : "en";
}

interface I18n {
  readonly language: Language;
  readonly t: Translate;
  /** Numbers, amounts, dates, sizes for the UI language (renderer/src/i18n/format.ts). */
  readonly format: Formatter;
  /** Shorthand kept for the pages: `format.date`, or `format.dateTime` with `withTime`. */
  readonly formatDate: (iso: string, withTime?: boolean) => string;
}

const contexts = new Map<Language, I18n>();

/** One stable value per language, so a re-render does not hand every consumer a new context. */
function i18nFor(language: Language): I18n {
  let value = contexts.get(language);
  if (!value) {
    const format = formatter(language);
    value = { language, t: translator(language), format, formatDate: (iso, withTime = false) => (withTime ? format.dateTime(iso) : format.date(iso)) };
    contexts.set(language, value);
  }
  return value;
}

const I18nContext = createContext<I18n>(i18nFor("en"));

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  return <I18nContext.Provider value={i18nFor(language)}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

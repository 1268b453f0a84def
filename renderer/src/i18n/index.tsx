import { createContext, useContext, type ReactNode } from "react";
import type { Language } from "../../../main/domain/errors/kyso-error.js";
import { en, type MessageKey, type Messages } from "./en.js";
import { vi } from "./vi.js";

export type { Language, MessageKey };

export const CATALOGUES: Readonly<Record<Language, Messages>> = { vi, en };

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

/** `{name}` placeholders; an unknown placeholder stays visible so a missing parameter is noticed, not hidden. */
export function translator(language: Language): Translate {
  const messages = CATALOGUES[language];
  return (key, params) =>
    messages[key].replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));
}

/** Vietnamese when the system prefers it, else English (the settings page can change it). */
export function languageFromLocale(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith("vi") ? "vi" : "en";
}

interface I18n {
  readonly language: Language;
  readonly t: Translate;
  /** Dates in the user's language, Vietnam time is whatever the OS says. */
  readonly formatDate: (iso: string, withTime?: boolean) => string;
}

const I18nContext = createContext<I18n>({ language: "en", t: translator("en"), formatDate: (iso) => iso });

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  const locale = language === "vi" ? "vi-VN" : "en-GB";
  const formatDate = (iso: string, withTime = false): string => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(locale, withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" }).format(date);
  };
  return <I18nContext.Provider value={{ language, t: translator(language), formatDate }}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

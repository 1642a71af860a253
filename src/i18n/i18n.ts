import i18next, { type i18n as I18next } from 'i18next';
import { DateTime } from 'luxon';
import { availableLanguages, readLanguage } from './locales.ts';

export type Params = Record<string, string | number | null | undefined>;

/** Translates keys for one language at a time; every channel and the CLI share one instance. */
export interface Translator {
  languages: string[];
  /** The message for a key in a language; falls back to English, never to the raw key silently. */
  t(lang: string, key: string, params?: Params): string;
  /** Whether a key exists in a language (without fallback). */
  has(lang: string, key: string): boolean;
}

export const FALLBACK_LANGUAGE = 'en';

/** Loads every locale folder into one i18next instance. */
export async function createTranslator(): Promise<Translator> {
  const languages = availableLanguages();
  const instance: I18next = i18next.createInstance();
  await instance.init({
    resources: Object.fromEntries(languages.map((l) => [l, { translation: readLanguage(l) }])),
    lng: FALLBACK_LANGUAGE,
    fallbackLng: FALLBACK_LANGUAGE,
    supportedLngs: languages,
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  } as Parameters<I18next['init']>[0]);
  return {
    languages,
    t: (lang, key, params) => instance.t(key, { lng: languages.includes(lang) ? lang : FALLBACK_LANGUAGE, ...params }) as string,
    has: (lang, key) => instance.exists(key, { lng: lang, fallbackLng: false }),
  };
}

/**
 * The language to speak to a user: their own choice, then what the platform says,
 * then their authority's default, then English.
 */
export function negotiateLanguage(
  supported: string[],
  ...candidates: (string | null | undefined)[]
): string {
  for (const c of candidates) {
    if (!c) continue;
    const base = c.toLowerCase().split(/[-_]/)[0]!;
    // Norwegian Bokmål and Nynorsk arrive as nb/nn from platforms.
    const lang = base === 'nb' || base === 'nn' ? 'no' : base;
    if (supported.includes(lang)) return lang;
  }
  return FALLBACK_LANGUAGE;
}

/** A calendar date (YYYY-MM-DD) written the way the language writes dates, e.g. "2026. dec. 3." in Hungarian. */
export const formatDate = (isoDate: string, lang: string): string =>
  DateTime.fromISO(isoDate, { zone: 'UTC' }).setLocale(lang).toLocaleString(DateTime.DATE_MED);

/** An instant in a time zone, with the time, in the language's way. */
export const formatDateTime = (iso: string, lang: string, timezone: string): string =>
  DateTime.fromISO(iso).setZone(timezone).setLocale(lang).toLocaleString(DateTime.DATETIME_MED);

import { foldAccents } from './admin.ts';
import type { AreaCatalog } from './area.ts';
import { COUNTRIES, isValidId, isValidLanguage } from './authority.ts';
import { fail, ok, type Result } from './result.ts';

/** Country code of registers that serve every member state (e.g. the EU regulated professions database). */
export const EU_WIDE = 'EU';

/**
 * A public online register of professionals or service providers. Looking in it first
 * spares a request whose answer is already public.
 */
export interface RegisterEntry {
  id: string;
  /** ISO 3166-1 alpha-2, or "EU" for registers covering every member state. */
  country: string;
  /** Legislative areas whose requests the register can answer. */
  areas: string[];
  /** Name per language code; English plus the register's own language at least. */
  name: Record<string, string>;
  /** What the register holds, per language code. */
  description: Record<string, string>;
  url: string;
  /** Whether consulting it costs nothing (official extracts may still be charged). */
  free: boolean;
  /** The authority that keeps this entry current; null for entries shipped with the directory. */
  ownerAuthorityId: string | null;
  updatedAt: string | null;
}

export const MAX_REGISTER_TEXT = 1_000;

/** Only web addresses an official can open in a browser. */
export function isValidRegisterUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && /\.[a-z]{2,}$/i.test(url.hostname) && !url.username;
}

/** Checks an entry added or changed by an authority; the first problem wins. */
export function validateRegister(e: RegisterEntry, areas: AreaCatalog): Result<RegisterEntry> {
  if (!isValidId(e.id)) return fail('AUTHORITY.INVALID_ID', { id: e.id }, 'id');
  if (e.country !== EU_WIDE && !(COUNTRIES as readonly string[]).includes(e.country)) {
    return fail('AUTHORITY.INVALID_COUNTRY', { country: e.country }, 'country');
  }
  if (e.areas.length === 0) return fail('REGISTER.AREA_REQUIRED', {}, 'areas');
  const unknown = e.areas.find((a) => !areas.has(a));
  if (unknown) return fail('AUTHORITY.UNKNOWN_AREA', { area: unknown }, 'areas');
  const name = trimTexts(e.name);
  if (Object.keys(name).length === 0) return fail('REGISTER.NAME_REQUIRED', {}, 'name');
  const description = trimTexts(e.description);
  const badLang = [...Object.keys(name), ...Object.keys(description)].find((l) => !isValidLanguage(l));
  if (badLang) return fail('AUTHORITY.INVALID_LANGUAGE', { language: badLang }, 'lang');
  const tooLong = [...Object.values(name), ...Object.values(description)].some((t) => t.length > MAX_REGISTER_TEXT);
  if (tooLong) return fail('REQUEST.TEXT_TOO_LONG', { max: MAX_REGISTER_TEXT }, 'description');
  const url = e.url.trim();
  if (!isValidRegisterUrl(url)) return fail('REGISTER.INVALID_URL', { url: url.slice(0, 200) }, 'url');
  return ok({ ...e, url, name, description, areas: [...new Set(e.areas)] });
}

const trimTexts = (texts: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(texts).map(([l, t]) => [l, t.trim()]).filter(([, t]) => t));

/** The entry's name and description in a language, else English, else whatever it has. */
export function localized(e: RegisterEntry, lang: string): { name: string; description: string } {
  const pick = (texts: Record<string, string>) => texts[lang] ?? texts.en ?? Object.values(texts)[0] ?? '';
  return { name: pick(e.name), description: pick(e.description) };
}

/** A short id from a country and a name: ("HU", "Cégjegyzék") → "hu-cegjegyzek". */
export const registerIdFrom = (country: string, name: string): string =>
  `${country.toLowerCase()}-${foldAccents(name).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`.slice(0, 64).replace(/-+$/, '');

const words = (text: string): string[] => foldAccents(text).split(/[^a-z0-9]+/).filter(Boolean);

/** Everything a search word may match: names and descriptions in every language, country and areas. */
const searchableWords = (e: RegisterEntry): string[] => [
  ...Object.values(e.name).flatMap(words),
  ...Object.values(e.description).flatMap(words),
  ...e.areas.flatMap(words),
  foldAccents(e.country),
];

export interface RegisterQuery {
  text: string;
  country?: string;
  area?: string;
}

/**
 * Simple word search: a query word matches an entry when one of the entry's words begins with it
 * (so "orvos" finds "orvosok"), accents and case ignored. Words that match no entry at all
 * ("the", "der", "a") are ignored; an entry must match every remaining word. A word typed as an
 * upper-case country code (HU, DE) narrows to that country. Best matches first.
 */
export function searchRegisters(entries: readonly RegisterEntry[], query: RegisterQuery): RegisterEntry[] {
  let country = query.country?.toUpperCase();
  const raw = query.text.split(/\s+/).filter(Boolean);
  const terms: string[] = [];
  for (const w of raw) {
    if (/^[A-Z]{2}$/.test(w) && (w === EU_WIDE || (COUNTRIES as readonly string[]).includes(w))) country ??= w;
    else terms.push(...words(w).filter((t) => t.length >= 2));
  }
  const pool = entries.filter(
    (e) => (!country || e.country === country) && (!query.area || e.areas.includes(query.area)),
  );
  const indexed = pool.map((e) => ({ e, words: searchableWords(e), name: Object.values(e.name).flatMap(words) }));
  const matches = (ws: string[], t: string) => ws.some((w) => w.startsWith(t));
  const useful = terms.filter((t) => indexed.some((x) => matches(x.words, t)));
  if (useful.length === 0) return terms.length === 0 ? pool.slice() : [];
  return indexed
    .filter((x) => useful.every((t) => matches(x.words, t)))
    .map((x) => ({ e: x.e, score: useful.filter((t) => matches(x.name, t)).length }))
    .sort((a, b) => b.score - a.score || a.e.country.localeCompare(b.e.country) || a.e.id.localeCompare(b.e.id))
    .map((x) => x.e);
}

/**
 * Registers worth a look before writing a request to a country in an area: the country's own
 * first, then those covering every member state.
 */
export function suggestFor(entries: readonly RegisterEntry[], country: string, area: string, limit = 4): RegisterEntry[] {
  const cc = country.toUpperCase();
  const fits = (e: RegisterEntry) => e.areas.includes(area);
  const own = entries.filter((e) => e.country === cc && fits(e));
  const eu = cc === EU_WIDE ? [] : entries.filter((e) => e.country === EU_WIDE && fits(e));
  return [...own, ...eu].slice(0, limit);
}

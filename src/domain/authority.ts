import { DateTime } from 'luxon';
import { fail, ok, type Result } from './result.ts';
import type { AreaCatalog } from './area.ts';

/** A competent authority registered in the system. */
export interface Authority {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2, e.g. "HU". */
  country: string;
  /** Default language of its officials, a locale code like "hu". */
  language: string;
  /** IANA time zone, e.g. "Europe/Budapest". */
  timezone: string;
  areas: string[];
  /** The authority that coordinates this one (national or area coordinator), if any. */
  coordinatorId: string | null;
  contact: { email?: string; phone?: string; address?: string; helpdesk?: string };
  /** When a local admin last confirmed the data as current (ISO timestamp). */
  dataReviewedAt: string | null;
}

/** The EU and EEA countries the system connects. */
export const COUNTRIES = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT',
  'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK', 'IS', 'LI', 'NO',
] as const;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const isValidId = (id: string): boolean => ID_PATTERN.test(id);

export const isValidTimezone = (tz: string): boolean => DateTime.local().setZone(tz).isValid;

export const isValidLanguage = (lang: string): boolean => /^[a-z]{2,3}$/.test(lang);

/** Checks a new or changed authority against the reference data; the first problem wins. */
export function validateAuthority(a: Authority, areas: AreaCatalog): Result<Authority> {
  if (!isValidId(a.id)) return fail('AUTHORITY.INVALID_ID', { id: a.id }, 'id');
  if (!a.name.trim()) return fail('AUTHORITY.NAME_REQUIRED', {}, 'name');
  if (!(COUNTRIES as readonly string[]).includes(a.country)) {
    return fail('AUTHORITY.INVALID_COUNTRY', { country: a.country }, 'country');
  }
  if (!isValidLanguage(a.language)) return fail('AUTHORITY.INVALID_LANGUAGE', { language: a.language }, 'lang');
  if (!isValidTimezone(a.timezone)) return fail('AUTHORITY.INVALID_TIMEZONE', { timezone: a.timezone }, 'timezone');
  const unknown = a.areas.find((id) => !areas.has(id));
  if (unknown) return fail('AUTHORITY.UNKNOWN_AREA', { area: unknown }, 'areas');
  return ok({ ...a, name: a.name.trim() });
}

/** The usual time zone of a country, used when an authority is registered without one. */
export const DEFAULT_TIMEZONES: Record<string, string> = {
  AT: 'Europe/Vienna', BE: 'Europe/Brussels', BG: 'Europe/Sofia', CY: 'Asia/Nicosia', CZ: 'Europe/Prague',
  DE: 'Europe/Berlin', DK: 'Europe/Copenhagen', EE: 'Europe/Tallinn', ES: 'Europe/Madrid', FI: 'Europe/Helsinki',
  FR: 'Europe/Paris', GR: 'Europe/Athens', HR: 'Europe/Zagreb', HU: 'Europe/Budapest', IE: 'Europe/Dublin',
  IT: 'Europe/Rome', LT: 'Europe/Vilnius', LU: 'Europe/Luxembourg', LV: 'Europe/Riga', MT: 'Europe/Malta',
  NL: 'Europe/Amsterdam', PL: 'Europe/Warsaw', PT: 'Europe/Lisbon', RO: 'Europe/Bucharest', SE: 'Europe/Stockholm',
  SI: 'Europe/Ljubljana', SK: 'Europe/Bratislava', IS: 'Atlantic/Reykjavik', LI: 'Europe/Vaduz', NO: 'Europe/Oslo',
};

/** The usual official language of a country, used when an authority is registered without one. */
export const DEFAULT_LANGUAGES: Record<string, string> = {
  AT: 'de', BE: 'fr', BG: 'bg', CY: 'el', CZ: 'cs', DE: 'de', DK: 'da', EE: 'et', ES: 'es', FI: 'fi',
  FR: 'fr', GR: 'el', HR: 'hr', HU: 'hu', IE: 'en', IT: 'it', LT: 'lt', LU: 'fr', LV: 'lv', MT: 'mt',
  NL: 'nl', PL: 'pl', PT: 'pt', RO: 'ro', SE: 'sv', SI: 'sl', SK: 'sk', IS: 'is', LI: 'de', NO: 'no',
};

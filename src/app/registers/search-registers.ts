import { localized, searchRegisters as search, type RegisterEntry } from '../../domain/register.ts';
import type { AppDeps } from '../deps.ts';
import type { RegisterFilter } from '../ports/admin.repository.ts';

/** A register as shown to one user: the entry plus its name and description in their language. */
export interface RegisterHit {
  entry: RegisterEntry;
  name: string;
  description: string;
}

export const hitOf = (entry: RegisterEntry, lang: string): RegisterHit => ({ entry, ...localized(entry, lang) });

/** The directory, optionally of one country and/or area (exact country: EU-wide entries have country "EU"). */
export const listRegisters = (deps: AppDeps, filter: RegisterFilter = {}): Promise<RegisterEntry[]> =>
  deps.store.registers.list({ country: filter.country?.toUpperCase(), area: filter.area });

export interface RegisterSearch {
  /** What the user typed after "registers", in any language. */
  text: string;
  country?: string;
  area?: string;
  /** The user's language, for the names and descriptions returned. */
  lang?: string;
}

/**
 * `registers <words>`: accent-insensitive word search over names and descriptions in every
 * language, best matches first. Public data: no permission needed.
 */
export async function searchRegisters(deps: AppDeps, input: RegisterSearch): Promise<RegisterHit[]> {
  const entries = await deps.store.registers.list();
  return search(entries, { text: input.text, country: input.country, area: input.area }).map((e) => hitOf(e, input.lang ?? 'en'));
}

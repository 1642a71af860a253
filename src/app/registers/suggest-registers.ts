import { suggestFor } from '../../domain/register.ts';
import type { AppDeps } from '../deps.ts';
import { hitOf, type RegisterHit } from './search-registers.ts';

export interface SuggestRegisters {
  /** Country of the authority the request would go to. */
  country: string;
  area: string;
  lang?: string;
  limit?: number;
}

/**
 * Registers that may already hold the answer to a new request to a country in an area: the
 * bot shows them before the request is written. Empty when the directory knows none.
 */
export async function suggestRegisters(deps: AppDeps, input: SuggestRegisters): Promise<RegisterHit[]> {
  const entries = await deps.store.registers.list({ area: input.area });
  return suggestFor(entries, input.country, input.area, input.limit).map((e) => hitOf(e, input.lang ?? 'en'));
}

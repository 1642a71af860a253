import type { AppDeps } from './app/deps.ts';
import { systemClock, type Clock } from './app/ports/clock.ts';
import { createTranslator, type Translator } from './i18n/i18n.ts';
import { openStore } from './store/knex-store.ts';
import { loadAreas } from './store/reference-data.ts';
import { chooseTranslator } from './translation/choose-translator.ts';
import { eldDetector } from './translation/eld.detector.ts';

export interface Core {
  deps: AppDeps;
  i18n: Translator;
  close(): Promise<void>;
}

/** Opens the store and loads reference data and translations: what the server and the CLI share. */
export async function openCore(databaseUrl: string, clock: Clock = systemClock): Promise<Core> {
  const store = openStore(databaseUrl);
  const deps: AppDeps = { store, clock, areas: loadAreas(), translator: chooseTranslator(), detector: eldDetector };
  const i18n = await createTranslator();
  return { deps, i18n, close: () => store.close() };
}

import type { AppDeps } from './app/deps.ts';
import { systemClock, type Clock } from './app/ports/clock.ts';
import { createTranslator, type Translator } from './i18n/i18n.ts';
import { openStore } from './store/knex-store.ts';
import { loadAreas } from './store/reference-data.ts';
import { chooseTranslator } from './translation/choose-translator.ts';

export interface Core {
  deps: AppDeps;
  i18n: Translator;
  close(): Promise<void>;
}

/** Opens the store and loads reference data and translations: what the server and the CLI share. */
export async function openCore(databaseUrl: string, clock: Clock = systemClock): Promise<Core> {
  const store = openStore(databaseUrl);
  const translator = chooseTranslator();
  // Language detection serves machine translation; its n-gram tables are among the largest modules
  // the server would load at start-up, so they are loaded only when a translation service is configured.
  const detector = translator ? (await import('./translation/eld.detector.ts')).eldDetector : undefined;
  const deps: AppDeps = { store, clock, areas: loadAreas(), translator, ...(detector ? { detector } : {}) };
  const i18n = await createTranslator();
  return { deps, i18n, close: () => store.close() };
}

import type { AreaCatalog } from '../domain/area.ts';
import type { Clock } from './ports/clock.ts';
import type { Store } from './ports/repositories.ts';
import type { Channel } from '../domain/user.ts';
import type { LanguageDetector, MachineTranslator } from './ports/machine-translator.ts';

/** What every use case is given: the store, the clock and the reference data. */
export interface AppDeps {
  store: Store;
  clock: Clock;
  areas: AreaCatalog;
  /** Machine translation of free text; absent when no service is configured. */
  translator?: MachineTranslator | null;
  detector?: LanguageDetector;
}

/** Where an action came from, for the audit log. */
export type Origin = Channel | 'cli' | 'system';

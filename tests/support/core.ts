import { fixedClock, type Clock } from '../../src/app/ports/clock.ts';
import { openCore, type Core } from '../../src/wiring.ts';
import { tempDatabaseUrl } from './temp-db.ts';

/** A settable clock for tests that walk through time. */
export function settableClock(start: Date): Clock & { set(at: Date): void; advanceDays(days: number): void } {
  let now = start;
  return {
    now: () => now,
    set: (at) => {
      now = at;
    },
    advanceDays: (days) => {
      now = new Date(now.getTime() + days * 86_400_000);
    },
  };
}

/** The real core (store, reference data, translations) on a fresh, migrated sqlite file. */
export async function testCore(clock: Clock = fixedClock(new Date('2026-11-25T10:00:00Z'))): Promise<Core & { databaseUrl: string }> {
  const databaseUrl = tempDatabaseUrl();
  const core = await openCore(databaseUrl, clock);
  await core.deps.store.migrate();
  return { ...core, databaseUrl };
}

import { fixedClock, type Clock } from '../../src/app/ports/clock.ts';
import { openCore, type Core } from '../../src/wiring.ts';
import { createMigratedPostgresDatabase, freshDatabase, type Engine } from './databases.ts';

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

/**
 * The real core (store, reference data, translations) on a fresh, migrated database: a sqlite
 * file by default, or a new PostgreSQL database (dropped again on close). IMI_TEST_ENGINE=postgres
 * makes PostgreSQL the default, to run any store-backed test file on it by hand.
 */
export async function testCore(
  clock: Clock = fixedClock(new Date('2026-11-25T10:00:00Z')),
  engine: Engine = process.env.IMI_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite',
): Promise<Core & { databaseUrl: string; engine: Engine }> {
  // PostgreSQL: a copy of a migrated template; migrating each test's database would take longer than most tests.
  const database = engine === 'postgres' ? await createMigratedPostgresDatabase() : await freshDatabase(engine);
  const core = await openCore(database.url, clock);
  await core.deps.store.migrate();
  return {
    ...core,
    databaseUrl: database.url,
    engine,
    close: async () => {
      await core.close();
      await database.drop();
    },
  };
}

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAuthority } from '../../src/app/people/register-authority.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import type { Authority } from '../../src/domain/authority.ts';
import { startLeadership } from '../../src/jobs/leadership.ts';
import { connectionConfig, openStore } from '../../src/store/knex-store.ts';
import { openCore, type Core } from '../../src/wiring.ts';
import { settableClock, testCore } from '../support/core.ts';
import { closeDatabases, createPostgresDatabase, testEngines, type Engine } from '../support/databases.ts';

/*
 * What several instances on one database rely on, checked against the real engines: leader
 * leases, outbox claims that never hand a row to two workers, portable counts, the database
 * status /healthz shows, and on PostgreSQL deadlock retries, statement timeouts and migrations
 * started by several instances at once.
 */

const T0 = new Date('2026-11-30T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const SYSTEM = { id: 'test', origin: 'system' as const };

const engines = await testEngines();
afterAll(closeDatabases);

describe.each(engines)('many instances on %s', (engine: Engine) => {
  let core: Awaited<ReturnType<typeof testCore>>;
  let clock: ReturnType<typeof settableClock>;
  const others: Core[] = [];
  /** A second instance: its own connection pool on the same database. */
  const another = async () => {
    const c = await openCore(core.databaseUrl, clock);
    others.push(c);
    return c;
  };

  beforeEach(async () => {
    clock = settableClock(T0);
    core = await testCore(clock, engine);
  });
  afterEach(async () => {
    for (const c of others.splice(0)) await c.close();
    await core.close();
  });

  describe('the leader lease', () => {
    it('is held by one holder until it lapses or is given up, and renewals keep its start', async () => {
      const leases = core.deps.store.leases;
      expect(await leases.current('jobs')).toBeNull();
      expect(await leases.acquire('jobs', 'a', T0, at(30_000))).toBe(true);
      expect(await leases.acquire('jobs', 'b', at(1_000), at(31_000))).toBe(false);
      expect(await leases.acquire('jobs', 'a', at(10_000), at(40_000))).toBe(true);
      expect(await leases.current('jobs')).toEqual({ name: 'jobs', holder: 'a', since: T0.toISOString(), expiresAt: at(40_000).toISOString() });
      // Renewed until 40 s: still a's at 39 s, b's from 40 s on.
      expect(await leases.acquire('jobs', 'b', at(39_000), at(69_000))).toBe(false);
      expect(await leases.acquire('jobs', 'b', at(40_000), at(70_000))).toBe(true);
      expect(await leases.current('jobs')).toMatchObject({ holder: 'b', since: at(40_000).toISOString() });
      expect(await leases.acquire('jobs', 'a', at(41_000), at(71_000))).toBe(false);
      // Given up: taken at once by the next one who asks.
      await leases.release('jobs', 'b', at(42_000));
      expect(await leases.acquire('jobs', 'a', at(42_000), at(72_000))).toBe(true);
      // Another lease name is another lease.
      expect(await leases.acquire('other', 'b', at(42_000), at(72_000))).toBe(true);
    });

    it('goes to exactly one of several instances asking at the same moment', async () => {
      const stores = [core.deps.store, (await another()).deps.store, (await another()).deps.store];
      for (let round = 0; round < 10; round++) {
        const now = at(round * 60_000);
        const won = await Promise.all(stores.map((s, i) => s.leases.acquire('race', `i${i}`, now, at(round * 60_000 + 30_000))));
        expect(won.filter(Boolean)).toHaveLength(1);
        const winner = `i${won.indexOf(true)}`;
        expect((await core.deps.store.leases.current('race'))!.holder).toBe(winner);
      }
    });

    it('elects one leader among running instances, and hands over when the leader stops', async () => {
      const lines: string[] = [];
      const log = (line: string) => lines.push(line);
      const second = await another();
      const a = startLeadership(core.deps, { holder: 'a', ttlMs: 30_000, log });
      const b = startLeadership(second.deps, { holder: 'b', ttlMs: 30_000, log });
      try {
        const first = await Promise.all([a.leads(), b.leads()]);
        expect(first.filter(Boolean)).toHaveLength(1);
        const [leader, follower] = first[0] ? [a, b] : [b, a];
        expect((await core.deps.store.leases.current('scheduled-jobs'))!.holder).toBe(leader.holder);
        await leader.stop();
        expect(leader.leading()).toBe(false);
        expect(await follower.leads()).toBe(true);
        expect(lines).toContain(`imi-bot: this instance (${follower.holder}) now leads the scheduled jobs`);
      } finally {
        await a.stop();
        await b.stop();
      }
    });

    it('stops counting itself leader before its lease can pass to anyone else', async () => {
      const second = await another();
      const a = startLeadership(core.deps, { holder: 'a', ttlMs: 30_000, log: () => {} });
      const b = startLeadership(second.deps, { holder: 'b', ttlMs: 30_000, log: () => {} });
      try {
        expect(await a.leads()).toBe(true);
        // a's process stalls (no renewal) while the clock moves on: it gives up leading after
        // two thirds of the lease, b may only take over once the whole lease has lapsed.
        clock.set(at(21_000));
        expect(a.leading()).toBe(false);
        expect(await b.leads()).toBe(false);
        clock.set(at(30_000));
        expect(await b.leads()).toBe(true);
        expect(await a.leads()).toBe(false);
      } finally {
        await a.stop();
        await b.stop();
      }
    });
  });

  describe('outbox delivery shared by instances', () => {
    it('never hands one notification to two workers claiming at once', async () => {
      const stores: Store[] = [core.deps.store, (await another()).deps.store, (await another()).deps.store];
      for (let i = 0; i < 120; i++) {
        await core.deps.store.outbox.add({ key: `n${i}`, recipientId: 'x', kind: 'request.sent', requestId: null, params: {}, createdAt: T0.toISOString() });
      }
      const claimed: number[][] = stores.map(() => []);
      await Promise.all(
        stores.map(async (s, i) => {
          for (;;) {
            const rows = await s.outbox.claim(at(1_000), 7, at(121_000));
            if (rows.length === 0) return;
            claimed[i]!.push(...rows.map((r) => r.id));
          }
        }),
      );
      const all = claimed.flat();
      expect(all).toHaveLength(120);
      expect(new Set(all).size).toBe(120);
      // Claimed rows are leased: invisible until the lease runs out, then back for a retry.
      expect(await core.deps.store.outbox.claim(at(120_000), 500, at(240_000))).toEqual([]);
      expect(await core.deps.store.outbox.claim(at(121_000), 500, at(241_000))).toHaveLength(120);
    });

    it('reports its backlog as numbers on every engine', async () => {
      expect(await core.deps.store.outbox.backlog()).toEqual({ pending: 0, failed: 0 });
      for (const key of ['a', 'b', 'c']) {
        await core.deps.store.outbox.add({ key, recipientId: 'x', kind: 'request.sent', requestId: null, params: {}, createdAt: T0.toISOString() });
      }
      const [first] = await core.deps.store.outbox.list();
      await core.deps.store.outbox.markAttemptFailed(first!.id, 'gone', null);
      expect(await core.deps.store.outbox.backlog()).toEqual({ pending: 2, failed: 1 });
    });
  });

  it('tells /healthz its engine and latest migration', async () => {
    const status = await core.deps.store.status();
    expect(status.engine).toBe(engine);
    expect(status.migration).toMatch(/^\d{3}-[a-z-]+$/);
  });

  it.runIf(engine === 'postgres')('runs a transaction PostgreSQL ended in a deadlock again, so both sides succeed', async () => {
    const authority = (id: string): Authority => ({
      id, name: id, country: 'HU', language: 'hu', timezone: 'Europe/Budapest', areas: [], coordinatorId: null, contact: {}, dataReviewedAt: null,
    });
    for (const id of ['x', 'y']) expect((await addAuthority(core.deps, authority(id), SYSTEM)).ok).toBe(true);
    const second = await another();
    // Each transaction locks one row, waits until the other has locked its row too, then asks for
    // the other's: PostgreSQL ends one of them with 40P01, and the store runs that one again.
    let locked = 0;
    let release!: () => void;
    const bothLocked = new Promise<void>((r) => (release = r));
    const attempts = { first: 0, second: 0 };
    const swap = (store: Store, mine: string, theirs: string, which: 'first' | 'second') =>
      store.transaction(async (tx) => {
        attempts[which]++;
        await tx.authorities.update({ ...authority(mine), name: `${mine} by ${which}` });
        if (attempts[which] === 1 && ++locked === 2) release();
        if (attempts[which] === 1) await bothLocked;
        await tx.authorities.update({ ...authority(theirs), name: `${theirs} by ${which}` });
      });
    await Promise.all([swap(core.deps.store, 'x', 'y', 'first'), swap(second.deps.store, 'y', 'x', 'second')]);
    expect(attempts.first + attempts.second).toBe(3);
    const names = [(await core.deps.store.authorities.get('x'))!.name, (await core.deps.store.authorities.get('y'))!.name];
    // The transaction run again committed last, so both rows carry its name.
    const lastOne = attempts.first === 2 ? 'first' : 'second';
    expect(names).toEqual([`x by ${lastOne}`, `y by ${lastOne}`]);
  });

  it.runIf(engine === 'postgres')('ends a statement that runs past DATABASE_STATEMENT_TIMEOUT_MS', async () => {
    const store = openStore(core.databaseUrl, { DATABASE_STATEMENT_TIMEOUT_MS: '200' });
    try {
      await expect(store.db.raw('select pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      // The connection stays usable for the next statement.
      expect((await store.db.raw('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await store.close();
    }
  });
});

describe('PostgreSQL settings', () => {
  const url = 'postgres://imi@127.0.0.1:5432/imi';

  it('pools at most DATABASE_POOL_MAX connections per instance, 10 by default, none kept idle', () => {
    expect(connectionConfig(url, {}).pool).toMatchObject({ min: 0, max: 10 });
    expect(connectionConfig(url, { DATABASE_POOL_MAX: '4' }).pool).toMatchObject({ min: 0, max: 4 });
  });

  it('names the variable when a setting is not a valid number', () => {
    expect(() => connectionConfig(url, { DATABASE_POOL_MAX: 'lots' })).toThrow(/DATABASE_POOL_MAX="lots" is not valid/);
    expect(() => connectionConfig(url, { DATABASE_POOL_MAX: '0' })).toThrow(/DATABASE_POOL_MAX/);
    expect(() => connectionConfig(url, { DATABASE_STATEMENT_TIMEOUT_MS: '-1' })).toThrow(/DATABASE_STATEMENT_TIMEOUT_MS="-1" is not valid/);
  });

  it.runIf(engines.includes('postgres'))('lets instances started together on a new database migrate it once', async () => {
    const database = await createPostgresDatabase();
    const stores = [openStore(database.url), openStore(database.url), openStore(database.url)];
    try {
      const applied = await Promise.all(stores.map((s) => s.migrate()));
      const total = (await stores[0]!.db('knex_migrations').count({ n: '*' }))[0]!.n;
      expect(applied.reduce((a, b) => a + b, 0)).toBe(Number(total));
      expect(applied.filter((n) => n > 0)).toHaveLength(1);
      expect(await Promise.all(stores.map((s) => s.migrate()))).toEqual([0, 0, 0]);
    } finally {
      for (const s of stores) await s.close();
      await database.drop();
    }
  });
});


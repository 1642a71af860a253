import type { Knex } from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { openStore } from '../../src/store/knex-store.ts';
import { testCore } from '../support/core.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { tempDatabaseUrl } from '../support/temp-db.ts';

/*
 * `npm start` loads the demo dataset into an empty database. A load that breaks off midway must
 * leave nothing behind: the next start checks only whether the database is empty, and would
 * otherwise take a partial demo for a loaded one. The break is a real fault inside the database
 * (a trigger refusing the sixth request), after authorities, users and five requests were written.
 */

const TABLES = ['authorities', 'users', 'user_identities', 'requests', 'request_history', 'outbox', 'audit_log', 'sequences'];

async function counts(db: Knex): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await db(t).count({ n: '*' }))[0]!.n);
  return out;
}

/** What a loaded demo request is, whatever day it was loaded on: ids and dates left out. */
async function demoShape(store: Store) {
  const rows = [];
  for (const r of await store.requests.list({})) {
    const history = (await store.history.of(r.id)).map((e) => `${e.type}:${e.actorId}`);
    rows.push(JSON.stringify([r.area, r.status, r.requesterAuthorityId, r.responderAuthorityId, r.subjectName, r.freeText, history]));
  }
  return {
    authorities: (await store.authorities.list()).map((a) => a.id).sort(),
    users: (await store.users.list()).map((u) => u.id).sort(),
    requests: rows.sort(),
  };
}

describe('npm start: the demo dataset loads all or nothing', () => {
  const databaseUrl = tempDatabaseUrl('demo-load');
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('leaves an empty database when the load fails midway, and the next start loads the whole demo', async () => {
    const data = loadDemoData();
    expect(data.requests.length).toBeGreaterThan(5);
    const store = openStore(databaseUrl);
    try {
      await store.migrate();
      await store.db.raw(
        `CREATE TRIGGER demo_crash BEFORE INSERT ON requests WHEN (SELECT count(*) FROM requests) >= 5 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
      );
    } finally {
      await store.close();
    }

    // The broken load stops the start: an empty demo database is no use, and nothing was kept.
    await expect(startServer({ DATABASE_URL: databaseUrl })).rejects.toThrow(/exited with 1[\s\S]*cannot start[\s\S]*disk on fire/);
    const afterCrash = openStore(databaseUrl);
    try {
      expect(await counts(afterCrash.db)).toEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));
      await afterCrash.db.raw('DROP TRIGGER demo_crash');
    } finally {
      await afterCrash.close();
    }

    server = await startServer({ DATABASE_URL: databaseUrl });
    expect(server.output()).toContain(
      `loaded the demo dataset (${data.authorities.length} authorities, ${data.users.length} users, ${data.requests.length} requests)`,
    );
    await server.stop();

    // The same demo as a load that never broke off: every request with its whole history.
    const reference = await testCore();
    const loaded = openStore(databaseUrl);
    try {
      await loadDemo(reference.deps, data);
      const expected = await demoShape(reference.deps.store);
      expect(expected.requests).toHaveLength(data.requests.length);
      expect(await demoShape(loaded)).toEqual(expected);
    } finally {
      await loaded.close();
      await reference.close();
    }
  }, 180_000);
});

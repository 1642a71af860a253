import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import { createConversation } from '../../src/conversation/engine.ts';
import { turnStore } from '../../src/conversation/turn-store.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { openStore } from '../../src/store/knex-store.ts';
import { helpdeskDeps, trainingDeps } from '../../src/helpdesk-wiring.ts';
import type { Core } from '../../src/wiring.ts';
import { fixedClock } from '../../src/app/ports/clock.ts';
import { testCore } from '../support/core.ts';

/** The turn's own reads answered from memory, the database asked once; writes seen at once. */
describe('the store of one turn', () => {
  let core: Core & { databaseUrl: string; engine: string };
  let store: Store & { db: Knex };
  let queries: string[] = [];

  beforeAll(async () => {
    core = await testCore();
    await loadDemo(core.deps, loadDemoData());
    store = core.deps.store as Store & { db: Knex };
    store.db.on('query', (q: { sql: string }) => queries.push(q.sql));
  });
  afterAll(async () => {
    await core?.close();
  });
  beforeEach(() => {
    queries = [];
  });

  it('reads the same user, authority and onboarding state once per turn', async () => {
    const turn = turnStore(store);
    const user = await turn.users.get('peter.szabo');
    expect(await turn.users.get('peter.szabo')).toBe(user);
    const [a, b] = await Promise.all([turn.authorities.get(user!.authorityId), turn.authorities.get(user!.authorityId)]);
    expect(a).toBe(b);
    expect(await turn.authorities.list()).toBe(await turn.authorities.list());
    expect(await turn.onboarding.state('peter.szabo')).toBe(await turn.onboarding.state('peter.szabo'));
    expect(queries).toHaveLength(4);
    // Another turn asks again.
    await turnStore(store).users.get('peter.szabo');
    expect(queries).toHaveLength(5);
  });

  it('answers for the speaker it was told about without a query', async () => {
    const speaker = (await store.users.get('anna.kovacs'))!;
    queries = [];
    const turn = turnStore(store);
    turn.rememberUser(speaker);
    expect(await turn.users.get('anna.kovacs')).toBe(speaker);
    expect(queries).toEqual([]);
  });

  it('sees its own writes: a write forgets what it may change, an unknown one or a transaction forgets everything', async () => {
    const turn = turnStore(store);
    expect((await turn.users.get('peter.szabo'))!.language).not.toBe('fr');
    await turn.users.setLanguage('peter.szabo', 'fr');
    expect((await turn.users.get('peter.szabo'))!.language).toBe('fr');

    const state = await turn.onboarding.state('peter.szabo');
    await turn.onboarding.saveState({ ...state, partnersViewedAt: '2026-11-25T10:00:00.000Z' });
    expect((await turn.onboarding.state('peter.szabo')).partnersViewedAt).toBe('2026-11-25T10:00:00.000Z');

    const authority = (await turn.authorities.get('hu-enkk'))!;
    await turn.authorities.update({ ...authority, name: 'Renamed office' });
    expect((await turn.authorities.get('hu-enkk'))!.name).toBe('Renamed office');
    await turn.transaction((tx) => tx.authorities.update(authority));
    expect((await turn.authorities.get('hu-enkk'))!.name).toBe(authority.name);
    await store.users.setLanguage('peter.szabo', 'hu');
  });

  it('keeps the onboarding state when the bot merely notes it met the user', async () => {
    const turn = turnStore(store);
    await turn.onboarding.state('eva.nagy');
    await turn.onboarding.markSeen('eva.nagy');
    queries = [];
    await turn.onboarding.state('eva.nagy');
    expect(queries).toEqual([]);
  });

  it('passes everything else through to the store', async () => {
    const turn = turnStore(store);
    expect((await turn.requests.get('IMI-2026-000003'))?.id).toBe('IMI-2026-000003');
    await expect(turn.ping()).resolves.toBeUndefined();
    expect((await turn.status()).engine).toBe(core.engine);
  });

  it('makes an inbox turn ask the database for the speaker and their authority once each', async () => {
    const conversation = createConversation({ app: core.deps, i18n: core.i18n, helpdesk: helpdeskDeps(core), training: trainingDeps(core) });
    const turn = { channel: 'web' as const, externalId: 'peter.szabo', text: 'inbox' };
    await conversation.handle(turn);
    queries = [];
    const reply = await conversation.handle(turn);
    expect(reply.blocks.some((b) => b.kind === 'list')).toBe(true);
    // Identifiers are quoted `so` in sqlite and "so" in PostgreSQL.
    expect(queries.filter((q) => /from .authorities. where .id./.test(q))).toHaveLength(1);
    expect(queries.filter((q) => /from .users./.test(q))).toHaveLength(1);
    expect(queries.filter((q) => /from .user_onboarding./.test(q))).toHaveLength(1);
  });
});

/** Reads reuse prepared statements per connection, and still see every write at once. */
describe('prepared reads on sqlite', () => {
  let core: Core & { databaseUrl: string };

  beforeAll(async () => {
    core = await testCore(fixedClock(new Date('2026-11-25T10:00:00Z')), 'sqlite');
    await loadDemo(core.deps, loadDemoData());
  });
  afterAll(async () => {
    await core?.close();
  });

  it('see writes of this and of another connection to the same file', async () => {
    const other = openStore(core.databaseUrl);
    try {
      const users = core.deps.store.users;
      expect((await users.get('peter.szabo'))!.language).toBe('hu');
      await other.users.setLanguage('peter.szabo', 'de');
      expect((await users.get('peter.szabo'))!.language).toBe('de');
      await users.setLanguage('peter.szabo', 'fr');
      expect((await users.get('peter.szabo'))!.language).toBe('fr');
      expect((await other.users.get('peter.szabo'))!.language).toBe('fr');
    } finally {
      await other.close();
    }
  });

  it('answers a read that fails with sqlite’s error, and goes on answering', async () => {
    const db = (core.deps.store as Store & { db: Knex }).db;
    await expect(db('no_such_table').select('*')).rejects.toThrow(/no such table/);
    await expect(db('no_such_table').select('*')).rejects.toThrow(/no such table/);
    expect((await core.deps.store.requests.get('IMI-2026-000003'))?.id).toBe('IMI-2026-000003');
  });

  it('keeps a bounded number of statements and closes cleanly with many distinct reads done', async () => {
    const store = openStore(core.databaseUrl);
    for (let n = 1; n <= 300; n++) {
      const ids = Array.from({ length: n }, (_, i) => `nobody-${i}`);
      expect(await store.db('users').whereIn('id', ids).select('id')).toEqual([]);
    }
    await expect(store.close()).resolves.toBeUndefined();
  });
});

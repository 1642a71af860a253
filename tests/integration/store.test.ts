import type { Knex } from 'knex';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import { addAuthority } from '../../src/app/people/register-authority.ts';
import { addUser } from '../../src/app/people/register-user.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import { actOnRequest, type ActionInput } from '../../src/app/requests/act-on-request.ts';
import { createDraft } from '../../src/app/requests/create-draft.ts';
import { inbox } from '../../src/app/requests/inbox.ts';
import { viewRequest } from '../../src/app/requests/view-request.ts';
import type { Authority } from '../../src/domain/authority.ts';
import type { HistoryEvent, Request } from '../../src/domain/request.ts';
import type { User } from '../../src/domain/user.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { openCore, type Core } from '../../src/wiring.ts';
import { settableClock, testCore } from '../support/core.ts';
import { closeDatabases, testEngines, type Engine } from '../support/databases.ts';

const PQ = 'professional-qualifications';
const SYSTEM = { id: 'test', origin: 'system' as const };
const START = new Date('2026-11-25T10:00:00Z');

let core: Core & { databaseUrl: string; engine: Engine };
let clock: ReturnType<typeof settableClock>;
const extra: Core[] = [];

const dbOf = (c: Core): Knex => (c.deps.store as Store & { db: Knex }).db;
const engine = (): Engine => core.engine;

/** Two authorities of different countries, each with two handlers, and a requester-side clerk without the role. */
async function seedPeople(): Promise<void> {
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }) => {
    if (!r.ok) throw new Error(r.error.code);
    return r.value;
  };
  must(await addAuthority(core.deps, { id: 'hu-a', name: 'HU authority', country: 'HU', areas: [PQ] }, SYSTEM));
  must(await addAuthority(core.deps, { id: 'de-b', name: 'DE authority', country: 'DE', areas: [PQ] }, SYSTEM));
  for (const [id, authorityId] of [['hu.one', 'hu-a'], ['hu.two', 'hu-a'], ['de.one', 'de-b'], ['de.two', 'de-b']] as const) {
    must(await addUser(core.deps, { id, authorityId, name: id, roles: ['handler'], areas: [PQ] }, SYSTEM));
  }
  must(await addUser(core.deps, { id: 'hu.clerk', authorityId: 'hu-a', name: 'Clerk', roles: ['local_admin'], areas: [] }, SYSTEM));
}

async function act(actorId: string, requestId: string, action: ActionInput, expectedVersion?: number, on: Core = core) {
  return actOnRequest(on.deps, { actorId, requestId, action, expectedVersion, origin: 'system' });
}

/** A complete draft from hu-a to de-b, ready to send. */
async function readyDraft(): Promise<Request> {
  const made = await createDraft(core.deps, { actorId: 'hu.one', area: PQ, origin: 'web' });
  if (!made.ok) throw new Error(made.error.code);
  const changes = {
    responderAuthorityId: 'de-b',
    questions: ['pq-legally-established'],
    freeText: 'Is the diploma genuine?',
    subjectName: 'Dr. Example Person',
    requestedDeadline: '2026-12-18',
  };
  const edited = await act('hu.one', made.value.id, { type: 'update_draft', changes });
  if (!edited.ok) throw new Error(edited.error.code);
  return edited.value.request;
}

/** Makes every insert into `table` fail with "boom", in the engine's own trigger language. */
async function failInserts(db: Knex, table: string): Promise<void> {
  if (engine() === 'sqlite') {
    await db.raw(`CREATE TRIGGER boom BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    return;
  }
  await db.raw(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$`);
  await db.raw(`CREATE TRIGGER boom BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION boom()`);
}

async function acceptInserts(db: Knex, table: string): Promise<void> {
  if (engine() === 'sqlite') {
    await db.raw('DROP TRIGGER boom');
    return;
  }
  await db.raw(`DROP TRIGGER boom ON ${table}`);
  await db.raw('DROP FUNCTION boom()');
}

/** Everything a use case may have written about a request. */
async function snapshot(id: string) {
  const s = core.deps.store;
  return {
    request: await s.requests.get(id),
    history: await s.history.of(id),
    outbox: await s.outbox.list(),
    audit: await s.audit.list(),
  };
}

// Every test runs on each engine: sqlite, and PostgreSQL when a server is reachable (tests/support/databases.ts).
const engines = await testEngines();
afterAll(closeDatabases);

describe.each(engines)('store on %s', (engine) => {
  beforeEach(async () => {
    clock = settableClock(START);
    core = await testCore(clock, engine);
  });

  afterEach(async () => {
    for (const c of extra.splice(0)) await c.close();
    await core.close();
  });

  describe('repositories round-trip', () => {
    it('authorities', async () => {
      const a: Authority = {
        id: 'fr-x',
        name: 'Ordre X',
        country: 'FR',
        language: 'fr',
        timezone: 'Europe/Paris',
        areas: [PQ, 'services'],
        coordinatorId: null,
        contact: { email: 'x@example.org', phone: '+33 1 00 00 00 00', helpdesk: 'helpdesk@example.org' },
        dataReviewedAt: '2026-01-05T08:00:00.000Z',
      };
      await core.deps.store.authorities.insert(a);
      expect(await core.deps.store.authorities.get('fr-x')).toEqual(a);
      const changed = { ...a, name: 'Ordre Y', areas: ['services'], coordinatorId: 'fr-x', dataReviewedAt: null };
      await core.deps.store.authorities.update(changed);
      expect(await core.deps.store.authorities.get('fr-x')).toEqual(changed);
      expect(await core.deps.store.authorities.get('nope')).toBeNull();
    });

    it('users with their identities', async () => {
      await seedPeople();
      const u: User = {
        id: 'hu.three',
        authorityId: 'hu-a',
        name: 'Három',
        language: 'hu',
        roles: ['handler', 'local_admin'],
        areas: [PQ],
        identities: [
          { channel: 'slack', externalId: 'T01:U03' },
          { channel: 'teams', externalId: 'aaaa-1:bbbb-2' },
          { channel: 'web', externalId: 'hu.three' },
        ],
        active: true,
      };
      const users = core.deps.store.users;
      await users.insert(u);
      expect(await users.get(u.id)).toEqual(u);
      expect(await users.byIdentity({ channel: 'slack', externalId: 'T01:U03' })).toEqual(u);
      const moved = { ...u, identities: [{ channel: 'web' as const, externalId: 'hu.three' }], language: null };
      await users.update(moved);
      expect(await users.get(u.id)).toEqual(moved);
      expect(await users.byIdentity({ channel: 'slack', externalId: 'T01:U03' })).toBeNull();
      await users.setLanguage(u.id, 'de');
      expect((await users.get(u.id))!.language).toBe('de');
      await users.update({ ...moved, active: false });
      expect((await users.get(u.id))!.active).toBe(false);
      expect(await users.byIdentity({ channel: 'web', externalId: 'hu.three' })).toBeNull();
      expect((await users.ofAuthority('hu-a')).map((x) => x.id)).not.toContain(u.id);
    });

    it('requests with every field, history, outbox and audit', async () => {
      await seedPeople();
      const r: Request = {
        id: 'IMI-2026-000777',
        area: PQ,
        requesterAuthorityId: 'hu-a',
        responderAuthorityId: 'de-b',
        createdBy: 'hu.one',
        questions: ['pq-legally-established', 'pq-diploma-authentic'],
        freeText: 'Árvíztűrő tükörfúrógép — “quotes” and emoji ✓',
        freeTextLang: 'hu',
        subjectName: 'Dr. Példa Levente',
        requestedDeadline: '2026-12-18',
        proposedDeadline: { date: '2026-12-30', reason: 'holidays', by: 'de.one' },
        agreedDeadline: '2026-12-30',
        status: 'further_info_requested',
        answers: [{ at: '2026-11-20T10:00:00.000Z', by: 'de.one', lang: 'de', items: { 'pq-legally-established': 'Ja', free: 'Siehe Anlage' } }],
        infoRequests: [{ at: '2026-11-21T10:00:00.000Z', by: 'hu.one', lang: 'hu', message: 'Mióta?' }],
        referral: { reason: 'disagreement', by: 'hu.one', at: '2026-11-22T10:00:00.000Z' },
        training: true,
        version: 7,
        createdAt: '2026-11-01T10:00:00.000Z',
        updatedAt: '2026-11-22T10:00:00.000Z',
        sentAt: '2026-11-02T10:00:00.000Z',
        acceptedAt: '2026-11-03T10:00:00.000Z',
        answeredAt: '2026-11-20T10:00:00.000Z',
        closedAt: null,
      };
      const s = core.deps.store;
      await s.requests.insert(r);
      expect(await s.requests.get(r.id)).toEqual(r);
      expect((await s.requests.list({ authorityId: 'de-b' })).map((x) => x.id)).toEqual([r.id]);
      expect(await s.requests.list({ authorityId: 'de-b', training: false })).toEqual([]);
      expect(await s.requests.list({ statuses: ['sent'] })).toEqual([]);
      expect(await s.requests.list({ statuses: ['further_info_requested'], training: true })).toEqual([r]);

      const events: HistoryEvent[] = [
        { requestId: r.id, type: 'created', actorId: 'hu.one', at: '2026-11-01T10:00:00.000Z', details: { area: PQ } },
        { requestId: r.id, type: 'sent', actorId: 'hu.one', at: '2026-11-02T10:00:00.000Z', details: { responder: 'de-b', deadline: null } },
      ];
      for (const e of events) await s.history.append(e);
      expect(await s.history.of(r.id)).toEqual(events);

      const n = { key: 'k1', recipientId: 'de.one', kind: 'request.sent', requestId: r.id, params: { actor: 'hu.one', round: 1 }, createdAt: START.toISOString() };
      expect(await s.outbox.add(n)).toBe(true);
      expect(await s.outbox.add({ ...n, recipientId: 'de.two' })).toBe(false);
      const [row] = await s.outbox.list('pending');
      expect(row).toMatchObject({ ...n, status: 'pending', attempts: 0, nextAttemptAt: n.createdAt, lastError: null, channel: null, deliveredAt: null });
      const claimed = await s.outbox.claim(START, 10, new Date(START.getTime() + 60_000));
      expect(claimed.map((c) => c.id)).toEqual([row!.id]);
      expect(await s.outbox.claim(START, 10, new Date(START.getTime() + 60_000))).toEqual([]);
      await s.outbox.markAttemptFailed(row!.id, 'HTTP 503', new Date(START.getTime() + 120_000));
      expect((await s.outbox.list('pending'))[0]).toMatchObject({ attempts: 1, lastError: 'HTTP 503' });
      await s.outbox.markDelivered(row!.id, START, 'slack');
      expect((await s.outbox.list('delivered'))[0]).toMatchObject({ id: row!.id, channel: 'slack', deliveredAt: START.toISOString() });

      const entry = { at: START.toISOString(), actorId: 'cli', channel: 'cli' as const, action: 'user.add', target: 'x', details: { ok: true, n: 1, none: null } };
      await s.audit.append(entry);
      await s.audit.append({ ...entry, target: 'y' });
      expect((await s.audit.list()).map((e) => e.target).slice(0, 2)).toEqual(['y', 'x']);
      expect((await s.audit.list())[1]).toEqual(entry);
    });
  });

  describe('a use case writes state, history and outbox all or nothing', () => {
    it.each(['request_history', 'outbox', 'audit_log'])('a failure inserting into %s leaves nothing half-written', async (table) => {
      await seedPeople();
      const draft = await readyDraft();
      const before = await snapshot(draft.id);
      const db = dbOf(core);
      await failInserts(db, table);

      await expect(act('hu.one', draft.id, { type: 'send' })).rejects.toThrow(/boom/);
      expect(await snapshot(draft.id)).toEqual(before);

      // The same action goes through once the database accepts writes again, and writes all of it.
      await acceptInserts(db, table);
      const sent = await act('hu.one', draft.id, { type: 'send' });
      expect(sent.ok).toBe(true);
      const after = await snapshot(draft.id);
      expect(after.request!.status).toBe('sent');
      expect(after.history.map((e) => e.type)).toEqual([...before.history.map((e) => e.type), 'sent']);
      expect(after.outbox.filter((n) => n.requestId === draft.id).map((n) => n.recipientId).sort()).toEqual(['de.one', 'de.two']);
      expect(after.audit.length).toBe(before.audit.length + 1);
    });

    it('a refused action writes nothing either', async () => {
      await seedPeople();
      const draft = await readyDraft();
      const before = await snapshot(draft.id);
      const refused = await act('de.one', draft.id, { type: 'accept' });
      expect(!refused.ok && refused.error.code).toBe('REQUEST.NOT_YOUR_AUTHORITY');
      expect(await snapshot(draft.id)).toEqual(before);
    });
  });

  describe('optimistic concurrency', () => {
    it('the repository saves only over the expected version', async () => {
      await seedPeople();
      const draft = await readyDraft();
      const s = core.deps.store;
      const first = { ...draft, freeText: 'first', version: draft.version + 1 };
      const second = { ...draft, freeText: 'second', version: draft.version + 1 };
      expect(await s.requests.update(first, draft.version)).toBe(true);
      expect(await s.requests.update(second, draft.version)).toBe(false);
      expect((await s.requests.get(draft.id))!.freeText).toBe('first');
    });

    it('two handlers acting on the same version: one wins, the other gets REQUEST.STALE', async () => {
      await seedPeople();
      const draft = await readyDraft();
      const sent = await act('hu.one', draft.id, { type: 'send' });
      if (!sent.ok) throw new Error(sent.error.code);
      const v = sent.value.request.version;
      const results = await Promise.all([
        act('de.one', draft.id, { type: 'accept' }, v),
        act('de.two', draft.id, { type: 'propose_deadline', date: '2027-01-15', reason: 'Archive.' }, v),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const loser = results.find((r) => !r.ok);
      expect(loser && !loser.ok && loser.error.code).toBe('REQUEST.STALE');
      const history = await core.deps.store.history.of(draft.id);
      expect(history.filter((e) => e.type === 'accepted' || e.type === 'deadline_proposed')).toHaveLength(1);
      expect((await core.deps.store.requests.get(draft.id))!.version).toBe(v + 1);
    });

    it('holds across two processes’ connections to the same database file', async () => {
      await seedPeople();
      const draft = await readyDraft();
      const other = await openCore(core.databaseUrl, clock);
      extra.push(other);
      const v = draft.version;
      const results = await Promise.all([
        act('hu.one', draft.id, { type: 'send' }, v),
        act('hu.two', draft.id, { type: 'withdraw' }, v, other),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const loser = results.find((r) => !r.ok);
      expect(loser && !loser.ok && loser.error.code).toBe('REQUEST.STALE');
      expect((await core.deps.store.history.of(draft.id)).filter((e) => e.type === 'sent' || e.type === 'withdrawn')).toHaveLength(1);
    });
  });

  describe('request ids', () => {
    it('run IMI-YYYY-NNNNNN without gaps from refused drafts, and start again each year', async () => {
      await seedPeople();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await createDraft(core.deps, { actorId: 'hu.one', area: PQ, origin: 'web' });
        if (r.ok) ids.push(r.value.id);
      }
      const refused = await createDraft(core.deps, { actorId: 'hu.clerk', area: PQ, origin: 'web' });
      expect(!refused.ok && refused.error.code).toBe('REQUEST.NOT_A_HANDLER');
      const r4 = await createDraft(core.deps, { actorId: 'de.one', area: PQ, origin: 'web' });
      if (r4.ok) ids.push(r4.value.id);
      expect(ids).toEqual(['IMI-2026-000001', 'IMI-2026-000002', 'IMI-2026-000003', 'IMI-2026-000004']);
      clock.set(new Date('2027-01-04T09:00:00Z'));
      const next = await createDraft(core.deps, { actorId: 'hu.one', area: PQ, origin: 'web' });
      expect(next.ok && next.value.id).toBe('IMI-2027-000001');
    });

    it('stay unique when two processes create drafts at once', async () => {
      await seedPeople();
      const other = await openCore(core.databaseUrl, clock);
      extra.push(other);
      const made = await Promise.all(
        [core, other, core, other, core, other].map((c, i) =>
          createDraft(c.deps, { actorId: i % 2 ? 'de.one' : 'hu.one', area: PQ, origin: 'web' }),
        ),
      );
      const ids = made.map((r) => (r.ok ? r.value.id : r.error.code)).sort();
      expect(ids).toEqual([1, 2, 3, 4, 5, 6].map((n) => `IMI-2026-${String(n).padStart(6, '0')}`));
    });
  });

  describe('demo dataset', () => {
    const counts = async () => {
      const db = dbOf(core);
      const out: Record<string, number> = {};
      for (const t of ['authorities', 'users', 'user_identities', 'requests', 'request_history', 'outbox', 'audit_log', 'sequences']) {
        out[t] = Number((await db(t).count({ n: '*' }))[0]!.n);
      }
      return out;
    };

    it('loads once: a second load changes nothing', async () => {
      const data = loadDemoData();
      const first = await loadDemo(core.deps, data);
      expect(first).toEqual({ loaded: true, authorities: data.authorities.length, users: data.users.length, requests: data.requests.length });
      const after = await counts();
      expect(after.requests).toBe(data.requests.length);
      const second = await loadDemo(core.deps, data);
      expect(second.loaded).toBe(false);
      expect(await counts()).toEqual(after);
      const statuses = new Set((await core.deps.store.requests.list({})).map((r) => r.status));
      expect([...statuses].sort()).toEqual(['accepted', 'answered', 'closed', 'draft', 'further_info_requested', 'sent', 'withdrawn']);
    });

    it('shows a draft to the requesting authority only, not to the responder it names', async () => {
      await loadDemo(core.deps, loadDemoData());
      const drafts = (await core.deps.store.requests.list({ statuses: ['draft'] }))!;
      expect(drafts.length).toBeGreaterThan(0);
      const draft = drafts[0]!;
      const requesterSide = (await core.deps.store.users.ofAuthority(draft.requesterAuthorityId)).find((u) => u.roles.includes('handler'))!;
      const responderSide = (await core.deps.store.users.ofAuthority(draft.responderAuthorityId!)).find((u) => u.roles.includes('handler'))!;

      const mine = await inbox(core.deps, requesterSide.id);
      expect(mine.ok && mine.value.drafts.map((i) => i.request.id)).toContain(draft.id);
      const theirs = await inbox(core.deps, responderSide.id);
      if (!theirs.ok) throw new Error(theirs.error.code);
      const seen = [...theirs.value.drafts, ...theirs.value.needsAction, ...theirs.value.waiting].map((i) => i.request.id);
      expect(seen).not.toContain(draft.id);
      const view = await viewRequest(core.deps, responderSide.id, draft.id);
      expect(!view.ok && view.error.code).toBe('REQUEST.NOT_FOUND');
    });
  });
});

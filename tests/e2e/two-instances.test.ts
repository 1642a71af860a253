import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAuthority, updateAuthority } from '../../src/app/people/register-authority.ts';
import { addUser } from '../../src/app/people/register-user.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import { changeReminderSettings } from '../../src/app/reminders/reminder-settings.ts';
import { DEFAULT_REMINDER_POLICY } from '../../src/app/reminders/reminder-policy.ts';
import { scanReminders } from '../../src/app/reminders/scan-reminders.ts';
import { SUPERSEDED } from '../../src/app/notifications/deliver-outbox.ts';
import { actOnRequest } from '../../src/app/requests/act-on-request.ts';
import { createDraft } from '../../src/app/requests/create-draft.ts';
import { parseWorkingHours } from '../../src/domain/reminders.ts';
import type { Role } from '../../src/domain/user.ts';
import { JOBS_LEASE } from '../../src/jobs/leadership.ts';
import { openCore, type Core } from '../../src/wiring.ts';
import { closeDatabases, createPostgresDatabase, postgresAvailable } from '../support/databases.ts';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.ts';
import { teamsActivity } from '../support/teams-activities.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { assertNoRawKeys, cardOf } from '../support/web-chat-client.ts';
import type { RenderedReply } from '../../src/conversation/types.ts';
import { addressOf } from '../../adapters/teams/identity.teams.ts';
import { channelStatePort } from '../../src/conversation/channel-state.port.ts';

/*
 * Two server processes on one PostgreSQL database, as an authority network runs imi-bot behind
 * a load balancer: one of them leads the reminder scan, a killed leader is replaced without a
 * reminder lost or issued twice, both deliver the outbox and serve the web chat, and every
 * notification reaches its recipient exactly once.
 */

const REQUESTS = Number(process.env.IMI_TWO_INSTANCES_REQUESTS ?? 1000);
const ALL_HOURS = parseWorkingHours('Mon-Sun 00:00-24:00')!;
/** Requests accepted through the web chat of the two instances (the rest stay sent). */
const WEB_CHAT_ACCEPTS = Math.min(200, REQUESTS - (REQUESTS % 2));
const PQ = 'professional-qualifications';
const SYSTEM = { id: 'test', origin: 'system' as const };
const TENANT = '00000000-0000-0000-0000-0000000000aa';
// One handler a side keeps the number of messages down; the web chat users alternate instances.
const RESPONDER = 'de.one';
const REQUESTER = 'hu.one';

const available = await postgresAvailable();

function must<T>(what: string, r: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!r.ok) throw new Error(`${what}: ${r.error.code}`);
  return r.value;
}

async function eventually<T>(check: () => Promise<T | false | null | undefined>, what: string, limitMs = 60_000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The value of one sample of a Prometheus text exposition, or null when the sample is absent. */
function sample(text: string, name: string, labels = ''): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').at(-1)) : null;
}

/** An instance's /metrics; a dead instance has none. */
const metricsOf = async (server: TestServer): Promise<string> => {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return '';
  return fetch(`${server.url}/metrics`).then((r) => r.text(), () => '');
};
const leads = async (server: TestServer) => sample(await metricsOf(server), 'imi_scheduled_jobs_leader') === 1;

/** Runs `work` over `items` with at most `width` at a time. */
async function inParallel<T>(items: T[], width: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i]!, i);
      }
    }),
  );
}

describe.skipIf(!available)('two instances on one PostgreSQL database', () => {
  let database: { url: string; drop(): Promise<void> };
  let core: Core;
  let store: Store;
  let connector: FakeConnector;
  const servers: TestServer[] = [];
  let ids: string[] = [];
  // Each official is on Teams (where notifications go first) and in the web chat.
  const aadOf = (n: number) => `11111111-1111-1111-1111-${String(n).padStart(12, '0')}`;

  const start = async (extra: Record<string, string>) => {
    const server = await startServer({
      DATABASE_URL: database.url,
      IMI_DEMO: '0',
      IMI_CRON: '1',
      IMI_REMINDER_CRON: '* * * * * *',
      IMI_LEADER_LEASE_SECONDS: '3',
      IMI_TURN_RATE: 'off',
      // The same session secret everywhere: a web chat session is good on any instance.
      SESSION_SECRET: 'two-instances-session-secret-of-at-least-32-characters',
      ...extra,
    });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    database = await createPostgresDatabase();
    core = await openCore(database.url);
    store = core.deps.store;
    // As an operator would: migrate once before rolling out the instances.
    await store.migrate();
    connector = await startFakeConnector();

    const authorities = [
      { id: 'hu-nimic', name: 'Nemzeti IMI-koordinátor', country: 'HU', timezone: 'Europe/Budapest', areas: [], coordinatorId: null },
      { id: 'hu-a', name: 'Egészségügyi Hatóság', country: 'HU', timezone: 'Europe/Budapest', areas: [PQ], coordinatorId: 'hu-nimic' },
      { id: 'de-nimic', name: 'Nationaler IMI-Koordinator', country: 'DE', timezone: 'Europe/Berlin', areas: [], coordinatorId: null },
      { id: 'de-b', name: 'Landesamt für Gesundheit', country: 'DE', timezone: 'Europe/Berlin', areas: [PQ], coordinatorId: 'de-nimic' },
    ];
    for (const a of authorities) {
      must(a.id, await addAuthority(core.deps, a, SYSTEM));
      must(a.id, await updateAuthority(core.deps, { id: a.id, dataReviewedAt: new Date().toISOString() }, SYSTEM));
      // Working hours round the clock: whatever the hour of the run, what is queued may go out at once.
      must(a.id, await changeReminderSettings(core.deps, DEFAULT_REMINDER_POLICY, { authorityId: a.id, workingHours: ALL_HOURS }, SYSTEM));
    }
    const people: { id: string; authorityId: string; roles: Role[] }[] = [
      { id: REQUESTER, authorityId: 'hu-a', roles: ['handler', 'local_admin'] },
      { id: RESPONDER, authorityId: 'de-b', roles: ['handler', 'local_admin'] },
      { id: 'hu.coord', authorityId: 'hu-nimic', roles: ['coordinator'] },
      { id: 'de.coord', authorityId: 'de-nimic', roles: ['coordinator'] },
    ];
    for (const [n, p] of people.entries()) {
      const teams = { tenantId: TENANT, aadObjectId: aadOf(n) };
      const identities = [
        { channel: 'web' as const, externalId: p.id },
        { channel: 'teams' as const, externalId: `${TENANT}:${teams.aadObjectId}` },
      ];
      must(p.id, await addUser(core.deps, { ...p, name: p.id, language: 'en', areas: p.roles.includes('handler') ? [PQ] : [], identities }, SYSTEM));
      // As if they had installed the app: the conversation reference proactive messages continue.
      const installed = teamsActivity('installation-update-add', connector.url, { user: teams });
      await channelStatePort(core.deps).rememberAddress('teams', `${TENANT}:${teams.aadObjectId}`, addressOf(installed as never));
    }

    // Many requests, made fast through the use cases in this process: sent, due in 20 days.
    const deadline = DateTime.now().setZone('Europe/Berlin').plus({ days: 20 }).toISODate()!;
    ids = new Array(REQUESTS);
    await inParallel([...Array(REQUESTS).keys()], 8, async (n) => {
      const by = REQUESTER;
      const draft = must('draft', await createDraft(core.deps, { actorId: by, area: PQ, origin: 'system' }));
      const changes = { responderAuthorityId: 'de-b', questions: ['pq-legally-established'], freeText: `Request ${n}`, subjectName: `Person ${n}`, requestedDeadline: deadline };
      must('update', await actOnRequest(core.deps, { actorId: by, requestId: draft.id, action: { type: 'update_draft', changes }, origin: 'system' }));
      must('send', await actOnRequest(core.deps, { actorId: by, requestId: draft.id, action: { type: 'send' }, origin: 'system' }));
      ids[n] = draft.id;
    });
  }, 240_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await core?.close();
    await connector?.close();
    await database?.drop();
    await closeDatabases();
  });

  it('runs the reminder scan on one leader, and a leader killed mid-scan is replaced without loss or duplicate', async () => {
    // Delivery stays off in this part: the scan and its leader are what is watched.
    const never = { IMI_DELIVERY_CRON: '0 0 29 2 *' };
    const [a, b] = await Promise.all([start(never), start(never)]);
    const pidOf = (holder: string) => Number(holder.split(':').at(-2));

    // Exactly one leader at any moment: sampled all through this part.
    const samples: [boolean, boolean][] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        samples.push(await Promise.all([leads(a), leads(b)]));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const first = await eventually(async () => (await Promise.all([leads(a), leads(b)])).some(Boolean) && store.leases.current(JOBS_LEASE), 'a leader');
    const [leader, follower] = pidOf(first.holder) === a.process.pid ? [a, b] : [b, a];
    expect(pidOf(first.holder)).toBe(leader.process.pid);
    expect(await leads(follower)).toBe(false);

    // Every request falls due at once: the responder wants reminding 30 days ahead.
    must(
      'settings',
      await changeReminderSettings(core.deps, DEFAULT_REMINDER_POLICY, { authorityId: 'de-b', daysBefore: [30] }, SYSTEM),
    );
    const db = (store as Store & { db: Knex }).db;
    const issued = async () => Number((await db('reminders_sent').where({ rule: 'deadline_approaching' }).count({ n: '*' }))[0]!.n);
    const midScan = await eventually(async () => {
      const n = await issued();
      return n > 0 && n;
    }, 'the leader issuing reminders', 30_000);
    leader.process.kill('SIGKILL');
    await new Promise((r) => leader.process.once('exit', r));
    expect(midScan).toBeLessThan(REQUESTS);

    // The lease lapses (3 s), the other instance takes it and its scan issues the rest.
    await eventually(() => leads(follower), 'the other instance leading');
    const handedOver = (await store.leases.current(JOBS_LEASE))!;
    expect(pidOf(handedOver.holder)).toBe(follower.process.pid);
    await eventually(async () => (await issued()) === REQUESTS, `all ${REQUESTS} reminders issued`);
    sampling = false;
    await sampler;

    expect(samples.length).toBeGreaterThan(10);
    expect(samples.filter(([x, y]) => x && y)).toEqual([]);
    expect(leader.output()).toMatch(/now leads the scheduled jobs/);
    expect(follower.output()).toMatch(/now leads the scheduled jobs/);

    // Nothing lost: a scan now finds nothing left to send. No duplicate: one row per reminder and recipient.
    const again = await scanReminders(core.deps, DEFAULT_REMINDER_POLICY);
    expect(again.queued).toEqual([]);
    const reminders = (await store.outbox.list()).filter((r) => r.kind === 'reminder.deadline_approaching');
    expect(reminders).toHaveLength(REQUESTS);
    expect(new Set(reminders.map((r) => `${r.requestId}:${r.recipientId}`)).size).toBe(reminders.length);

    await follower.stop();
  }, 150_000);

  it('shares delivery and the web chat between both instances, and delivers every notification exactly once', async () => {
    const every = { IMI_DELIVERY_CRON: '* * * * * *' };
    const [c, d] = await Promise.all([start(every), start(every)]);
    // The responder signs in once, on one instance; the load balancer then sends its turns to
    // either instance, alternately, while both deliver what is queued.
    const signIn = await fetch(`${c.url}/api/chat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: RESPONDER }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const accepted = ids.slice(0, WEB_CHAT_ACCEPTS);
    for (const [i, requestId] of accepted.entries()) {
      const version = (await store.requests.get(requestId))!.version;
      const res = await fetch(`${[c, d][i % 2]!.url}/api/chat/turn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ action: { id: 'request.accept', values: { requestId, version: String(version) } } }),
      });
      expect(res.status).toBe(200);
      const reply = (await res.json()) as RenderedReply;
      assertNoRawKeys(reply);
      expect(cardOf(reply).ref!.requestId).toBe(requestId);
    }
    const requests = await store.requests.list({});
    expect(requests.filter((r) => r.status === 'accepted').map((r) => r.id).sort()).toEqual([...accepted].sort());

    await eventually(async () => (await store.outbox.backlog()).pending === 0, 'the outbox drained', 180_000).catch(async (err) => {
      // What is left, and what the instances said, to tell a slow run from a stuck one.
      const left = (await store.outbox.list('pending')).slice(0, 5).map((r) => `${r.kind} ${r.recipientId} attempts ${r.attempts} next ${r.nextAttemptAt} ${r.lastError ?? ''}`);
      throw new Error(`${(err as Error).message}: ${JSON.stringify(await store.outbox.backlog())}\n${left.join('\n')}\n${c.output().slice(-2000)}\n${d.output().slice(-2000)}`);
    });
    const rows = await store.outbox.list();
    const delivered = rows.filter((r) => r.status === 'delivered');
    const dropped = rows.filter((r) => r.status === 'failed');
    // A reminder whose request moved on before it went out is dropped, never sent; nothing else fails.
    expect(dropped.filter((r) => r.lastError !== SUPERSEDED)).toEqual([]);
    expect(delivered.every((r) => r.channel === 'teams')).toBe(true);
    expect(rows.filter((r) => r.kind === 'request.sent')).toHaveLength(REQUESTS);
    expect(rows.filter((r) => r.kind === 'request.accepted')).toHaveLength(WEB_CHAT_ACCEPTS);

    // Exactly once at the recipient: one Teams message per delivered row, no message twice.
    const messages = connector.delivered().filter((call) => call.activity.type === 'message');
    expect(messages).toHaveLength(delivered.length);
    expect(new Set(messages.map((m) => `${m.conversationId}\n${JSON.stringify(m.activity.attachments ?? m.activity.text)}`)).size).toBe(delivered.length);

    // Both instances delivered, and both served the web chat.
    const [mc, md] = await Promise.all([metricsOf(c), metricsOf(d)]);
    const reminded = (m: string) => sample(m, 'imi_reminders_sent_total', 'rule="deadline_approaching"') ?? 0;
    const remindersDelivered = delivered.filter((r) => r.kind === 'reminder.deadline_approaching').length;
    expect(reminded(mc) + reminded(md)).toBe(remindersDelivered);
    expect(reminded(mc)).toBeGreaterThan(0);
    expect(reminded(md)).toBeGreaterThan(0);
    const webTurns = (m: string) => sample(m, 'imi_turns_total', 'channel="web"') ?? 0;
    expect(webTurns(mc)).toBe(WEB_CHAT_ACCEPTS / 2);
    expect(webTurns(md)).toBe(WEB_CHAT_ACCEPTS / 2);
    expect(sample(mc, 'imi_outbox_notifications', 'status="pending"')).toBe(0);
    // One of them leads the scan meanwhile (a busy instance may briefly count itself out, never both in).
    await eventually(async () => (await Promise.all([leads(c), leads(d)])).filter(Boolean).length === 1, 'one leader of c and d');
  }, 240_000);
});


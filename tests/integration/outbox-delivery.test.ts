import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutbox, type DeliveryPolicy } from '../../src/app/notifications/deliver-outbox.ts';
import { addUser } from '../../src/app/people/register-user.ts';
import type { OutboxRow } from '../../src/app/ports/records.ts';
import { buildNotifier } from '../../src/delivery-wiring.ts';
import { webFeedSender } from '../../src/conversation/web-feed.sender.ts';
import { NOTIFICATION_KEYS } from '../../src/conversation/notification-view.ts';
import type { ChannelSender, SendOutcome } from '../../src/conversation/types.ts';
import type { Identity } from '../../src/domain/user.ts';
import { openCore, type Core } from '../../src/wiring.ts';
import { settableClock, testCore } from '../support/core.ts';
import { act, recordingSender, seedWorld, sendRequest, SUBJECT, textOf } from '../support/reminder-world.ts';

const T0 = new Date('2026-11-30T09:00:00Z');
const POLICY: Partial<DeliveryPolicy> = { random: () => 1, baseDelayMs: 10_000, leaseMs: 60_000 };
const UNAVAILABLE: SendOutcome = { ok: false, retryable: true, reason: '503 Service Unavailable' };

let clock: ReturnType<typeof settableClock>;
let core: Core & { databaseUrl: string };
const others: Core[] = [];

beforeEach(async () => {
  clock = settableClock(T0);
  core = await testCore(clock);
  await seedWorld(core.deps);
});

afterEach(async () => {
  for (const c of others.splice(0)) await c.close();
  await core.close();
});

const later = (ms: number) => clock.set(new Date(T0.getTime() + ms));
const deliver = (senders: ChannelSender[], policy: Partial<DeliveryPolicy> = POLICY, on: Core = core) =>
  deliverOutbox(on.deps, buildNotifier(on, senders), policy);
const row = async (key: string): Promise<OutboxRow> => (await core.deps.store.outbox.list()).find((r) => r.key === key)!;

/** One notification to one person about a request, queued now. */
async function queue(recipientId: string, key = `test:${recipientId}`): Promise<string> {
  const id = (await core.deps.store.requests.list({}))[0]?.id ?? (await sendRequest(core.deps, '2026-12-15'));
  // The lifecycle rows of the request are delivered first, so each test watches only its own row.
  await deliver([webFeedSender]);
  await core.deps.store.outbox.add({ key, recipientId, kind: 'request.sent', requestId: id, params: {}, createdAt: clock.now().toISOString() });
  return key;
}

async function personWith(id: string, identities: Identity[]) {
  const r = await addUser(core.deps, { id, authorityId: 'de-b', name: id, language: 'de', roles: ['handler'], areas: [], identities }, { id: 't', origin: 'system' });
  if (!r.ok) throw new Error(r.error.code);
}

describe('outbox delivery', () => {
  it('retries a notifier that fails twice with growing delays, then delivers it once', async () => {
    const key = await queue('de.one');
    const rec = recordingSender('web', [UNAVAILABLE, UNAVAILABLE]);
    expect((await deliver([rec.sender])).retrying).toHaveLength(1);
    expect((await row(key)).nextAttemptAt).toBe(new Date(T0.getTime() + 10_000).toISOString());
    // Not before the retry time.
    later(9_999);
    await deliver([rec.sender]);
    expect(rec.attempts).toEqual(['de.one']);
    later(10_000);
    await deliver([rec.sender]);
    expect((await row(key)).nextAttemptAt).toBe(new Date(T0.getTime() + 30_000).toISOString());
    later(30_000);
    const report = await deliver([rec.sender]);
    expect(report.delivered.map((r) => r.key)).toEqual([key]);
    later(3_600_000);
    await deliver([rec.sender]);
    expect(rec.attempts).toEqual(['de.one', 'de.one', 'de.one']);
    expect(rec.sent.map((s) => s.externalId)).toEqual(['de.one']);
    expect(await row(key)).toMatchObject({ status: 'delivered', attempts: 2, channel: 'web', deliveredAt: new Date(T0.getTime() + 30_000).toISOString() });
  });

  it('waits as long as the platform asks (Retry-After)', async () => {
    const key = await queue('de.one');
    const rec = recordingSender('web', [{ ok: false, retryable: true, reason: '429 Too Many Requests', retryAfterMs: 120_000 }]);
    const exact = { ...POLICY, random: () => 0 };
    await deliver([rec.sender], exact);
    expect((await row(key)).nextAttemptAt).toBe(new Date(T0.getTime() + 120_000).toISOString());
    later(119_000);
    await deliver([rec.sender], exact);
    expect(rec.sent).toEqual([]);
    later(120_000);
    await deliver([rec.sender], exact);
    expect(rec.sent.map((s) => s.externalId)).toEqual(['de.one']);
  });

  it('in a one-off run, waits for the retries the platform asked for within the settle time', async () => {
    const key = await queue('de.one');
    const limited: SendOutcome = { ok: false, retryable: true, reason: '429 Too Many Requests', retryAfterMs: 1_000 };
    const rec = recordingSender('web', [limited, limited]);
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
      clock.set(new Date(clock.now().getTime() + ms));
    };
    const report = await deliver([rec.sender], { ...POLICY, settleWithinMs: 5_000, sleep });
    expect(report.delivered.map((r) => r.key)).toEqual([key]);
    expect(rec.attempts).toHaveLength(3);
    expect(slept).toEqual([1_100, 1_100]);
    // A retry further away than the settle time is left to a later run.
    const key2 = await queue('de.two', 'later');
    const slow = recordingSender('web', [{ ok: false, retryable: true, reason: '429', retryAfterMs: 60_000 }]);
    await deliver([slow.sender], { ...POLICY, settleWithinMs: 5_000, sleep });
    expect(await row(key2)).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('gives up after the attempt limit and marks the notification failed with the reason', async () => {
    const key = await queue('de.one');
    const rec = recordingSender('web', Array(10).fill(UNAVAILABLE));
    for (let i = 0; i < 5; i++) {
      later(i * 3_600_000);
      await deliver([rec.sender], { ...POLICY, maxAttempts: 3 });
    }
    expect(rec.attempts).toHaveLength(3);
    const failed = await core.deps.store.outbox.list('failed');
    expect(failed.map((r) => [r.key, r.attempts, r.lastError])).toEqual([[key, 3, 'gave up after 3 attempts: web: 503 Service Unavailable']]);
  });

  it('fails at once, without retrying, when the platform refuses for good', async () => {
    const key = await queue('de.one');
    const rec = recordingSender('web', [{ ok: false, retryable: false, reason: 'user_not_found' }]);
    await deliver([rec.sender]);
    later(3_600_000);
    await deliver([rec.sender]);
    expect(rec.attempts).toHaveLength(1);
    expect(await row(key)).toMatchObject({ status: 'failed', lastError: 'web: user_not_found' });
  });

  it('retries a notifier that throws, as a passing failure', async () => {
    const key = await queue('de.one');
    let calls = 0;
    const flaky = {
      channel: 'web',
      async send(): Promise<SendOutcome> {
        calls++;
        if (calls === 1) throw new Error('socket hang up');
        return { ok: true };
      },
    } satisfies ChannelSender;
    await deliver([flaky]);
    expect(await row(key)).toMatchObject({ status: 'pending', lastError: 'unexpected: socket hang up' });
    later(60_000);
    await deliver([flaky]);
    expect(await row(key)).toMatchObject({ status: 'delivered' });
  });

  it('fails a notification for a user no registered channel can reach, saying why', async () => {
    await personWith('slack.only', [{ channel: 'slack', externalId: 'T0AAA:U0BBB' }]);
    const key = await queue('slack.only');
    await deliver([webFeedSender]);
    expect(await row(key)).toMatchObject({ status: 'failed', lastError: 'no usable channel for slack.only: identities slack, senders web' });
  });

  it('picks Teams, then Slack, else the web feed, and hands over when a channel refuses for good', async () => {
    await personWith('everywhere', [
      { channel: 'web', externalId: 'everywhere' },
      { channel: 'slack', externalId: 'T0AAA:U0CCC' },
      { channel: 'teams', externalId: '0000-aaaa:1111-bbbb' },
    ]);
    const web = recordingSender('web');
    const slack = recordingSender('slack');
    const teams = recordingSender('teams');
    await queue('everywhere', 'k1');
    await deliver([web.sender, slack.sender, teams.sender]);
    await queue('everywhere', 'k2');
    await deliver([web.sender, slack.sender]);
    await queue('everywhere', 'k3');
    await deliver([web.sender]);
    expect([teams.sent, slack.sent, web.sent].map((s) => s.map((x) => x.externalId))).toEqual([['0000-aaaa:1111-bbbb'], ['T0AAA:U0CCC'], ['everywhere']]);
    expect([(await row('k1')).channel, (await row('k2')).channel, (await row('k3')).channel]).toEqual(['teams', 'slack', 'web']);

    const gone = recordingSender('teams', [{ ok: false, retryable: false, reason: 'app uninstalled' }]);
    await queue('everywhere', 'k4');
    await deliver([web.sender, slack.sender, gone.sender]);
    expect(await row('k4')).toMatchObject({ status: 'delivered', channel: 'slack' });
  });

  it('tells the other side of each step in its own language, without the person the request is about', async () => {
    const rec = recordingSender('web');
    const id = await sendRequest(core.deps, '2026-12-15');
    await act(core.deps, 'de.one', id, { type: 'accept' });
    await deliver([rec.sender]);
    const byUser = new Map(rec.sent.map((s) => [s.externalId, s.reply]));
    // Both responder handlers hear of the new request; both requester handlers of its acceptance.
    expect(rec.sent.map((s) => s.externalId).sort()).toEqual(['de.one', 'de.two', 'hu.one', 'hu.two']);
    expect(textOf(byUser.get('de.two')!)).toContain(`Egészségügyi Hatóság a adressé à votre autorité une nouvelle demande d'information, ${id}`);
    // hu.two chose no language: the authority's (Hungarian) applies.
    expect(byUser.get('hu.two')!.lang).toBe('hu');
    expect(textOf(byUser.get('hu.two')!)).toContain(`A(z) Landesamt für Gesundheit elfogadta a(z) ${id} kérését. Az egyeztetett határidő: 2026. dec. 15.`);
    for (const s of rec.sent) expect(textOf(s.reply)).not.toContain(SUBJECT);
  });

  it('has words in every language for every message the notification view can pick', () => {
    for (const lang of ['en', 'hu', 'de', 'fr']) {
      for (const key of NOTIFICATION_KEYS) expect(core.i18n.has(lang, key), `${lang}: ${key}`).toBe(true);
      for (const card of ['title', 'area', 'requester', 'responder', 'authority', 'authorityValue', 'deadline', 'proposedDeadline', 'daysLeft', 'daysWorkingLeft', 'daysOverdue', 'daysWorkingOverdue', 'lastReviewed', 'never', 'open']) {
        expect(core.i18n.has(lang, `notify.card.${card}`), `${lang}: notify.card.${card}`).toBe(true);
      }
    }
  });

  it('never sends a notification twice when two workers run at once on one database file', async () => {
    const second = await openCore(core.databaseUrl, clock);
    others.push(second);
    for (let i = 0; i < 4; i++) await sendRequest(core.deps, '2026-12-15');
    const a = recordingSender('web');
    const b = recordingSender('web');
    await Promise.all([deliver([a.sender], { ...POLICY, batchSize: 2 }), deliver([b.sender], { ...POLICY, batchSize: 2 }, second)]);
    const sent = [...a.sent, ...b.sent].map((s) => `${s.externalId} ${textOf(s.reply)}`);
    const rows = await core.deps.store.outbox.list();
    expect(rows.length).toBe(8);
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
    expect(sent.length).toBe(8);
    expect(new Set(sent).size).toBe(8);
  });

  it('leaves rows claimed by a worker that died to the next run once the lease ends', async () => {
    await sendRequest(core.deps, '2026-12-15');
    // A worker claims both rows, then dies before sending.
    expect(await core.deps.store.outbox.claim(clock.now(), 10, new Date(T0.getTime() + 60_000))).toHaveLength(2);
    const rec = recordingSender('web');
    await deliver([rec.sender]);
    expect(rec.sent).toEqual([]);
    later(60_000);
    await deliver([rec.sender]);
    expect(rec.sent.map((s) => s.externalId).sort()).toEqual(['de.one', 'de.two']);
  });
});

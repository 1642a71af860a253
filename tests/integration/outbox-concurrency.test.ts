import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/app/notifications/deliver-outbox.ts';
import { buildNotifier } from '../../src/delivery-wiring.ts';
import type { ChannelSender, SendOutcome } from '../../src/conversation/types.ts';
import type { Core } from '../../src/wiring.ts';
import { settableClock, testCore } from '../support/core.ts';
import { seedWorld, sendRequest } from '../support/reminder-world.ts';

const T0 = new Date('2026-11-30T09:00:00Z');
let core: Core & { databaseUrl: string };

beforeEach(async () => {
  core = await testCore(settableClock(T0));
  await seedWorld(core.deps);
});
afterEach(async () => {
  await core.close();
});

/** Queues `perPerson` notifications for each of `people`, interleaved, as a burst of changes would. */
async function queueBurst(people: string[], perPerson: number): Promise<string[]> {
  const requestId = await sendRequest(core.deps, '2026-12-15');
  // The request's own lifecycle rows go first, so the test watches only its burst.
  await deliverOutbox(core.deps, buildNotifier(core, [gate().sender]));
  const keys: string[] = [];
  for (let i = 0; i < perPerson; i++) {
    for (const person of people) {
      const key = `burst:${person}:${i}`;
      await core.deps.store.outbox.add({ key, recipientId: person, kind: 'request.sent', requestId, params: { n: i }, createdAt: T0.toISOString() });
      keys.push(key);
    }
  }
  return keys;
}

/**
 * A channel that counts the sends under way at once. Until `expected` were seen together, each
 * send holds on (`holdMs` at most) for the others to start, so a slow machine cannot hide them.
 */
function gate(outcomeOf: (externalId: string, n: number) => SendOutcome = () => ({ ok: true }), expected = 1, holdMs = 1000) {
  const order: { externalId: string; n: number }[] = [];
  let open = 0;
  let most = 0;
  const sender = {
    channel: 'web',
    async send(externalId: string): Promise<SendOutcome> {
      open++;
      most = Math.max(most, open);
      for (let waited = 0; most < expected && waited < holdMs; waited += 5) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setImmediate(r));
      open--;
      const n = order.filter((o) => o.externalId === externalId).length;
      order.push({ externalId, n });
      return outcomeOf(externalId, n);
    },
  } satisfies ChannelSender;
  return { sender, order, most: () => most };
}

describe('outbox delivery to several recipients at once', () => {
  it('sends to up to `concurrency` recipients at once, each one’s notifications in the order queued', async () => {
    const people = ['hu.one', 'hu.two', 'de.one', 'de.two', 'hu.admin', 'de.admin'];
    const keys = await queueBurst(people, 3);
    const g = gate(undefined, 4);
    const report = await deliverOutbox(core.deps, buildNotifier(core, [g.sender]), { concurrency: 4, batchSize: 25 });
    expect(g.most()).toBe(4);
    expect(g.order).toHaveLength(keys.length);
    for (const person of people) {
      expect(report.delivered.filter((r) => r.recipientId === person).map((r) => r.params.n)).toEqual([0, 1, 2]);
    }
    // The report lists the rows in the order they were queued, as a one-at-a-time run would.
    expect(report.delivered.map((r) => r.key)).toEqual(keys);
    expect((await core.deps.store.outbox.list('pending')).length).toBe(0);
  });

  it('sends one at a time by default', async () => {
    await queueBurst(['hu.one', 'hu.two', 'de.one'], 2);
    const g = gate(undefined, 2, 50);
    await deliverOutbox(core.deps, buildNotifier(core, [g.sender]));
    expect(g.most()).toBe(1);
  });

  it('records every outcome of a batch sent at once: delivered, retried and failed', async () => {
    await queueBurst(['hu.one', 'hu.two', 'de.one', 'de.two'], 2);
    const g = gate((who) =>
      who === 'hu.two' ? { ok: false, retryable: true, reason: '503', retryAfterMs: 60_000 } : who === 'de.two' ? { ok: false, retryable: false, reason: 'gone' } : { ok: true },
    );
    const report = await deliverOutbox(core.deps, buildNotifier(core, [g.sender]), { concurrency: 4 });
    expect(report.delivered.map((r) => r.recipientId).sort()).toEqual(['de.one', 'de.one', 'hu.one', 'hu.one']);
    expect(report.retrying.map((r) => r.row.recipientId)).toEqual(['hu.two', 'hu.two']);
    expect(report.failed.map((r) => r.row.recipientId)).toEqual(['de.two', 'de.two']);
    const rows = await core.deps.store.outbox.list();
    const burst = rows.filter((r) => r.key.startsWith('burst:'));
    expect(burst.filter((r) => r.status === 'delivered')).toHaveLength(4);
    expect(burst.filter((r) => r.status === 'pending' && r.attempts === 1)).toHaveLength(2);
    expect(burst.filter((r) => r.status === 'failed' && r.lastError === 'web: gone')).toHaveLength(2);
  });

  it('stops after the batch in hand when told to, leaving the rest for the next run', async () => {
    const keys = await queueBurst(['hu.one', 'hu.two', 'de.one', 'de.two'], 3);
    let batches = 0;
    const g = gate();
    const report = await deliverOutbox(core.deps, buildNotifier(core, [g.sender]), { batchSize: 5, concurrency: 4, keepGoing: () => batches++ < 1 });
    expect(report.delivered).toHaveLength(5);
    const next = await deliverOutbox(core.deps, buildNotifier(core, [g.sender]), { batchSize: 5, concurrency: 4 });
    expect([...report.delivered, ...next.delivered].map((r) => r.key)).toEqual(keys);
  });

  it('can leave the delivered rows out of its report, for a run as long as its backlog', async () => {
    await queueBurst(['hu.one', 'hu.two'], 3);
    const g = gate((who) => (who === 'hu.two' ? { ok: false, retryable: false, reason: 'gone' } : { ok: true }));
    const report = await deliverOutbox(core.deps, buildNotifier(core, [g.sender]), { concurrency: 4, maxBatches: Number.POSITIVE_INFINITY, reportDelivered: false });
    expect(report.delivered).toEqual([]);
    expect(report.failed).toHaveLength(3);
    expect((await core.deps.store.outbox.list('delivered')).filter((r) => r.key.startsWith('burst:'))).toHaveLength(3);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliverOutbox } from '../../src/app/notifications/deliver-outbox.ts';
import { changeReminderSettings, markRequestSeen } from '../../src/app/reminders/reminder-settings.ts';
import { DEFAULT_REMINDER_POLICY } from '../../src/app/reminders/reminder-policy.ts';
import { scanReminders } from '../../src/app/reminders/scan-reminders.ts';
import { updateAuthority } from '../../src/app/people/register-authority.ts';
import { addUser } from '../../src/app/people/register-user.ts';
import { buildNotifier } from '../../src/delivery-wiring.ts';
import { openCore, type Core } from '../../src/wiring.ts';
import { settableClock, testCore } from '../support/core.ts';
import { act, PQ, recordingSender, seedWorld, sendRequest, SUBJECT, textOf } from '../support/reminder-world.ts';

// Monday 30 November 2026, 09:00 UTC: 10:00 in Berlin and Budapest.
const START = new Date('2026-11-30T09:00:00Z');

let clock: ReturnType<typeof settableClock>;
let core: Core & { databaseUrl: string };
let recorder: ReturnType<typeof recordingSender>;
const others: Core[] = [];

beforeEach(async () => {
  clock = settableClock(START);
  core = await testCore(clock);
  await seedWorld(core.deps);
  recorder = recordingSender('web');
});

afterEach(async () => {
  for (const c of others.splice(0)) await c.close();
  await core.close();
});

const at = (iso: string) => clock.set(new Date(iso));

/** One scan and one delivery run at the clock's time; returns the reminders that went out, as "kind recipient". */
async function tick(): Promise<string[]> {
  const scan = await scanReminders(core.deps);
  expect(scan.errors).toEqual([]);
  const report = await deliverOutbox(core.deps, buildNotifier(core, [recorder.sender]));
  return report.delivered
    .filter((r) => r.kind.startsWith('reminder.'))
    .map((r) => `${r.kind.slice('reminder.'.length)} ${r.recipientId}`)
    .sort();
}

/** Each day at 10:00 Berlin time from `from` to `to`, with actions taken before that day's scan. */
async function walk(from: string, to: string, before: Record<string, () => Promise<unknown>> = {}) {
  const log: Record<string, string[]> = {};
  for (let d = new Date(`${from}T09:00:00Z`); d <= new Date(`${to}T09:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    clock.set(d);
    const day = d.toISOString().slice(0, 10);
    await before[day]?.();
    const out = await tick();
    if (out.length > 0) log[day] = out;
  }
  return log;
}

const pair = (rule: string) => [`${rule} de.one`, `${rule} de.two`];

describe('reminders of a request walking through time', () => {
  it('go out exactly on the expected working days, to the responder, escalating to its coordinator', async () => {
    const id = await sendRequest(core.deps, '2026-12-15');
    const log = await walk('2026-11-30', '2026-12-22', {
      '2026-12-08': () => act(core.deps, 'de.one', id, { type: 'accept' }),
    });
    expect(log).toEqual({
      // Fifth working day after sending; the weekend of the 5th and 6th does not count.
      '2026-12-07': pair('not_accepted'),
      // 3 working days before Tuesday the 15th, then 1.
      '2026-12-10': pair('deadline_approaching'),
      '2026-12-14': pair('deadline_approaching'),
      '2026-12-15': pair('deadline_reached'),
      '2026-12-16': pair('overdue'),
      '2026-12-17': pair('overdue'),
      '2026-12-18': [...pair('overdue'), 'escalation de.coord'].sort(),
      // Nothing on Saturday the 19th or Sunday the 20th.
      '2026-12-21': pair('overdue'),
      '2026-12-22': pair('overdue'),
    });
  });

  it('speak each recipient language, with the deadline written its way, and never name the person', async () => {
    const id = await sendRequest(core.deps, '2026-12-15');
    await act(core.deps, 'de.one', id, { type: 'accept' });
    at('2026-12-10T09:00:00Z');
    await tick();
    const to = (user: string) => recorder.sent.filter((s) => s.externalId === user).map((s) => s.reply).at(-1)!;
    expect(to('de.one').lang).toBe('de');
    expect(textOf(to('de.one'))).toContain(`Erinnerung: Die Frist für das Ersuchen ${id} von Egészségügyi Hatóság endet am 15. Dez. 2026.`);
    expect(to('de.two').lang).toBe('fr');
    expect(textOf(to('de.two'))).toContain(`Rappel : le délai de la demande ${id} de Egészségügyi Hatóság expire le 15 déc. 2026.`);
    // The card: area name, the other authority with its country, days left, and an Open button.
    const card = to('de.one').blocks.find((b) => b.kind === 'card')!;
    expect(card).toMatchObject({
      kind: 'card',
      title: `Ersuchen ${id}`,
      fields: expect.arrayContaining([
        { label: 'Rechtsbereich', value: 'Berufsqualifikationen' },
        { label: 'Ersuchende Behörde', value: 'Egészségügyi Hatóság (Ungarn)' },
        { label: 'Frist', value: '15. Dez. 2026' },
        { label: 'Verbleibende Arbeitstage', value: '3' },
      ]),
      actions: [{ action: 'request.open', label: 'Ersuchen öffnen', value: { requestId: id } }],
    });
    for (const s of recorder.sent) expect(textOf(s.reply)).not.toContain(SUBJECT);
  });

  it('queue a reminder found outside working hours until the recipient window opens, in its zone', async () => {
    const id = await sendRequest(core.deps, '2026-12-15');
    await act(core.deps, 'de.one', id, { type: 'accept' });
    at('2026-12-10T09:00:00Z');
    await tick();
    // Sunday 23:30 UTC is Monday 00:30 in Berlin: the 1-day reminder is due Monday, from 08:00 Berlin.
    at('2026-12-13T23:30:00Z');
    const scan = await scanReminders(core.deps);
    expect(scan.queued.map((q) => [q.rule, q.recipientId, q.notBefore])).toEqual([
      ['deadline_approaching', 'de.one', '2026-12-14T07:00:00.000Z'],
      ['deadline_approaching', 'de.two', '2026-12-14T07:00:00.000Z'],
    ]);
    expect(await tick()).toEqual([]);
    at('2026-12-14T06:59:00Z');
    expect(await tick()).toEqual([]);
    at('2026-12-14T07:00:00Z');
    expect(await tick()).toEqual(pair('deadline_approaching'));
  });

  it('send each reminder once when two scans run at once on one database file', async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await sendRequest(core.deps, '2026-12-15'));
    at('2026-12-07T09:00:00Z');
    const second = await openCore(core.databaseUrl, clock);
    others.push(second);
    const scans = await Promise.all([scanReminders(core.deps), scanReminders(second.deps), scanReminders(second.deps)]);
    const queued = scans.flatMap((s) => s.queued).map((q) => `${q.requestId} ${q.rule} ${q.recipientId}`);
    expect(queued.length).toBe(ids.length * 2);
    expect(new Set(queued).size).toBe(queued.length);
    const rows = (await core.deps.store.outbox.list()).filter((r) => r.kind.startsWith('reminder.'));
    expect(rows.length).toBe(ids.length * 2);
  });

  it('after 10 days of downtime send one catch-up reminder per rule, not one per missed day', async () => {
    const id = await sendRequest(core.deps, '2026-12-15');
    await act(core.deps, 'de.one', id, { type: 'accept' });
    at('2026-12-09T09:00:00Z');
    expect(await tick()).toEqual([]);
    // Down from Wednesday the 9th until Saturday the 19th: past the 3- and 1-day reminders, the deadline and 3 overdue days.
    at('2026-12-19T09:00:00Z');
    const scan = await scanReminders(core.deps);
    expect(scan.queued.map((q) => `${q.rule} ${q.recipientId}`).sort()).toEqual([...pair('overdue'), 'escalation de.coord'].sort());
    // Found on a Saturday, they wait for Monday morning; Monday's own scan adds nothing.
    expect(await tick()).toEqual([]);
    at('2026-12-21T09:00:00Z');
    expect(await tick()).toEqual([...pair('overdue'), 'escalation de.coord'].sort());
    at('2026-12-21T15:00:00Z');
    expect(await tick()).toEqual([]);
  });

  it('follow a moved deadline: the reminder queued for the old one is dropped, the new schedule applies', async () => {
    const id = await sendRequest(core.deps, '2026-12-10');
    at('2026-12-07T09:00:00Z');
    expect(await tick()).toEqual([...pair('deadline_approaching'), ...pair('not_accepted')].sort());
    // Tuesday evening: the 1-day reminder for Thursday the 10th is queued for Wednesday morning.
    at('2026-12-08T19:00:00Z');
    expect((await scanReminders(core.deps)).queued.map((q) => q.rule)).toEqual(['deadline_approaching', 'deadline_approaching']);
    // Then the responder proposes the 22nd instead.
    await act(core.deps, 'de.one', id, { type: 'propose_deadline', date: '2026-12-22', reason: 'Archive search needed' });
    const log = await walk('2026-12-09', '2026-12-22');
    expect(log).toEqual({
      // The requester has not opened the request since the proposal.
      '2026-12-09': ['proposal_unseen hu.one', 'proposal_unseen hu.two'],
      '2026-12-17': pair('deadline_approaching'),
      '2026-12-21': pair('deadline_approaching'),
      '2026-12-22': pair('deadline_reached'),
    });
    const dropped = await core.deps.store.outbox.list('failed');
    expect(dropped.map((r) => [r.kind, r.params.deadline, r.lastError])).toEqual([
      ['reminder.deadline_approaching', '2026-12-10', expect.stringMatching(/^superseded/)],
      ['reminder.deadline_approaching', '2026-12-10', expect.stringMatching(/^superseded/)],
    ]);
  });

  it('do not remind the requester of a proposal someone there has already seen', async () => {
    const id = await sendRequest(core.deps, '2026-12-10');
    at('2026-12-08T10:00:00Z');
    await act(core.deps, 'de.one', id, { type: 'propose_deadline', date: '2026-12-22', reason: 'Archive search needed' });
    at('2026-12-08T14:00:00Z');
    await markRequestSeen(core.deps, 'hu.two', id);
    at('2026-12-09T09:00:00Z');
    const scan = await scanReminders(core.deps);
    expect(scan.queued.filter((q) => q.rule === 'proposal_unseen')).toEqual([]);
  });

  it("use the responding authority's own reminder days", async () => {
    const changed = await changeReminderSettings(core.deps, DEFAULT_REMINDER_POLICY, { authorityId: 'de-b', daysBefore: [5] }, { id: 'test', origin: 'cli' });
    expect(changed.ok && changed.value.effective.daysBefore).toEqual([5]);
    const id = await sendRequest(core.deps, '2026-12-15');
    await act(core.deps, 'de.one', id, { type: 'accept' });
    const log = await walk('2026-12-07', '2026-12-14');
    expect(log).toEqual({ '2026-12-08': pair('deadline_approaching') });
  });

  it('skip training requests', async () => {
    const id = await sendRequest(core.deps, '2026-12-15');
    await core.deps.store.transaction(async (tx) => {
      const r = (await tx.requests.get(id))!;
      await tx.requests.update({ ...r, training: true, version: r.version + 1 }, r.version);
    });
    at('2026-12-16T09:00:00Z');
    expect((await scanReminders(core.deps)).queued).toEqual([]);
  });
});

describe('onboarding reminders', () => {
  it('ask the local admins for a backup colleague and a data review, in their language, once a month', async () => {
    // hu-a loses one of its two handlers, and its data was last reviewed 13 months ago.
    await core.deps.store.transaction(async (tx) => {
      const u = (await tx.users.get('hu.two'))!;
      await tx.users.update({ ...u, active: false });
    });
    await updateAuthority(core.deps, { id: 'hu-a', dataReviewedAt: '2025-10-30T09:00:00.000Z' }, { id: 't', origin: 'system' });
    at('2026-12-02T09:00:00Z');
    expect(await tick()).toEqual(['backup_handler hu.admin', 'data_review hu.admin']);
    const text = recorder.sent.map((s) => textOf(s.reply)).join('\n');
    expect(text).toContain('Gondoskodjon arról, hogy még legalább egy kollégája regisztrálva legyen a rendszerben');
    expect(text).toContain('A(z) Egészségügyi Hatóság adatait több mint egy éve nem tekintették át.');
    at('2026-12-30T09:00:00Z');
    expect(await tick()).toEqual([]);
    at('2027-01-04T09:00:00Z');
    expect(await tick()).toEqual(['backup_handler hu.admin', 'data_review hu.admin']);
    // Reviewed: that reminder stops; a colleague registered: so does the other.
    await updateAuthority(core.deps, { id: 'hu-a', dataReviewedAt: '2027-01-05T09:00:00.000Z' }, { id: 't', origin: 'system' });
    await addUser(core.deps, { id: 'hu.three', authorityId: 'hu-a', name: 'x', roles: ['handler'], areas: [PQ] }, { id: 't', origin: 'system' });
    at('2027-02-01T09:00:00Z');
    expect(await tick()).toEqual([]);
  });
});

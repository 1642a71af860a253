import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR, type AdminActor } from '../../src/app/admin/principal.ts';
import { showScoreboard, type Scoreboard, type ScoreboardInput } from '../../src/app/coordinator/scoreboard.ts';
import { addAuthority } from '../../src/app/people/register-authority.ts';
import { addUser } from '../../src/app/people/register-user.ts';
import type { Request } from '../../src/domain/request.ts';
import type { Result } from '../../src/domain/result.ts';
import { createConversation } from '../../src/conversation/engine.ts';
import type { Core } from '../../src/wiring.ts';
import { settableClock, testCore } from '../support/core.ts';
import { closeDatabases, testEngines } from '../support/databases.ts';

/*
 * The scoreboard's figures on a dataset whose answers are worked out by hand. Times are UTC
 * instants as stored; the comments give the local time of the responding authority, since
 * days are counted on its calendar. Budapest is UTC+1 in winter and UTC+2 from 29 March 2026;
 * the Azores are UTC-1 in winter and UTC+0 from 29 March 2026.
 */

const PQ = 'professional-qualifications';
const SERVICES = 'services';
const NOW = new Date('2026-04-20T10:00:00.000Z');
const MARCH = { from: '2026-03-01', to: '2026-03-31' };

const as = (id: string): AdminActor => ({ id, origin: 'web' });
const ESZTER = as('hu.coordinator');

const must = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}`);
  return r.value;
};

let seq = 0;

/** A request as the store keeps it; only what the scoreboard reads varies. */
function request(r: {
  responder: string;
  sentAt: string | null;
  acceptedAt?: string;
  answeredAt?: string;
  status: Request['status'];
  deadline?: string;
  training?: boolean;
  area?: string;
}): Request {
  seq += 1;
  const id = `IMI-2026-${String(seq).padStart(6, '0')}`;
  return {
    id,
    area: r.area ?? PQ,
    requesterAuthorityId: 'fr-req',
    responderAuthorityId: r.responder,
    createdBy: 'fr.handler',
    questions: [],
    freeText: 'Fictitious',
    freeTextLang: 'fr',
    subjectName: 'Fictitious Person',
    requestedDeadline: r.deadline ?? null,
    proposedDeadline: null,
    agreedDeadline: r.acceptedAt ? (r.deadline ?? null) : null,
    status: r.status,
    answers: r.answeredAt ? [{ at: r.answeredAt, by: 'x', lang: 'en', items: { free: 'answer' } }] : [],
    infoRequests: [],
    referral: null,
    training: r.training ?? false,
    version: 1,
    createdAt: r.sentAt ?? '2026-03-01T08:00:00.000Z',
    updatedAt: r.sentAt ?? '2026-03-01T08:00:00.000Z',
    sentAt: r.sentAt,
    acceptedAt: r.acceptedAt ?? null,
    answeredAt: r.answeredAt ?? null,
    closedAt: null,
  };
}

/** An instant `days` after `iso`, at a given UTC hour. */
const plusDays = (iso: string, days: number, hourUtc: number): string => {
  const d = new Date(iso);
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.toISOString();
};

async function seed(core: Core): Promise<void> {
  const deps = core.deps;
  const authorities = [
    { id: 'fr-req', name: 'Requesting authority', country: 'FR', areas: [PQ, SERVICES] },
    { id: 'hu-coord', name: 'HU national coordinator', country: 'HU', areas: [] },
    { id: 'hu-a', name: 'Alpha Office', country: 'HU', areas: [PQ, SERVICES], coordinatorId: 'hu-coord' },
    { id: 'hu-b', name: 'Beta Office', country: 'HU', areas: [PQ], coordinatorId: 'hu-coord' },
    { id: 'hu-quiet', name: 'Quiet Office', country: 'HU', areas: [PQ], coordinatorId: 'hu-coord' },
    { id: 'de-coord', name: 'DE national coordinator', country: 'DE', areas: [] },
    { id: 'de-x', name: 'Xanten Amt', country: 'DE', areas: [PQ], coordinatorId: 'de-coord' },
    { id: 'hu-coord2', name: 'HU area coordinator', country: 'HU', areas: [] },
    { id: 'hu-tz', name: 'Zone Office', country: 'HU', areas: [PQ], coordinatorId: 'hu-coord2' },
    { id: 'pt-coord', name: 'PT national coordinator', country: 'PT', areas: [] },
    { id: 'pt-az', name: 'Azores Office', country: 'PT', timezone: 'Atlantic/Azores', areas: [PQ], coordinatorId: 'pt-coord' },
  ];
  for (const a of authorities) must(await addAuthority(deps, a, CLI_ACTOR));
  const users = [
    { id: 'hu.coordinator', authorityId: 'hu-coord', name: 'Eszter Coordinator', roles: ['coordinator' as const], language: 'en' },
    { id: 'hu.handler', authorityId: 'hu-a', name: 'Handler of Alpha', roles: ['handler' as const], areas: [PQ], language: 'en' },
    { id: 'fr.handler', authorityId: 'fr-req', name: 'French handler', roles: ['handler' as const], areas: [PQ] },
  ];
  for (const u of users) must(await addUser(deps, u, CLI_ACTOR));

  const rows: Request[] = [];
  // hu-a: 15 requests sent in March at 10:00 local (09:00 UTC); 10 accepted on day 3, 5 on day 9;
  // the 10 answered on day 12, the 5 on day 20; deadline day 14.
  for (let i = 0; i < 15; i++) {
    const sentAt = `2026-03-${String(2 + i).padStart(2, '0')}T09:00:00.000Z`;
    const quick = i < 10;
    const deadline = plusDays(sentAt, 14, 0).slice(0, 10);
    rows.push(request({
      responder: 'hu-a', sentAt, status: 'answered', deadline,
      acceptedAt: plusDays(sentAt, quick ? 3 : 9, 9),
      answeredAt: plusDays(sentAt, quick ? 12 : 20, 9),
    }));
  }
  // hu-b: two never accepted, long overdue; one withdrawn before acceptance; one sent after
  // March (open, not overdue); a training request and a draft that must not count.
  rows.push(request({ responder: 'hu-b', sentAt: '2026-03-05T09:00:00.000Z', status: 'sent', deadline: '2026-03-19' }));
  rows.push(request({ responder: 'hu-b', sentAt: '2026-03-05T10:00:00.000Z', status: 'sent', deadline: '2026-03-19' }));
  rows.push(request({ responder: 'hu-b', sentAt: '2026-03-10T09:00:00.000Z', status: 'withdrawn', deadline: '2026-03-24' }));
  rows.push(request({ responder: 'hu-b', sentAt: '2026-04-15T09:00:00.000Z', status: 'sent', deadline: '2026-05-01' }));
  rows.push(request({ responder: 'hu-b', sentAt: '2026-03-06T09:00:00.000Z', status: 'accepted', training: true, acceptedAt: '2026-03-26T09:00:00.000Z', deadline: '2026-03-10' }));
  rows.push(request({ responder: 'hu-b', sentAt: null, status: 'draft', deadline: '2026-03-10' }));
  // de-x: three accepted the next day, in another coordinator's country.
  for (let i = 0; i < 3; i++) {
    rows.push(request({ responder: 'de-x', sentAt: `2026-03-1${i}T09:00:00.000Z`, status: 'accepted', acceptedAt: `2026-03-1${i + 1}T09:00:00.000Z`, deadline: '2026-06-01' }));
  }
  // hu-tz: local calendar days, period edges and daylight saving.
  rows.push(request({ responder: 'hu-tz', sentAt: '2026-02-28T23:30:00.000Z' /* 1 Mar 00:30 */, acceptedAt: '2026-03-08T22:30:00.000Z' /* 8 Mar 23:30: day 7 */, status: 'accepted', deadline: '2026-05-30' }));
  rows.push(request({ responder: 'hu-tz', sentAt: '2026-03-01T23:30:00.000Z' /* 2 Mar 00:30 */, acceptedAt: '2026-03-09T09:00:00.000Z' /* 9 Mar 10:00: day 7 */, status: 'accepted', deadline: '2026-05-30' }));
  rows.push(request({
    responder: 'hu-tz', sentAt: '2026-03-28T11:00:00.000Z' /* 28 Mar 12:00 CET */, acceptedAt: '2026-03-29T08:00:00.000Z',
    answeredAt: '2026-04-02T22:30:00.000Z' /* 3 Apr 00:30 CEST: day 6 */, status: 'answered', deadline: '2026-04-03',
  }));
  rows.push(request({ responder: 'hu-tz', sentAt: '2026-03-31T22:30:00.000Z' /* 1 Apr 00:30 CEST */, status: 'sent', deadline: '2026-05-30' }));
  // pt-az: 1 Mar 00:30 UTC is still 28 Feb in the Azores; 31 Mar 23:30 UTC is 31 Mar there.
  rows.push(request({ responder: 'pt-az', sentAt: '2026-03-01T00:30:00.000Z', status: 'sent', deadline: '2026-05-30' }));
  rows.push(request({ responder: 'pt-az', sentAt: '2026-03-31T23:30:00.000Z', status: 'sent', deadline: '2026-05-30' }));
  await deps.store.transaction(async (tx) => {
    for (const r of rows) await tx.requests.insert(r);
  });
}

const board = async (core: Core, input: ScoreboardInput, by: AdminActor = CLI_ACTOR): Promise<Scoreboard> =>
  must(await showScoreboard(core.deps, input, by));

const authority = (b: Scoreboard, id: string) => {
  const found = b.authorities.find((a) => a.id === id);
  if (!found) throw new Error(`${id} is not on the scoreboard`);
  return found;
};

const engines = await testEngines();

describe.each(engines)('scoreboard on %s', (engine) => {
  let core: Core;

  beforeAll(async () => {
    core = await testCore(settableClock(NOW), engine);
    await seed(core);
  });

  afterAll(async () => {
    await core?.close();
    await closeDatabases();
  });

  it('gives the known figures: 10 of 15 accepted within 7 days is 66.7 %', async () => {
    const a = authority(await board(core, MARCH), 'hu-a');
    expect(a.received).toBe(15);
    expect(a.acceptedWithin7Days).toEqual({ count: 10, of: 15, percent: 66.7, light: 'amber', target: 80 });
    // (10 × 12 + 5 × 20) / 15 = 14.67 days from sending to the first answer.
    expect(a.averageDaysToAnswer).toEqual({ days: 14.7, answered: 15, light: 'green' });
    expect(a.answeredByDeadline).toEqual({ count: 10, of: 15, percent: 66.7, light: 'amber', target: 80 });
    expect([a.open, a.overdue]).toEqual([0, 0]);
  });

  it('counts unaccepted requests against acceptance and deadlines, leaves out withdrawn, training and drafts', async () => {
    const b = authority(await board(core, MARCH), 'hu-b');
    expect(b.received).toBe(3);
    expect(b.acceptedWithin7Days).toMatchObject({ count: 0, of: 2, percent: 0, light: 'red' });
    expect(b.averageDaysToAnswer).toEqual({ days: null, answered: 0, light: 'none' });
    expect(b.answeredByDeadline).toMatchObject({ count: 0, of: 2, percent: 0, light: 'red' });
    // Open and overdue are as of today, whatever the period: the April request is open too.
    expect([b.open, b.overdue]).toEqual([3, 2]);
    const quiet = authority(await board(core, MARCH), 'hu-quiet');
    expect(quiet.received).toBe(0);
    expect(quiet.acceptedWithin7Days).toMatchObject({ of: 0, percent: null, light: 'none' });
  });

  it('adds up per area, per country and in total', async () => {
    const hu = await board(core, { ...MARCH, coordinatorAuthorityId: 'hu-coord' });
    expect(hu.total.received).toBe(18);
    expect(hu.total.acceptedWithin7Days).toMatchObject({ count: 10, of: 17, percent: 58.8, light: 'red' });
    expect(hu.total.averageDaysToAnswer.days).toBe(14.7);
    expect([hu.total.open, hu.total.overdue]).toEqual([3, 2]);
    expect(hu.countries.map((c) => [c.country, c.received])).toEqual([['HU', 18]]);
    expect(hu.areas.map((a) => [a.area, a.received])).toEqual([[PQ, 18]]);
    const byArea = await board(core, { ...MARCH, coordinatorAuthorityId: 'hu-coord', area: SERVICES });
    expect(byArea.total.received).toBe(0);
  });

  it('shows a coordinator of HU only the authorities HU coordinates, never DE ones', async () => {
    const b = await board(core, { ...MARCH, coordinatorAuthorityId: 'de-coord' }, ESZTER);
    expect(b.scope.coordinator).toBe('hu-coord');
    expect(b.authorities.map((a) => a.id).sort()).toEqual(['hu-a', 'hu-b', 'hu-quiet']);
    expect(b.countries.map((c) => c.country)).toEqual(['HU']);
    expect(JSON.stringify(b)).not.toMatch(/de-x|Xanten/);
    // Even when asking for Germany, the HU coordinator gets nothing of it.
    const de = await board(core, { ...MARCH, country: 'DE' }, ESZTER);
    expect(de.authorities).toEqual([]);
    expect(de.total.received).toBe(0);
  });

  it('is for coordinators: a handler gets a typed refusal', async () => {
    const r = await showScoreboard(core.deps, MARCH, as('hu.handler'));
    expect(r.ok ? 'ok' : r.error.code).toBe('SCOREBOARD.NOT_COORDINATOR');
  });

  it('counts calendar days and period edges in the responding authority\'s time zone', async () => {
    const tz = authority(await board(core, { ...MARCH, coordinatorAuthorityId: 'hu-coord2' }), 'hu-tz');
    // 1 Mar 00:30 local is in March although it is 28 Feb in UTC; 1 Apr 00:30 local is not.
    expect(tz.received).toBe(3);
    // Both acceptances fall on local day 7 (UTC would say 8) and count as in time.
    expect(tz.acceptedWithin7Days).toMatchObject({ count: 3, of: 3, percent: 100, light: 'green' });
    // 28 Mar 12:00 CET to 3 Apr 00:30 CEST: 6 local days across the change to summer time.
    expect(tz.averageDaysToAnswer).toEqual({ days: 6, answered: 1, light: 'green' });
    expect(tz.answeredByDeadline).toMatchObject({ count: 1, of: 1 });
    expect([tz.open, tz.overdue]).toEqual([3, 0]);
    const april1 = authority(await board(core, { from: '2026-04-01', to: '2026-04-01', coordinatorAuthorityId: 'hu-coord2' }), 'hu-tz');
    expect(april1.received).toBe(1);
  });

  it('reads the Azores calendar for an authority in the Azores', async () => {
    const pt = await board(core, { ...MARCH, country: 'PT' });
    expect(authority(pt, 'pt-az').received).toBe(1);
    const feb = await board(core, { from: '2026-02-01', to: '2026-02-28', country: 'PT' });
    expect(authority(feb, 'pt-az').received).toBe(1);
  });

  it('refuses a period that is not one', async () => {
    for (const input of [{ from: '2026-03-31', to: '2026-03-01' }, { from: '2026-02-30', to: '2026-03-01' }, { from: '1990-01-01', to: '2026-01-01' }]) {
      const r = await showScoreboard(core.deps, input, CLI_ACTOR);
      expect(r.ok ? 'ok' : r.error.code).toBe('SCOREBOARD.INVALID_PERIOD');
    }
  });

  it('answers the scoreboard command in the chat with markers and a chart, for HU only', async () => {
    const conversation = createConversation({ app: core.deps, i18n: core.i18n });
    const reply = await conversation.handle({ channel: 'web', externalId: 'hu.coordinator', text: 'scoreboard 2026-03-01 2026-03-31' });
    const json = JSON.stringify(reply);
    expect(json).toContain('Alpha Office');
    expect(json).not.toMatch(/Xanten|Zone Office|Azores/);
    // A first visit may open with the onboarding checklist; the scoreboard card follows it.
    const card = reply.blocks.find((b) => b.kind === 'card' && b.title.startsWith('Scoreboard'));
    expect(card?.kind === 'card' && card.image?.url).toMatch(/^\/charts\/[A-Za-z0-9_-]{32}\.png$/);
    // Traffic lights are words and symbols, not colour alone.
    expect(json).toContain('66.7');
    expect(json).toMatch(/✖|⚠|✔/);
    const refused = await conversation.handle({ channel: 'web', externalId: 'hu.handler', text: 'scoreboard' });
    expect(JSON.stringify(refused)).toContain('coordinators');
    // The period buttons: the last 30 days up to today (20 April) in Budapest.
    const last30 = await conversation.handle({ channel: 'web', externalId: 'hu.coordinator', action: { id: 'scoreboard.period', values: { days: '30' } } });
    const title = last30.blocks.find((b) => b.kind === 'card' && b.title.startsWith('Scoreboard'));
    expect(title?.kind === 'card' && title.title).toMatch(/Mar 22, 2026.*Apr 20, 2026/);
  });
});

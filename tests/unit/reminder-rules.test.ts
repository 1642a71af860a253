import { describe, expect, it } from 'vitest';
import type { LegislativeArea } from '../../src/domain/area.ts';
import type { Authority } from '../../src/domain/authority.ts';
import type { Request } from '../../src/domain/request.ts';
import type { User } from '../../src/domain/user.ts';
import {
  DEFAULT_WORKING_HOURS,
  dueAuthorityReminders,
  dueRequestReminders,
  formatWorkingHours,
  maxLeadDays,
  nextWorkingInstant,
  parseWorkingHours,
  reminderStillRelevant,
  type ReminderPolicy,
} from '../../src/domain/reminders.ts';
import { DEFAULT_DELIVERY_POLICY, retryDelay } from '../../src/app/notifications/deliver-outbox.ts';

// 2026-11-30 is a Monday. Berlin and Budapest are UTC+1 in winter, Lisbon UTC+0.
const BERLIN = 'Europe/Berlin';
const BUDAPEST = 'Europe/Budapest';

const PQ: LegislativeArea = {
  id: 'professional-qualifications',
  legalBasis: [],
  defaultDeadlineDays: 14,
  workingDays: true,
  acceptWithinDays: 5,
  questions: ['q1'],
};

const POLICY: ReminderPolicy = { daysBefore: [3, 1], escalateAfterDays: 3, workingHours: DEFAULT_WORKING_HOURS };

function request(over: Partial<Request> = {}): Request {
  return {
    id: 'IMI-2026-000001',
    area: PQ.id,
    requesterAuthorityId: 'hu-a',
    responderAuthorityId: 'de-b',
    createdBy: 'hu.one',
    questions: ['q1'],
    freeText: '',
    freeTextLang: 'hu',
    subjectName: 'Kovács János',
    requestedDeadline: '2026-12-15',
    proposedDeadline: null,
    agreedDeadline: null,
    status: 'sent',
    answers: [],
    infoRequests: [],
    referral: null,
    training: false,
    version: 3,
    createdAt: '2026-11-30T08:00:00.000Z',
    updatedAt: '2026-11-30T09:00:00.000Z',
    sentAt: '2026-11-30T09:00:00.000Z',
    acceptedAt: null,
    answeredAt: null,
    closedAt: null,
    ...over,
  };
}

const accepted = (over: Partial<Request> = {}) =>
  request({ status: 'accepted', agreedDeadline: '2026-12-15', acceptedAt: '2026-12-01T09:00:00.000Z', ...over });

/** The reminders due at 10:00 Berlin time on a date. */
function dueOn(date: string, r: Request, policy: ReminderPolicy = POLICY, extra: Partial<Parameters<typeof dueRequestReminders>[0]> = {}) {
  return dueRequestReminders({
    request: r,
    area: PQ,
    responderZone: BERLIN,
    requesterZone: BUDAPEST,
    asOf: new Date(`${date}T09:00:00Z`),
    policy,
    ...extra,
  });
}

const rules = (due: { rule: string }[]) => due.map((d) => d.rule).sort();

describe('working hours', () => {
  it('reads day ranges, lists and times', () => {
    expect(parseWorkingHours('Mon-Fri 08:00-18:00')).toEqual({ days: [1, 2, 3, 4, 5], start: 480, end: 1080 });
    expect(parseWorkingHours('mon,wed , fri 9:30-17:00')).toEqual({ days: [1, 3, 5], start: 570, end: 1020 });
    expect(parseWorkingHours('Sat-Mon 09:00-12:00')?.days).toEqual([1, 6, 7]);
  });

  it('refuses what is not working hours', () => {
    for (const bad of ['Mon-Fri 18:00-08:00', 'Funday 08:00-10:00', '08:00-18:00', 'Mon-Fri 08:60-09:00', 'Mon-Fri 08:00-25:00', '']) {
      expect(parseWorkingHours(bad), bad).toBeNull();
    }
  });

  it('writes them back the way it reads them', () => {
    for (const text of ['Mon-Fri 08:00-18:00', 'Mon,Wed-Thu 07:30-16:00', 'Sun 10:00-11:00']) {
      expect(formatWorkingHours(parseWorkingHours(text)!)).toBe(text);
    }
  });

  it('leaves an instant inside the window as it is', () => {
    const at = new Date('2026-12-02T12:00:00Z');
    expect(nextWorkingInstant(at, BERLIN, DEFAULT_WORKING_HOURS)).toEqual(at);
  });

  it('moves an evening or weekend instant to 08:00 of the next working day, in the recipient zone', () => {
    // Friday 19:30 Berlin → Monday 08:00 Berlin (07:00 UTC).
    expect(nextWorkingInstant(new Date('2026-12-04T18:30:00Z'), BERLIN, DEFAULT_WORKING_HOURS).toISOString()).toBe('2026-12-07T07:00:00.000Z');
    // 06:00 in Lisbon on a Tuesday → 08:00 Lisbon, which is 08:00 UTC.
    expect(nextWorkingInstant(new Date('2026-12-01T06:00:00Z'), 'Europe/Lisbon', DEFAULT_WORKING_HOURS).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    // Sunday 23:30 UTC is already Monday 00:30 in Berlin: the window opens the same morning.
    expect(nextWorkingInstant(new Date('2026-12-13T23:30:00Z'), BERLIN, DEFAULT_WORKING_HOURS).toISOString()).toBe('2026-12-14T07:00:00.000Z');
  });

  it('bounds how far ahead a window can be: a weekend plus a day', () => {
    expect(maxLeadDays(DEFAULT_WORKING_HOURS)).toBe(3);
    expect(maxLeadDays(parseWorkingHours('Mon 08:00-10:00')!)).toBe(7);
  });
});

describe('acceptance reminder', () => {
  it('counts working days since sending: not on the fifth calendar day (a Saturday), but on the fifth working day', () => {
    expect(dueOn('2026-12-04', request())).toEqual([]);
    expect(dueOn('2026-12-05', request())).toEqual([]);
    const due = dueOn('2026-12-07', request());
    expect(due).toEqual([
      expect.objectContaining({ rule: 'not_accepted', audience: 'responder', key: 'reminder:IMI-2026-000001:not_accepted:de-b' }),
    ]);
    expect(due[0]!.params.days).toBe(5);
  });

  it('is keyed by the responder, so a forwarded request reminds its new responder once', () => {
    const forwarded = dueOn('2026-12-07', request({ responderAuthorityId: 'de-c' }));
    expect(forwarded[0]!.key).toBe('reminder:IMI-2026-000001:not_accepted:de-c');
  });

  it('stops once the request is accepted', () => {
    expect(rules(dueOn('2026-12-07', accepted()))).toEqual([]);
  });
});

describe('deadline reminders', () => {
  it('remind 3 and 1 working days before, on the day, then daily when overdue, and escalate after 3 working days', () => {
    const days = ['2026-12-09', '2026-12-10', '2026-12-11', '2026-12-14', '2026-12-15', '2026-12-16', '2026-12-17', '2026-12-18', '2026-12-19', '2026-12-21'];
    const keys = days.map((d) => dueOn(d, accepted()).map((r) => r.key.replace('reminder:IMI-2026-000001:', '')));
    expect(keys).toEqual([
      [],
      ['deadline_approaching:2026-12-15:3'],
      ['deadline_approaching:2026-12-15:3'],
      ['deadline_approaching:2026-12-15:1'],
      ['deadline_reached:2026-12-15'],
      ['overdue:2026-12-15:2026-12-16'],
      ['overdue:2026-12-15:2026-12-17'],
      ['overdue:2026-12-15:2026-12-18', 'escalation:2026-12-15'],
      // Saturday: no daily overdue reminder; the escalation key is the same as Friday's.
      ['escalation:2026-12-15'],
      ['overdue:2026-12-15:2026-12-21', 'escalation:2026-12-15'],
    ]);
  });

  it('sends the escalation to the responder coordinators, the rest to the responder', () => {
    const due = dueOn('2026-12-18', accepted());
    expect(due.find((d) => d.rule === 'escalation')!.audience).toBe('responder_coordinators');
    expect(due.find((d) => d.rule === 'overdue')!.audience).toBe('responder');
  });

  it('catches up with the latest due reminder of a rule only', () => {
    // Nothing ran between the 9th and the 14th: only the 1-day reminder, not the 3-day one too.
    expect(dueOn('2026-12-14', accepted()).map((d) => d.key)).toEqual(['reminder:IMI-2026-000001:deadline_approaching:2026-12-15:1']);
    // Ten days of downtime after the deadline: one overdue reminder and one escalation.
    expect(rules(dueOn('2026-12-29', accepted()))).toEqual(['escalation', 'overdue']);
  });

  it('key reminders by the deadline, so a moved deadline starts a new schedule', () => {
    const before = dueOn('2026-12-10', accepted());
    const moved = dueOn('2026-12-10', accepted({ agreedDeadline: '2026-12-22' }));
    expect(before[0]!.key).toContain(':2026-12-15:3');
    expect(moved).toEqual([]);
    expect(dueOn('2026-12-17', accepted({ agreedDeadline: '2026-12-22' }))[0]!.key).toContain(':2026-12-22:3');
  });

  it('use the authority own reminder days', () => {
    const policy = { ...POLICY, daysBefore: [5, 2] };
    expect(dueOn('2026-12-08', accepted(), policy)[0]!.key).toContain(':5');
    expect(dueOn('2026-12-11', accepted(), policy)[0]!.key).toContain(':2');
    expect(dueOn('2026-12-14', accepted(), policy)[0]!.key).toContain(':2');
  });

  it('use the authority own escalation delay', () => {
    expect(rules(dueOn('2026-12-18', accepted(), { ...POLICY, escalateAfterDays: 5 }))).toEqual(['overdue']);
    expect(rules(dueOn('2026-12-22', accepted(), { ...POLICY, escalateAfterDays: 5 }))).toEqual(['escalation', 'overdue']);
  });

  it('count calendar days where the area does', () => {
    const calendar = { ...PQ, workingDays: false };
    const due = (date: string) =>
      dueRequestReminders({
        request: accepted(),
        area: calendar,
        responderZone: BERLIN,
        requesterZone: BUDAPEST,
        asOf: new Date(`${date}T09:00:00Z`),
        policy: POLICY,
      }).map((d) => d.key);
    // Thursday the 10th is 3 working days before Tuesday the 15th, but 5 calendar days.
    expect(due('2026-12-10')).toEqual([]);
    expect(due('2026-12-12')).toEqual(['reminder:IMI-2026-000001:deadline_approaching:2026-12-15:3']);
    expect(due('2026-12-14')).toEqual(['reminder:IMI-2026-000001:deadline_approaching:2026-12-15:1']);
  });

  it('read the date in the responder zone, where the deadline ends', () => {
    // 23:30 UTC on the deadline day is already the next day in Berlin.
    const at = new Date('2026-12-15T23:30:00Z');
    const inZone = (zone: string) =>
      rules(dueRequestReminders({ request: accepted(), area: PQ, responderZone: zone, requesterZone: zone, asOf: at, policy: POLICY }));
    expect(inZone(BERLIN)).toEqual(['overdue']);
    expect(inZone('Europe/Lisbon')).toEqual(['deadline_reached']);
  });

  it('apply to a sent request too, against its requested or proposed deadline', () => {
    expect(rules(dueOn('2026-12-14', request({ sentAt: '2026-12-10T09:00:00.000Z' })))).toEqual(['deadline_approaching']);
    const proposed = request({ sentAt: '2026-12-10T09:00:00.000Z', proposedDeadline: { date: '2026-12-30', reason: 'x', by: 'de.one' } });
    expect(rules(dueOn('2026-12-14', proposed))).toEqual([]);
  });

  it('say nothing for training, answered, closed or withdrawn requests', () => {
    expect(dueOn('2026-12-18', accepted({ training: true }))).toEqual([]);
    for (const status of ['answered', 'closed', 'withdrawn', 'draft'] as const) {
      expect(dueOn('2026-12-18', accepted({ status })), status).toEqual([]);
    }
  });

  it('never carry the person the request is about', () => {
    const all = ['2026-12-07', '2026-12-10', '2026-12-15', '2026-12-18'].flatMap((d) => [...dueOn(d, accepted()), ...dueOn(d, request())]);
    expect(JSON.stringify(all)).not.toContain('Kovács');
  });
});

describe('unseen deadline proposal', () => {
  const proposed = request({ proposedDeadline: { date: '2026-12-22', reason: 'workload', by: 'de.one' } });
  const at = '2026-12-01T10:00:00.000Z';

  it('reminds the requester one working day after the proposal when nobody there looked', () => {
    expect(rules(dueOn('2026-12-01', proposed, POLICY, { proposal: { at, seenAt: null } }))).toEqual([]);
    const due = dueOn('2026-12-02', proposed, POLICY, { proposal: { at, seenAt: null } });
    expect(due).toEqual([expect.objectContaining({ rule: 'proposal_unseen', audience: 'requester', key: 'reminder:IMI-2026-000001:proposal_unseen:2026-12-22' })]);
  });

  it('stays quiet once the requester has looked after the proposal, not before', () => {
    expect(dueOn('2026-12-02', proposed, POLICY, { proposal: { at, seenAt: '2026-12-01T11:00:00.000Z' } })).toEqual([]);
    expect(rules(dueOn('2026-12-02', proposed, POLICY, { proposal: { at, seenAt: '2026-11-30T11:00:00.000Z' } }))).toEqual(['proposal_unseen']);
  });
});

describe('onboarding reminders', () => {
  const authority: Authority = {
    id: 'hu-a',
    name: 'HU authority',
    country: 'HU',
    language: 'hu',
    timezone: BUDAPEST,
    areas: [PQ.id, 'services'],
    coordinatorId: null,
    contact: {},
    dataReviewedAt: '2026-06-01T08:00:00.000Z',
  };
  const user = (id: string, areas: string[], over: Partial<User> = {}): User => ({
    id,
    authorityId: 'hu-a',
    name: id,
    language: null,
    roles: ['handler'],
    areas,
    identities: [],
    active: true,
    ...over,
  });
  const now = new Date('2026-12-02T10:00:00Z');

  it('asks for a backup colleague where one active handler holds an area', () => {
    const users = [user('a', [PQ.id, 'services']), user('b', [PQ.id]), user('c', ['services'], { active: false })];
    expect(dueAuthorityReminders(authority, users, now)).toEqual([
      expect.objectContaining({ rule: 'backup_handler', audience: 'local_admins', key: 'reminder:authority:hu-a:backup_handler:services:2026-12' }),
    ]);
    expect(dueAuthorityReminders(authority, [...users, user('d', ['services'])], now)).toEqual([]);
  });

  it('asks for a review of data older than twelve months, or never reviewed, once a month', () => {
    const old = { ...authority, areas: [], dataReviewedAt: '2025-11-15T08:00:00.000Z' };
    expect(dueAuthorityReminders(old, [], now).map((d) => d.key)).toEqual(['reminder:authority:hu-a:data_review:2025-11-15T08:00:00.000Z:2026-12']);
    expect(dueAuthorityReminders({ ...old, dataReviewedAt: '2026-01-15T08:00:00.000Z' }, [], now)).toEqual([]);
    expect(dueAuthorityReminders({ ...old, dataReviewedAt: null }, [], now).map((d) => d.rule)).toEqual(['data_review']);
  });
});

describe('relevance at delivery', () => {
  it('drops reminders whose deadline moved or whose request moved on', () => {
    const params = { deadline: '2026-12-15', responder: 'de-b' };
    expect(reminderStillRelevant('deadline_approaching', params, accepted())).toBe(true);
    expect(reminderStillRelevant('deadline_approaching', params, accepted({ agreedDeadline: '2026-12-22' }))).toBe(false);
    expect(reminderStillRelevant('overdue', params, accepted({ status: 'answered' }))).toBe(false);
    expect(reminderStillRelevant('not_accepted', { responder: 'de-b' }, request())).toBe(true);
    expect(reminderStillRelevant('not_accepted', { responder: 'de-b' }, accepted())).toBe(false);
  });
});

describe('retry delay', () => {
  const policy = { ...DEFAULT_DELIVERY_POLICY, baseDelayMs: 1000, maxDelayMs: 60_000 };

  it('doubles per attempt with jitter between half and the full delay, up to the cap', () => {
    expect(retryDelay(1, { ...policy, random: () => 0 })).toBe(500);
    expect(retryDelay(1, { ...policy, random: () => 1 })).toBe(1000);
    expect(retryDelay(3, { ...policy, random: () => 1 })).toBe(4000);
    expect(retryDelay(20, { ...policy, random: () => 1 })).toBe(60_000);
  });

  it('waits as long as the platform asked, with at most a tenth more as jitter', () => {
    expect(retryDelay(1, { ...policy, random: () => 0 }, 30_000)).toBe(30_000);
    expect(retryDelay(5, { ...policy, random: () => 1 }, 1_000)).toBe(1_100);
  });
});

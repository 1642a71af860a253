import { DateTime } from 'luxon';
import type { LegislativeArea } from './area.ts';
import type { Authority } from './authority.ts';
import { daysBetween, type IsoDate } from './deadlines.ts';
import { currentDeadline, type Request, type RequestStatus } from './request.ts';
import { hasRole, holdsRights, type User } from './user.ts';

/**
 * Reminders are derived from request and authority data on every scan, never kept as timers:
 * each rule says whether a reminder is due at an instant, and under which idempotency key.
 * The key names the request (or authority), the rule and the deadline it was computed
 * against, so a moved deadline makes new reminders due and leaves the old keys unused.
 */

export const REMINDER_RULES = [
  'not_accepted',
  'deadline_approaching',
  'deadline_reached',
  'overdue',
  'escalation',
  'proposal_unseen',
  'backup_handler',
  'data_review',
] as const;
export type ReminderRule = (typeof REMINDER_RULES)[number];

/** Who a reminder is for; the scan turns an audience into people. */
export type ReminderAudience = 'responder' | 'requester' | 'responder_coordinators' | 'local_admins';

export interface DueReminder {
  rule: ReminderRule;
  /** Idempotency key: (request or authority, rule, deadline version). */
  key: string;
  audience: ReminderAudience;
  /** What the message needs; never personal data. */
  params: Record<string, string | number | null>;
}

/** Days of the week (1 = Monday … 7 = Sunday) and minutes after midnight when people may be notified. */
export interface WorkingHours {
  days: number[];
  start: number;
  end: number;
}

/** How an authority wants to be reminded; every field has a default. */
export interface ReminderPolicy {
  /** Days before the deadline when the responder is reminded, largest first. */
  daysBefore: number[];
  /** Working days after the deadline when the coordinator is told. */
  escalateAfterDays: number;
  workingHours: WorkingHours;
}

export const DEFAULT_DAYS_BEFORE = [3, 1];
export const DEFAULT_ESCALATE_AFTER_DAYS = 3;
export const DEFAULT_WORKING_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5], start: 8 * 60, end: 18 * 60 };
/** Authority data older than this is due for review. */
export const DATA_REVIEW_MONTHS = 12;
/** Working days a proposed deadline may go unseen before the requester is reminded. */
export const PROPOSAL_UNSEEN_DAYS = 1;

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Parses "Mon-Fri 08:00-18:00" or "Mon,Tue,Thu 09:00-17:30"; null when it is not that. */
export function parseWorkingHours(text: string): WorkingHours | null {
  const m = /^\s*([A-Za-z,\-\s]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const days = new Set<number>();
  for (const part of m[1]!.split(',').map((p) => p.trim().toLowerCase())) {
    const [from, to] = part.split('-').map((d) => DAY_NAMES.indexOf(d.trim().slice(0, 3)) + 1);
    if (!from || (to !== undefined && !to)) return null;
    const last = to ?? from;
    for (let d = from; ; d = (d % 7) + 1) {
      days.add(d);
      if (d === last) break;
    }
  }
  const start = Number(m[2]) * 60 + Number(m[3]);
  const end = Number(m[4]) * 60 + Number(m[5]);
  if (Number(m[3]) > 59 || Number(m[5]) > 59 || end > 24 * 60 || start >= end) return null;
  return { days: [...days].sort((a, b) => a - b), start, end };
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const dayName = (d: number) => DAY_NAMES[d - 1]![0]!.toUpperCase() + DAY_NAMES[d - 1]!.slice(1);

/** Writes working hours the way parseWorkingHours reads them, runs of days as ranges: "Mon-Fri 08:00-18:00". */
export function formatWorkingHours(wh: WorkingHours): string {
  const runs: [number, number][] = [];
  for (const d of wh.days) {
    const last = runs.at(-1);
    if (last && last[1] === d - 1) last[1] = d;
    else runs.push([d, d]);
  }
  const days = runs.map(([a, b]) => (a === b ? dayName(a) : `${dayName(a)}-${dayName(b)}`)).join(',');
  return `${days} ${hhmm(wh.start)}-${hhmm(wh.end)}`;
}

/** Checks reminder days: whole numbers from 1 to 60, at most five of them. */
export const validDaysBefore = (days: number[]): boolean =>
  days.length > 0 && days.length <= 5 && days.every((d) => Number.isInteger(d) && d >= 1 && d <= 60);

export const validEscalationDelay = (days: number): boolean => Number.isInteger(days) && days >= 1 && days <= 60;

/** `now` when it falls in working hours in the zone, else the start of the next working window. */
export function nextWorkingInstant(now: Date, zone: string, wh: WorkingHours): Date {
  const local = DateTime.fromJSDate(now).setZone(zone);
  for (let i = 0; i <= 7; i++) {
    const day = local.plus({ days: i }).startOf('day');
    if (!wh.days.includes(day.weekday)) continue;
    const start = day.plus({ minutes: wh.start });
    const end = day.plus({ minutes: wh.end });
    if (i === 0 && local >= start && local < end) return now;
    if (local < start) return start.toJSDate();
  }
  return now;
}

/** The longest stretch, in days, from some instant to the next working window: bounds how far a scan looks ahead. */
export function maxLeadDays(wh: WorkingHours): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < 14; i++) {
    run = wh.days.includes((i % 7) + 1) ? 0 : run + 1;
    longest = Math.max(longest, run);
  }
  return Math.min(longest, 7) + 1;
}

const dateIn = (iso: string | Date, zone: string): IsoDate =>
  (typeof iso === 'string' ? DateTime.fromISO(iso) : DateTime.fromJSDate(iso)).setZone(zone).toISODate()!;

/** Statuses in which the responder still owes an answer by the deadline. */
const RESPONDER_OWES: RequestStatus[] = ['sent', 'accepted', 'further_info_requested'];

export interface RequestReminderInput {
  request: Request;
  area: LegislativeArea;
  responderZone: string;
  requesterZone: string;
  /** The instant the reminders will be read: now, or the start of the responder's next working window. */
  asOf: Date;
  policy: Pick<ReminderPolicy, 'daysBefore' | 'escalateAfterDays' | 'workingHours'>;
  /** When the responder proposed the current proposed deadline, and when the requester last looked at the request. */
  proposal?: { at: string; seenAt: string | null } | null;
}

/**
 * The request reminders due as of an instant. At most one per rule: after downtime only the
 * latest due reminder of each rule is returned, not every one that was missed.
 */
export function dueRequestReminders(input: RequestReminderInput): DueReminder[] {
  const { request: r, area, policy } = input;
  if (r.training || !r.responderAuthorityId || !RESPONDER_OWES.includes(r.status)) return [];
  const due: DueReminder[] = [];
  const today = dateIn(input.asOf, input.responderZone);
  const base = { responder: r.responderAuthorityId, status: r.status };

  if (r.status === 'sent' && r.sentAt) {
    const waited = daysBetween(dateIn(r.sentAt, input.responderZone), today, true);
    if (waited >= area.acceptWithinDays) {
      due.push({
        rule: 'not_accepted',
        key: `reminder:${r.id}:not_accepted:${r.responderAuthorityId}`,
        audience: 'responder',
        params: { ...base, days: waited, deadline: currentDeadline(r) },
      });
    }
    if (r.proposedDeadline && input.proposal) {
      const requesterToday = dateIn(input.asOf, input.requesterZone);
      const waiting = daysBetween(dateIn(input.proposal.at, input.requesterZone), requesterToday, true);
      const seen = input.proposal.seenAt !== null && input.proposal.seenAt >= input.proposal.at;
      if (!seen && waiting >= PROPOSAL_UNSEEN_DAYS) {
        due.push({
          rule: 'proposal_unseen',
          key: `reminder:${r.id}:proposal_unseen:${r.proposedDeadline.date}`,
          audience: 'requester',
          params: { ...base, deadline: r.proposedDeadline.date },
        });
      }
    }
  }

  const deadline = currentDeadline(r);
  if (!deadline) return due;
  if (today < deadline) {
    const left = daysBetween(today, deadline, area.workingDays);
    const threshold = [...policy.daysBefore].sort((a, b) => a - b).find((t) => left <= t);
    if (threshold !== undefined) {
      due.push({
        rule: 'deadline_approaching',
        key: `reminder:${r.id}:deadline_approaching:${deadline}:${threshold}`,
        audience: 'responder',
        params: { ...base, deadline, days: left, before: threshold },
      });
    }
  } else if (today === deadline) {
    due.push({
      rule: 'deadline_reached',
      key: `reminder:${r.id}:deadline_reached:${deadline}`,
      audience: 'responder',
      params: { ...base, deadline, days: 0 },
    });
  } else {
    const late = daysBetween(deadline, today, area.workingDays);
    const lateWorking = daysBetween(deadline, today, true);
    // One reminder per working day, keyed by the day it is read: a weekend or downtime yields one, not a pile.
    if (policy.workingHours.days.includes(DateTime.fromISO(today, { zone: 'UTC' }).weekday)) {
      due.push({
        rule: 'overdue',
        key: `reminder:${r.id}:overdue:${deadline}:${today}`,
        audience: 'responder',
        params: { ...base, deadline, days: -late },
      });
    }
    if (lateWorking >= policy.escalateAfterDays) {
      due.push({
        rule: 'escalation',
        key: `reminder:${r.id}:escalation:${deadline}`,
        audience: 'responder_coordinators',
        params: { ...base, deadline, days: -late },
      });
    }
  }
  return due;
}

/**
 * Onboarding reminders of one authority: a backup colleague for areas with a single handler,
 * and a review of data older than a year. Repeated once a month while the situation lasts.
 */
export function dueAuthorityReminders(authority: Authority, users: User[], now: Date): DueReminder[] {
  const due: DueReminder[] = [];
  const local = DateTime.fromJSDate(now).setZone(authority.timezone);
  const month = local.toFormat('yyyy-MM');
  const active = users.filter((u) => u.active && u.authorityId === authority.id);
  for (const area of authority.areas) {
    const handlers = active.filter((u) => holdsRights(u, area));
    if (handlers.length === 1) {
      due.push({
        rule: 'backup_handler',
        key: `reminder:authority:${authority.id}:backup_handler:${area}:${month}`,
        audience: 'local_admins',
        params: { authority: authority.id, area },
      });
    }
  }
  const reviewed = authority.dataReviewedAt ? DateTime.fromISO(authority.dataReviewedAt) : null;
  if (!reviewed || reviewed.plus({ months: DATA_REVIEW_MONTHS }) <= local) {
    due.push({
      rule: 'data_review',
      key: `reminder:authority:${authority.id}:data_review:${authority.dataReviewedAt ?? 'never'}:${month}`,
      audience: 'local_admins',
      params: { authority: authority.id, reviewedAt: authority.dataReviewedAt },
    });
  }
  return due;
}

/** Local admins of an authority, the audience of onboarding reminders. */
export const localAdminsOf = (users: User[], authorityId: string): User[] =>
  users.filter((u) => u.authorityId === authorityId && hasRole(u, 'local_admin'));

/**
 * Whether a queued request reminder still says something true when it is about to go out:
 * a moved deadline or a step taken meanwhile makes it moot.
 */
export function reminderStillRelevant(rule: string, params: Record<string, unknown>, request: Request): boolean {
  if (!RESPONDER_OWES.includes(request.status)) return false;
  switch (rule) {
    case 'not_accepted':
      return request.status === 'sent' && request.responderAuthorityId === params.responder;
    case 'proposal_unseen':
      return request.status === 'sent' && request.proposedDeadline?.date === params.deadline;
    case 'deadline_approaching':
    case 'deadline_reached':
    case 'overdue':
    case 'escalation':
      return currentDeadline(request) === params.deadline && request.responderAuthorityId === params.responder;
    default:
      return true;
  }
}

import { DateTime } from 'luxon';
import type { LegislativeArea } from '../../domain/area.ts';
import type { Authority } from '../../domain/authority.ts';
import { addDays, daysBetween, todayIn, type IsoDate } from '../../domain/deadlines.ts';
import { nextWorkingInstant, type ReminderPolicy } from '../../domain/reminders.ts';
import type { ReminderCandidateQuery } from '../ports/reminder.repository.ts';

/**
 * The candidate query's bounds, as tight as the rules allow and never tighter: worked out per
 * authority from the very "as of" instant and local date the rules will use for its requests,
 * with the rules' own day counting, so the query returns every request with something due and
 * (almost) nothing else. The rules still decide; loose bounds only cost time, but on a large
 * database every needless candidate is a read and a rule evaluation, and they add up to most of the scan.
 */

/** The latest date from which at least `days` working days have passed by `today`. */
function latestWaitedFrom(today: IsoDate, days: number): IsoDate {
  // Working days never outnumber calendar days, so the answer is at or before `days` calendar days back.
  let d = addDays(today, -days, false);
  while (daysBetween(d, today, true) < days) d = addDays(d, -1, false);
  return d;
}

/** The latest deadline at most `before` days after `today`, counted as an area counts them. */
function latestDeadlineWithin(today: IsoDate, before: number, workingDays: boolean): IsoDate {
  // A weekend after the last counted day adds no day, so its dates are within too.
  let d = addDays(today, before, false);
  while (daysBetween(today, addDays(d, 1, false), workingDays) <= before) d = addDays(d, 1, false);
  return d;
}

const startOfDay = (date: IsoDate, zone: string): string => DateTime.fromISO(date, { zone }).startOf('day').toJSDate().toISOString();

const later = (a: string, b: string): string => (a > b ? a : b);

/**
 * Bounds for the requests of these authorities (the scan skips the others); null when there is
 * nothing a request rule could apply to.
 */
export function candidateBounds(
  now: Date,
  authorities: Authority[],
  policyOf: (authorityId: string) => ReminderPolicy,
  areas: LegislativeArea[],
): ReminderCandidateQuery | null {
  if (authorities.length === 0 || areas.length === 0) return null;
  const acceptWithin = Math.min(...areas.map((a) => a.acceptWithinDays));
  const countings = [...new Set(areas.map((a) => a.workingDays))];
  // Memoised by local date: many authorities share a zone, and the loops above cost luxon calls.
  const waited = new Map<string, string>();
  const within = new Map<string, IsoDate>();
  let sentBefore = '';
  let deadlineOnOrBefore = '';
  let latestAsOf = now.toISOString();
  for (const a of authorities) {
    const policy = policyOf(a.id);
    // The rules read a responder's requests as of its next working instant, on that local date.
    const asOf = nextWorkingInstant(now, a.timezone, policy.workingHours);
    latestAsOf = later(latestAsOf, asOf.toISOString());
    const today = todayIn(asOf, a.timezone);
    const sentKey = `${today}|${a.timezone}`;
    if (!waited.has(sentKey)) {
      // Sent on or before the latest local date that has waited long enough: before the next local midnight.
      waited.set(sentKey, startOfDay(addDays(latestWaitedFrom(today, acceptWithin), 1, false), a.timezone));
    }
    sentBefore = later(sentBefore, waited.get(sentKey)!);
    const before = Math.max(0, ...policy.daysBefore);
    for (const workingDays of countings) {
      const key = `${today}|${before}|${workingDays}`;
      if (!within.has(key)) within.set(key, latestDeadlineWithin(today, before, workingDays));
      deadlineOnOrBefore = later(deadlineOnOrBefore, within.get(key)!);
    }
  }
  // Any sent request with an open proposal: its current deadline is the proposed date, which
  // no column holds, so it is a candidate for the deadline rules whenever the proposal was made.
  return { sentBefore, deadlineOnOrBefore, proposedBefore: latestAsOf };
}

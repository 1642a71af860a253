import { describe, expect, it } from 'vitest';
import type { LegislativeArea } from '../../src/domain/area.ts';
import type { Authority } from '../../src/domain/authority.ts';
import { addDays, todayIn } from '../../src/domain/deadlines.ts';
import type { Request } from '../../src/domain/request.ts';
import { DEFAULT_WORKING_HOURS, dueRequestReminders, nextWorkingInstant, parseWorkingHours, type ReminderPolicy } from '../../src/domain/reminders.ts';
import { candidateBounds } from '../../src/app/reminders/candidate-bounds.ts';

/**
 * The scan only looks at requests within the candidate bounds, so a bound that is one day too
 * tight silently drops a reminder. Walks scan instants across weekends and a daylight-saving
 * change, in zones far apart, with policies and areas that stretch the bounds, and checks that
 * every request the rules find something due for lies within them.
 */

const HOUR = 3_600_000;
const DEADLINE_RULES = ['deadline_approaching', 'deadline_reached', 'overdue', 'escalation'];

const area = (id: string, workingDays: boolean, acceptWithinDays: number): LegislativeArea => ({
  id,
  legalBasis: [],
  defaultDeadlineDays: 14,
  workingDays,
  acceptWithinDays,
  questions: ['q1'],
});
const AREAS = [area('working', true, 5), area('calendar', false, 2)];

const authority = (id: string, timezone: string): Authority => ({
  id,
  name: id,
  country: id.slice(0, 2).toUpperCase(),
  language: 'en',
  timezone,
  areas: AREAS.map((a) => a.id),
  coordinatorId: null,
  contact: {},
  dataReviewedAt: null,
});
const AUTHORITIES = [authority('de-a', 'Europe/Berlin'), authority('nz-a', 'Pacific/Auckland'), authority('us-a', 'America/New_York')];

const POLICIES: Record<string, ReminderPolicy> = {
  'de-a': { daysBefore: [3, 1], escalateAfterDays: 3, workingHours: DEFAULT_WORKING_HOURS },
  // Two hours on Mondays only: a scan is read up to a week later.
  'nz-a': { daysBefore: [3, 1], escalateAfterDays: 3, workingHours: parseWorkingHours('Mon 08:00-10:00')! },
  'us-a': { daysBefore: [10, 5, 2], escalateAfterDays: 1, workingHours: parseWorkingHours('Mon-Sat 07:00-20:00')! },
};
const policyOf = (id: string) => POLICIES[id]!;

function request(over: Partial<Request>): Request {
  return {
    id: 'IMI-2026-000001',
    area: 'working',
    requesterAuthorityId: 'de-a',
    responderAuthorityId: 'nz-a',
    createdBy: 'someone',
    questions: ['q1'],
    freeText: '',
    freeTextLang: 'en',
    subjectName: 'x',
    requestedDeadline: null,
    proposedDeadline: null,
    agreedDeadline: null,
    status: 'sent',
    answers: [],
    infoRequests: [],
    referral: null,
    training: false,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    sentAt: null,
    acceptedAt: null,
    answeredAt: null,
    closedAt: null,
    ...over,
  };
}

describe('reminder candidate bounds', () => {
  it('hold every request the rules find something due for', () => {
    let checked = 0;
    // Two weeks around Europe's and New Zealand's daylight-saving changes, at every hour of the day in turn.
    for (let t = Date.parse('2026-03-24T00:00:00Z'); t < Date.parse('2026-04-07T00:00:00Z'); t += 23 * HOUR) {
      const now = new Date(t);
      const bounds = candidateBounds(now, AUTHORITIES, policyOf, AREAS)!;
      // A proposed deadline is in no column: every sent request with a proposal made by now is a candidate.
      expect(bounds.proposedBefore >= now.toISOString()).toBe(true);
      for (const [i, responder] of AUTHORITIES.entries()) {
        const requester = AUTHORITIES[(i + 1) % AUTHORITIES.length]!;
        const policy = policyOf(responder.id);
        const asOf = nextWorkingInstant(now, responder.timezone, policy.workingHours);
        const today = todayIn(asOf, responder.timezone);
        for (const a of AREAS) {
          const due = (r: Partial<Request>) =>
            dueRequestReminders({
              request: request({ area: a.id, requesterAuthorityId: requester.id, responderAuthorityId: responder.id, ...r }),
              area: a,
              responderZone: responder.timezone,
              requesterZone: requester.timezone,
              asOf,
              policy,
            }).map((d) => d.rule);
          // Waiting for acceptance, sent from 9 days ago until now.
          for (let h = 0; h <= 9 * 24; h += 19) {
            const sentAt = new Date(t - h * HOUR).toISOString();
            if (due({ status: 'sent', sentAt, requestedDeadline: addDays(today, 90, false) }).includes('not_accepted')) {
              expect(sentAt <= bounds.sentBefore, `${now.toISOString()} ${responder.id} ${a.id} sent ${sentAt}`).toBe(true);
              checked++;
            }
          }
          // Deadlines from days past to beyond the longest reminder window.
          for (let d = -2; d <= 16; d++) {
            const deadline = addDays(today, d, false);
            if (due({ status: 'accepted', agreedDeadline: deadline, sentAt: now.toISOString() }).some((r) => DEADLINE_RULES.includes(r))) {
              expect(deadline <= bounds.deadlineOnOrBefore, `${now.toISOString()} ${responder.id} ${a.id} deadline ${deadline}`).toBe(true);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('leave out requests that are far from anything due', () => {
    // Wednesday 10:00 UTC: everyone is at work, so "as of" is now.
    const now = new Date('2026-11-25T10:00:00Z');
    const bounds = candidateBounds(now, [AUTHORITIES[0]!], policyOf, [AREAS[0]!])!;
    // Five working days back from Wednesday the 25th is Wednesday the 18th, in Berlin (UTC+1).
    expect(bounds.sentBefore).toBe('2026-11-18T23:00:00.000Z');
    // Three working days ahead is Monday the 30th.
    expect(bounds.deadlineOnOrBefore).toBe('2026-11-30');
  });

  it('give nothing to look for without authorities or areas', () => {
    expect(candidateBounds(new Date(), [], policyOf, AREAS)).toBeNull();
    expect(candidateBounds(new Date(), AUTHORITIES, policyOf, [])).toBeNull();
  });
});

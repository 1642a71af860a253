import { describe, expect, it } from 'vitest';
import type { LegislativeArea } from '../../src/domain/area.ts';
import { addDays, daysBetween, deadlineEnd, defaultDeadline, parseIsoDate, todayIn } from '../../src/domain/deadlines.ts';

// March 2026: Fri 13, Sat 14, Sun 15, Mon 16. Budapest moves to summer time on Sun 29 March.
describe('working days', () => {
  it('skip Saturdays and Sundays when adding', () => {
    expect(addDays('2026-03-13', 1, true)).toBe('2026-03-16');
    expect(addDays('2026-03-13', 5, true)).toBe('2026-03-20');
    expect(addDays('2026-03-14', 1, true)).toBe('2026-03-16');
    expect(addDays('2026-03-15', 1, true)).toBe('2026-03-16');
    expect(addDays('2026-03-10', 0, true)).toBe('2026-03-10');
  });

  it('are plain calendar days where the area counts those', () => {
    expect(addDays('2026-03-13', 1, false)).toBe('2026-03-14');
    expect(addDays('2026-03-13', 30, false)).toBe('2026-04-12');
  });

  it('count between two dates, negative when the second is earlier', () => {
    expect(daysBetween('2026-03-13', '2026-03-16', true)).toBe(1);
    expect(daysBetween('2026-03-13', '2026-03-16', false)).toBe(3);
    expect(daysBetween('2026-03-16', '2026-03-13', true)).toBe(-1);
    expect(daysBetween('2026-03-16', '2026-03-13', false)).toBe(-3);
    expect(daysBetween('2026-03-10', '2026-03-10', true)).toBe(0);
    expect(daysBetween('2026-03-09', '2026-03-23', true)).toBe(10);
    // Across the change to summer time the count stays whole.
    expect(daysBetween('2026-03-27', '2026-03-30', false)).toBe(3);
  });

  it('give the default deadline of an area from today', () => {
    const area: LegislativeArea = {
      id: 'professional-qualifications',
      legalBasis: [],
      defaultDeadlineDays: 14,
      workingDays: true,
      acceptWithinDays: 5,
      questions: ['q'],
    };
    // Tuesday 10 March + 14 working days = Monday 30 March.
    expect(defaultDeadline(area, '2026-03-10')).toBe('2026-03-30');
    expect(defaultDeadline({ ...area, workingDays: false }, '2026-03-10')).toBe('2026-03-24');
  });
});

describe('dates typed by people', () => {
  it('accepts real ISO calendar dates only', () => {
    expect(parseIsoDate('2026-03-10')).toBe('2026-03-10');
    expect(parseIsoDate(' 2026-03-10 ')).toBe('2026-03-10');
    expect(parseIsoDate('2028-02-29')).toBe('2028-02-29');
    for (const bad of ['2026-02-29', '2026-04-31', '2026-00-10', '10/03/2026', '2026-3-10', '', 'tomorrow', '2026-03-10T10:00']) {
      expect(parseIsoDate(bad), bad).toBeNull();
    }
  });
});

describe('time zones: a deadline date ends at midnight in the authority’s zone', () => {
  it('today depends on where the authority is', () => {
    const at = new Date('2026-03-10T23:30:00Z');
    expect(todayIn(at, 'Europe/Lisbon')).toBe('2026-03-10');
    expect(todayIn(at, 'Europe/Budapest')).toBe('2026-03-11');
    expect(todayIn(at, 'Europe/Helsinki')).toBe('2026-03-11');
    expect(todayIn(new Date('2026-03-10T00:30:00Z'), 'Atlantic/Reykjavik')).toBe('2026-03-10');
  });

  it('the end of a deadline day is the next local midnight, in winter and in summer time', () => {
    expect(deadlineEnd('2026-03-10', 'Europe/Budapest').toISOString()).toBe('2026-03-10T23:00:00.000Z');
    expect(deadlineEnd('2026-07-01', 'Europe/Budapest').toISOString()).toBe('2026-07-01T22:00:00.000Z');
    expect(deadlineEnd('2026-03-10', 'Europe/Lisbon').toISOString()).toBe('2026-03-11T00:00:00.000Z');
    expect(deadlineEnd('2026-03-10', 'Europe/Helsinki').toISOString()).toBe('2026-03-10T22:00:00.000Z');
    // The day before and the day of the change to summer time end at different UTC hours.
    expect(deadlineEnd('2026-03-28', 'Europe/Budapest').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(deadlineEnd('2026-03-29', 'Europe/Budapest').toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('a deadline has passed exactly when the local date is after it', () => {
    const zones = ['Europe/Lisbon', 'Europe/Budapest', 'Europe/Helsinki', 'Atlantic/Reykjavik'];
    const deadline = '2026-03-29';
    for (const zone of zones) {
      const end = deadlineEnd(deadline, zone).getTime();
      for (const offsetMin of [-90, -1, 0, 1, 90]) {
        const now = new Date(end + offsetMin * 60_000);
        const passedByInstant = now.getTime() >= end;
        const passedByDate = todayIn(now, zone) > deadline;
        expect(passedByDate, `${zone} ${now.toISOString()}`).toBe(passedByInstant);
      }
    }
  });
});

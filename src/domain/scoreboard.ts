import { DateTime } from 'luxon';
import { parseIsoDate, type IsoDate } from './deadlines.ts';
import { fail, ok, type Result } from './result.ts';

/**
 * The coordinators' scoreboard: the indicators the European Commission's Single Market
 * Scoreboard uses for IMI, measured for the responding authority. Requests are counted in the
 * period they were sent in (a cohort), days are calendar days in the responding authority's
 * time zone, and open and overdue counts are as of today whatever the period.
 */

/** Traffic light of one indicator; 'none' when there is nothing to measure yet. */
export type Light = 'green' | 'amber' | 'red' | 'none';

export const SCOREBOARD_RULES = {
  /** A request counts as accepted in time when accepted at most this many days after sending. */
  acceptanceDays: 7,
  /** Share of requests accepted in time: green from the Commission's target, amber from our lower mark. */
  acceptanceTarget: 80,
  acceptanceAmberFrom: 60,
  /** Average days from sending to the first answer: green below, red above, amber between. */
  answerGreenBelow: 16,
  answerRedAbove: 25,
  /** Share answered by the agreed deadline. */
  deadlineTarget: 80,
  deadlineAmberFrom: 60,
} as const;

/** The longest period one scoreboard covers, so a typo in a year cannot ask for centuries. */
export const MAX_PERIOD_DAYS = 3660;

/** What the database adds up per group; every roll-up is a sum of these. */
export interface ScoreCounts {
  /** Requests sent to the authority in the period. */
  received: number;
  /** Of those, the ones whose acceptance can be judged: accepted, or not accepted after the allowed days. */
  acceptanceDue: number;
  acceptedInTime: number;
  /** Of those received, the ones answered at least once, and the days from sending to their first answer. */
  answered: number;
  answerDays: number;
  /** Of those received with a deadline, the ones answered or past their deadline unanswered. */
  deadlineDue: number;
  onTime: number;
  /** Requests awaiting the authority's answer today, and those of them past their deadline. */
  open: number;
  overdue: number;
}

export const ZERO_COUNTS: ScoreCounts = {
  received: 0, acceptanceDue: 0, acceptedInTime: 0, answered: 0, answerDays: 0, deadlineDue: 0, onTime: 0, open: 0, overdue: 0,
};

export const addCounts = (a: ScoreCounts, b: ScoreCounts): ScoreCounts => ({
  received: a.received + b.received,
  acceptanceDue: a.acceptanceDue + b.acceptanceDue,
  acceptedInTime: a.acceptedInTime + b.acceptedInTime,
  answered: a.answered + b.answered,
  answerDays: a.answerDays + b.answerDays,
  deadlineDue: a.deadlineDue + b.deadlineDue,
  onTime: a.onTime + b.onTime,
  open: a.open + b.open,
  overdue: a.overdue + b.overdue,
});

export interface ShareIndicator {
  count: number;
  of: number;
  /** Percentage with one decimal; null when nothing could be measured. */
  percent: number | null;
  light: Light;
  target: number;
}

/** The indicators of one authority, area, country or the whole scope. */
export interface Figures {
  received: number;
  acceptedWithin7Days: ShareIndicator;
  averageDaysToAnswer: { days: number | null; answered: number; light: Light };
  answeredByDeadline: ShareIndicator;
  open: number;
  overdue: number;
}

const oneDecimal = (x: number): number => Math.round(x * 10) / 10;

function share(count: number, of: number, target: number, amberFrom: number): ShareIndicator {
  if (of === 0) return { count, of, percent: null, light: 'none', target };
  // The light follows the figure shown, so 79.96 % shown as 80 % is green, never amber.
  const percent = oneDecimal((count / of) * 100);
  const light: Light = percent >= target ? 'green' : percent >= amberFrom ? 'amber' : 'red';
  return { count, of, percent, light, target };
}

export function answerLight(days: number | null): Light {
  if (days === null) return 'none';
  if (days < SCOREBOARD_RULES.answerGreenBelow) return 'green';
  return days > SCOREBOARD_RULES.answerRedAbove ? 'red' : 'amber';
}

export function figuresOf(c: ScoreCounts): Figures {
  const days = c.answered === 0 ? null : oneDecimal(c.answerDays / c.answered);
  const R = SCOREBOARD_RULES;
  return {
    received: c.received,
    acceptedWithin7Days: share(c.acceptedInTime, c.acceptanceDue, R.acceptanceTarget, R.acceptanceAmberFrom),
    averageDaysToAnswer: { days, answered: c.answered, light: answerLight(days) },
    answeredByDeadline: share(c.onTime, c.deadlineDue, R.deadlineTarget, R.deadlineAmberFrom),
    open: c.open,
    overdue: c.overdue,
  };
}

const LIGHT_WEIGHT: Record<Light, number> = { red: 3, amber: 1, green: 0, none: 0 };

/** How badly an authority is doing, for "slowest first" lists: red lights, then amber, then overdue requests. */
export function severity(f: Figures): number {
  const lights = [f.acceptedWithin7Days.light, f.averageDaysToAnswer.light, f.answeredByDeadline.light];
  return lights.reduce((sum, l) => sum + LIGHT_WEIGHT[l], 0) * 10_000 + f.overdue;
}

/** The worst of several lights, for one marker that sums up a row. */
export function worstLight(lights: Light[]): Light {
  for (const l of ['red', 'amber', 'green'] as const) if (lights.includes(l)) return l;
  return 'none';
}

export interface Period {
  /** First and last calendar day, both included, read in each responding authority's time zone. */
  from: IsoDate;
  to: IsoDate;
}

/** Checks a period typed by a person or a script. */
export function checkPeriod(from: string, to: string): Result<Period> {
  const f = parseIsoDate(from);
  if (!f) return fail('SCOREBOARD.INVALID_PERIOD', { from, to }, 'from');
  const t = parseIsoDate(to);
  if (!t) return fail('SCOREBOARD.INVALID_PERIOD', { from, to }, 'to');
  if (f > t) return fail('SCOREBOARD.INVALID_PERIOD', { from, to }, 'from');
  if (daysFrom(f, t) >= MAX_PERIOD_DAYS) return fail('SCOREBOARD.INVALID_PERIOD', { from, to }, 'from');
  return ok({ from: f, to: t });
}

const daysFrom = (a: IsoDate, b: IsoDate): number =>
  Math.round(DateTime.fromISO(b, { zone: 'UTC' }).diff(DateTime.fromISO(a, { zone: 'UTC' }), 'days').days);

/** The last `days` calendar days up to and including `today`. */
export const lastDays = (today: IsoDate, days: number): Period => ({
  from: DateTime.fromISO(today, { zone: 'UTC' }).minus({ days: days - 1 }).toISODate()!,
  to: today,
});

/** The default view: the last 90 days, long enough to hold a few requests of a small authority. */
export const DEFAULT_PERIOD_DAYS = 90;

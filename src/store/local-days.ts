import type { Knex } from 'knex';
import { DateTime } from 'luxon';

/**
 * Calendar days in a time zone, computed by the database from the ISO timestamps we store.
 * sqlite knows no time zones, so the zone's UTC offsets over the span of interest are worked
 * out here with luxon (daylight saving included) and handed to SQL as a CASE over instants;
 * both engines then do the same arithmetic: whole days since 1970-01-01, local calendar.
 */

export type SqlEngine = 'sqlite' | 'pg';

export const sqlEngine = (db: Knex | Knex.Transaction): SqlEngine =>
  String((db as unknown as { client: { config: { client: unknown } } }).client.config.client) === 'pg' ? 'pg' : 'sqlite';

/** A zone's offset in minutes, valid for instants before `until` (ISO, exclusive); the last one has no end. */
export interface OffsetSpan {
  until: string | null;
  minutes: number;
}

const DAY_MS = 86_400_000;

const offsetAt = (zone: string, ms: number): number => DateTime.fromMillis(ms, { zone }).offset;

/** The offsets a zone has between two instants, with the exact instants it changes (to the millisecond). */
export function offsetSpans(zone: string, from: Date, to: Date): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  let current = offsetAt(zone, from.getTime());
  // Zones change offset at most a few times a year, never twice within a day.
  for (let t = from.getTime(); t < to.getTime(); t += DAY_MS) {
    const next = Math.min(t + DAY_MS, to.getTime());
    const after = offsetAt(zone, next);
    if (after === current) continue;
    let lo = t;
    let hi = next;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(zone, mid) === current) lo = mid;
      else hi = mid;
    }
    spans.push({ until: new Date(hi).toISOString(), minutes: current });
    current = after;
  }
  spans.push({ until: null, minutes: current });
  return spans;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const COLUMN = /^[a-z_]+(\.[a-z_]+)?$/;

/** An instant we generated ourselves, written into SQL as a literal after checking its exact form. */
export function instantLiteral(iso: string): string {
  if (!ISO_INSTANT.test(iso)) throw new Error(`not an ISO instant: ${iso}`);
  return `'${iso}'`;
}

const checkedColumn = (column: string): string => {
  if (!COLUMN.test(column)) throw new Error(`not a column name: ${column}`);
  return column;
};

const wholeMinutes = (m: number): string => {
  const n = Math.round(m);
  if (!Number.isSafeInteger(n)) throw new Error(`not an offset: ${m}`);
  return String(n);
};

/** SQL for the local calendar day number (days since 1970-01-01) of an ISO instant column. */
export function localDaySql(engine: SqlEngine, column: string, spans: OffsetSpan[]): string {
  const col = checkedColumn(column);
  const offset =
    spans.length === 1
      ? wholeMinutes(spans[0]!.minutes)
      : `(case ${spans
          .map((s) => (s.until === null ? `else ${wholeMinutes(s.minutes)}` : `when ${col} < ${instantLiteral(s.until)} then ${wholeMinutes(s.minutes)}`))
          .join(' ')} end)`;
  const epochDays =
    engine === 'pg' ? `(extract(epoch from cast(${col} as timestamptz)) / 86400.0)` : `(julianday(${col}) - 2440587.5)`;
  return `cast(floor(${epochDays} + ${offset} / 1440.0) as integer)`;
}

/** SQL for the day number of a calendar date (YYYY-MM-DD); `expr` is SQL of ours, such as a coalesce of columns. */
export function dateDaySql(engine: SqlEngine, expr: string): string {
  return engine === 'pg' ? `(cast(${expr} as date) - date '1970-01-01')` : `cast(julianday(${expr}) - 2440587.5 as integer)`;
}

/** The day number of a calendar date. */
export const dayNumber = (isoDate: string): number => Math.round(DateTime.fromISO(isoDate, { zone: 'UTC' }).toMillis() / DAY_MS);

/** The calendar day it is at `now` in a zone, as a day number. */
export const localDayNumber = (now: Date, zone: string): number =>
  dayNumber(DateTime.fromJSDate(now).setZone(zone).toISODate()!);

/** The first instant of a local calendar date in a zone, as we store instants. */
export const startOfLocalDay = (isoDate: string, zone: string): string =>
  DateTime.fromISO(isoDate, { zone }).startOf('day').toJSDate().toISOString();

import { DateTime } from 'luxon';
import type { LegislativeArea } from './area.ts';

/** A deadline is a calendar date (YYYY-MM-DD) that ends at midnight in the responding authority's zone. */
export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a user-typed date; only real calendar dates in ISO form are accepted. */
export function parseIsoDate(text: string): IsoDate | null {
  const trimmed = text.trim();
  if (!ISO_DATE.test(trimmed)) return null;
  const d = DateTime.fromISO(trimmed, { zone: 'UTC' });
  return d.isValid ? trimmed : null;
}

/** The calendar date it is now in a time zone. */
export const todayIn = (now: Date, timezone: string): IsoDate =>
  DateTime.fromJSDate(now).setZone(timezone).toISODate()!;

export const isWeekend = (date: DateTime): boolean => date.weekday >= 6;

/** Adds days to a date, skipping Saturdays and Sundays when the area counts working days. */
export function addDays(from: IsoDate, days: number, workingDays: boolean): IsoDate {
  let d = DateTime.fromISO(from, { zone: 'UTC' });
  if (!workingDays) return d.plus({ days }).toISODate()!;
  let left = days;
  while (left > 0) {
    d = d.plus({ days: 1 });
    if (!isWeekend(d)) left -= 1;
  }
  return d.toISODate()!;
}

/** Days from one date to another: working days when the area counts them, negative when past. */
export function daysBetween(from: IsoDate, to: IsoDate, workingDays: boolean): number {
  const a = DateTime.fromISO(from, { zone: 'UTC' });
  const b = DateTime.fromISO(to, { zone: 'UTC' });
  const calendar = Math.round(b.diff(a, 'days').days);
  if (!workingDays) return calendar;
  const sign = calendar < 0 ? -1 : 1;
  let count = 0;
  for (let i = 1; i <= Math.abs(calendar); i++) {
    if (!isWeekend(a.plus({ days: i * sign }))) count += sign;
  }
  return count;
}

/** The deadline offered by default for a new request of an area. */
export const defaultDeadline = (area: LegislativeArea, today: IsoDate): IsoDate =>
  addDays(today, area.defaultDeadlineDays, area.workingDays);

/** The instant a deadline date ends in a time zone (midnight after it). */
export const deadlineEnd = (date: IsoDate, timezone: string): Date =>
  DateTime.fromISO(date, { zone: timezone }).plus({ days: 1 }).startOf('day').toJSDate();

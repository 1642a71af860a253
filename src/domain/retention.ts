import { DateTime } from 'luxon';
import type { Request } from './request.ts';

/**
 * Regulation (EU) 1024/2012 Art. 14: personal data of an exchange are blocked at the latest six
 * months after its formal closure and deleted automatically three years after closure.
 */
export const RETENTION = { blockAfterMonths: 6, deleteAfterYears: 3 } as const;

/** active: visible to those who need it; blocked: hidden from everyone; erasable: due for deletion. */
export type RetentionStage = 'active' | 'blocked' | 'erasable';

/** When a request counts as formally closed: closed, or withdrawn (withdrawal ends the exchange too). */
export const closureOf = (r: Pick<Request, 'status' | 'closedAt'>): string | null =>
  (r.status === 'closed' || r.status === 'withdrawn') && r.closedAt ? r.closedAt : null;

/** The instants at which a closed request's personal data are blocked and deleted. */
export function retentionDates(closedAt: string): { blockAt: Date; deleteAt: Date } | null {
  const closed = DateTime.fromISO(closedAt, { zone: 'utc' });
  if (!closed.isValid) return null;
  return {
    blockAt: closed.plus({ months: RETENTION.blockAfterMonths }).toJSDate(),
    deleteAt: closed.plus({ years: RETENTION.deleteAfterYears }).toJSDate(),
  };
}

/** Where a request stands under the retention rules at `now`; an open request is always active. */
export function retentionStage(r: Pick<Request, 'status' | 'closedAt'>, now: Date): RetentionStage {
  const closedAt = closureOf(r);
  if (!closedAt) return 'active';
  const dates = retentionDates(closedAt);
  if (!dates) return 'active';
  if (now.getTime() >= dates.deleteAt.getTime()) return 'erasable';
  return now.getTime() >= dates.blockAt.getTime() ? 'blocked' : 'active';
}

/**
 * A closure instant (ISO) that every request due for blocking at `now` closed at or before. It
 * reaches a few days too far (months differ in length), so a store may pre-select with it and
 * `retentionStage` then decides exactly.
 */
export const blockingCutoff = (now: Date): string =>
  DateTime.fromJSDate(now, { zone: 'utc' }).minus({ months: RETENTION.blockAfterMonths }).plus({ days: 4 }).toJSDate().toISOString();

/** The same for deletion: every request due for deletion at `now` closed at or before it. */
export const deletionCutoff = (now: Date): string =>
  DateTime.fromJSDate(now, { zone: 'utc' }).minus({ years: RETENTION.deleteAfterYears }).plus({ days: 4 }).toJSDate().toISOString();

import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { SCOREBOARD_RULES, type Period } from '../domain/scoreboard.ts';
import type { AuthorityScope, ScoreboardRepository, ScoreRow } from '../app/ports/coordinator.repository.ts';
import {
  dateDaySql,
  instantLiteral,
  localDayNumber,
  localDaySql,
  offsetSpans,
  sqlEngine,
  startOfLocalDay,
} from './local-days.ts';

type Db = Knex | Knex.Transaction;

/** Statuses in which the responder still owes an answer (as in the coordinator overview). */
const AWAITING = "('sent', 'accepted', 'further_info_requested')";

const DAY_MS = 86_400_000;

/** Narrows a query on `authorities as a` to a scope; live authorities only. */
function inScope(q: Knex.QueryBuilder, scope: AuthorityScope): Knex.QueryBuilder {
  q.where('a.training', false);
  if (scope.coordinatorId) q.where('a.coordinator_id', scope.coordinatorId).whereNot('a.id', scope.coordinatorId);
  if (scope.country) q.where('a.country', scope.country);
  return q;
}

const validZone = (zone: string): string => (DateTime.local().setZone(zone).isValid ? zone : 'UTC');

/**
 * The aggregate for the authorities of one time zone: every figure is a SUM over CASE
 * expressions, so the database returns one row per authority and area, never the requests.
 */
function countsSql(db: Db, zone: string, period: Period, now: Date): { figures: string; inPeriod: string } {
  const engine = sqlEngine(db);
  const from = startOfLocalDay(period.from, zone);
  const to = startOfLocalDay(DateTime.fromISO(period.to, { zone: 'UTC' }).plus({ days: 1 }).toISODate()!, zone);
  // Offsets from a day before the period to a day after now: every sent, accepted and
  // answered time of a request sent in the period lies in between.
  const spans = offsetSpans(zone, new Date(Date.parse(from) - DAY_MS), new Date(Math.max(Date.parse(to), now.getTime()) + DAY_MS));
  const day = (column: string) => localDaySql(engine, column, spans);
  const today = String(localDayNumber(now, zone));
  const deadline = 'coalesce(r.agreed_deadline, r.requested_deadline)';
  const deadlineDay = dateDaySql(engine, deadline);
  const inPeriod = `r.sent_at >= ${instantLiteral(from)} and r.sent_at < ${instantLiteral(to)}`;
  const sent = day('r.sent_at');
  const accepted = day('r.accepted_at');
  const answered = day('r.answered_at');
  const allowed = SCOREBOARD_RULES.acceptanceDays;
  const sum = (when: string, then = '1') => `sum(case when ${when} then ${then} else 0 end)`;
  const figures = [
    `${sum(inPeriod)} as received`,
    `${sum(`${inPeriod} and (r.accepted_at is not null or (r.status <> 'withdrawn' and ${today} - ${sent} > ${allowed}))`)} as acceptance_due`,
    `${sum(`${inPeriod} and r.accepted_at is not null and ${accepted} - ${sent} <= ${allowed}`)} as accepted_in_time`,
    `${sum(`${inPeriod} and r.answered_at is not null`)} as answered`,
    `${sum(`${inPeriod} and r.answered_at is not null`, `${answered} - ${sent}`)} as answer_days`,
    `${sum(`${inPeriod} and ${deadline} is not null and (r.answered_at is not null or (r.status in ${AWAITING} and ${today} > ${deadlineDay}))`)} as deadline_due`,
    `${sum(`${inPeriod} and ${deadline} is not null and r.answered_at is not null and ${answered} <= ${deadlineDay}`)} as on_time`,
    `${sum(`r.status in ${AWAITING}`)} as open`,
    `${sum(`r.status in ${AWAITING} and ${deadline} is not null and ${today} > ${deadlineDay}`)} as overdue`,
  ].join(',\n  ');
  return { figures, inPeriod };
}

const n = (v: unknown): number => Number(v ?? 0);

export const scoreboardRepository = (db: Db): ScoreboardRepository => ({
  async authorities(scope) {
    const rows = await inScope(db('authorities as a'), scope)
      .select('a.id', 'a.name', 'a.country', 'a.timezone')
      .orderBy([{ column: 'a.country' }, { column: 'a.name' }, { column: 'a.id' }]);
    return rows.map((r: Record<string, string>) => ({ id: r.id, name: r.name, country: r.country, timezone: r.timezone }));
  },

  async counts(scope, period, now, area) {
    const zones: string[] = (await inScope(db('authorities as a'), scope).distinct('a.timezone')).map((r: { timezone: string }) => r.timezone);
    const out: ScoreRow[] = [];
    for (const storedZone of zones) {
      const { figures, inPeriod } = countsSql(db, validZone(storedZone), period, now);
      const q = inScope(db('requests as r').join('authorities as a', 'a.id', 'r.responder_authority_id'), scope)
        .where('a.timezone', storedZone)
        .where('r.training', false)
        .whereNotNull('r.sent_at')
        .whereRaw(`((${inPeriod}) or r.status in ${AWAITING})`)
        .groupBy('r.responder_authority_id', 'r.area')
        .select('r.responder_authority_id as authority_id', 'r.area as area', db.raw(figures));
      if (area) q.where('r.area', area);
      for (const r of await q) {
        out.push({
          authorityId: r.authority_id,
          area: r.area,
          received: n(r.received),
          acceptanceDue: n(r.acceptance_due),
          acceptedInTime: n(r.accepted_in_time),
          answered: n(r.answered),
          answerDays: n(r.answer_days),
          deadlineDue: n(r.deadline_due),
          onTime: n(r.on_time),
          open: n(r.open),
          overdue: n(r.overdue),
        });
      }
    }
    return out;
  },
});

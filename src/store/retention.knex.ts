import type { Knex } from 'knex';
import type { RetentionCutoffs, RetentionRepository } from '../app/ports/retention.repository.ts';
import { questionFromRow, ticketFromRow } from './helpdesk.knex.ts';
import { fromJson, toBool, toJson } from './json.ts';

type Db = Knex | Knex.Transaction;

const markersOf = (row: Record<string, unknown>) => ({
  blockedAt: (row.blocked_at as string | null) ?? null,
  personalDataDeletedAt: (row.personal_data_deleted_at as string | null) ?? null,
});

/** sqlite allows a limited number of bound parameters per statement, so IN lists go in slices. */
const SLICE = 500;
const slices = <T>(items: T[]): T[][] => Array.from({ length: Math.ceil(items.length / SLICE) }, (_, i) => items.slice(i * SLICE, (i + 1) * SLICE));

/** Rows of `table` closed (by `column`) early enough to be blocked or deleted: the `due` pre-selection. */
const dueRows = (db: Db, table: string, column: string, { blockCutoff, deleteCutoff }: RetentionCutoffs) =>
  db(table)
    .select('id', `${column} as closed_at`, 'blocked_at', 'personal_data_deleted_at')
    .whereNotNull(column)
    .where((w) =>
      w
        .where((b) => b.whereNull('blocked_at').where(column, '<=', blockCutoff))
        .orWhere((d) => d.whereNull('personal_data_deleted_at').where(column, '<=', deleteCutoff)),
    )
    .orderBy('id');

/** Notification parameters that copy a ticket's texts or name people; the rest (ids, languages) stays. */
const TICKET_COPIES = ['question', 'answer', 'askerName', 'coordinatorName'];

/** Removes the copies of a ticket's texts from its notifications (keys `<ticket id>:<kind>:<recipient>`); returns the rows changed. */
async function scrubTicketNotifications(db: Db, ticketId: string): Promise<number> {
  const rows = await db('outbox')
    .whereIn('kind', ['helpdesk.ticket', 'helpdesk.answer'])
    .where('key', 'like', `${ticketId}:%`)
    .select('id', 'params');
  let changed = 0;
  for (const row of rows) {
    const params = fromJson<Record<string, unknown>>(row.params);
    if (!TICKET_COPIES.some((k) => k in params)) continue;
    for (const k of TICKET_COPIES) delete params[k];
    await db('outbox').where({ id: row.id }).update({ params: toJson(params) });
    changed++;
  }
  return changed;
}

export const retentionRepository = (db: Db): RetentionRepository => ({
  async markers(requestId) {
    const row = await db('requests').where({ id: requestId }).first('blocked_at', 'personal_data_deleted_at');
    return row ? markersOf(row) : null;
  },
  async due({ blockCutoff, deleteCutoff }) {
    const rows = await db('requests')
      .select('id', 'blocked_at', 'personal_data_deleted_at')
      .whereNotNull('closed_at')
      .where((w) =>
        w
          .where((b) => b.whereNull('blocked_at').where('closed_at', '<=', blockCutoff))
          .orWhere((d) => d.whereNull('personal_data_deleted_at').where('closed_at', '<=', deleteCutoff)),
      )
      .orderBy('id');
    return rows.map((r) => ({ id: r.id as string, ...markersOf(r) }));
  },
  async markBlocked(requestId, at) {
    await db('requests').where({ id: requestId }).whereNull('blocked_at').update({ blocked_at: at });
  },
  async markDeleted(requestId, at) {
    await db('requests').where({ id: requestId }).whereNull('personal_data_deleted_at').update({ personal_data_deleted_at: at });
  },
  async purgeTranslations(hashes) {
    let removed = 0;
    for (const part of slices(hashes)) removed += await db('translations').whereIn('hash', part).delete();
    return removed;
  },

  async tickets() {
    const rows = await db('helpdesk_tickets').orderBy('created_at').orderBy('id');
    return rows.map((r) => ({ ...ticketFromRow(r), ...markersOf(r) }));
  },
  async ticket(id) {
    const row = await db('helpdesk_tickets').where({ id }).first();
    return row ? { ...ticketFromRow(row), ...markersOf(row) } : null;
  },
  async ticketsDue(cutoffs) {
    // Only answered tickets carry answered_at: an open ticket has not ended, like an open request.
    const rows = await dueRows(db, 'helpdesk_tickets', 'answered_at', cutoffs);
    return rows.map((r) => ({ id: r.id as string, closedAt: r.closed_at as string, ...markersOf(r) }));
  },
  async markTicketBlocked(id, at) {
    await db('helpdesk_tickets').where({ id }).whereNull('blocked_at').update({ blocked_at: at });
  },
  async eraseTicket(id, at) {
    const row = await db('helpdesk_tickets').where({ id }).first('question', 'answer', 'personal_data_deleted_at');
    if (!row || row.personal_data_deleted_at) return { fields: 0, notifications: 0 };
    const fields = [row.question, row.answer].filter((t) => typeof t === 'string' && t !== '').length;
    await db('helpdesk_tickets')
      .where({ id })
      .whereNull('personal_data_deleted_at')
      .update({ question: '', answer: row.answer === null ? null : '', personal_data_deleted_at: at });
    return { fields, notifications: await scrubTicketNotifications(db, id) };
  },

  async faqQuestions() {
    const rows = await db('faq_questions as q')
      .leftJoin('faq_feedback as f', 'f.question_id', 'q.id')
      .select('q.*', 'f.user_id as rated_by', 'f.helpful as rated_helpful', 'f.at as rated_at')
      .orderBy('q.id');
    return rows.map((r) => ({
      ...questionFromRow(r),
      ...markersOf(r),
      rating: r.rated_at ? { userId: (r.rated_by as string | null) ?? null, helpful: toBool(r.rated_helpful), at: r.rated_at as string } : null,
    }));
  },
  async faqQuestionsDue(cutoffs) {
    // Asking a question and getting the FAQ's answer is the whole exchange: it ends when asked.
    const rows = await dueRows(db, 'faq_questions', 'asked_at', cutoffs);
    return rows.map((r) => ({ id: Number(r.id), closedAt: r.closed_at as string, ...markersOf(r) }));
  },
  async markFaqQuestionsBlocked(ids, at) {
    for (const part of slices(ids)) await db('faq_questions').whereIn('id', part).whereNull('blocked_at').update({ blocked_at: at });
  },
  async eraseFaqQuestions(ids, at) {
    const erased: number[] = [];
    for (const part of slices(ids)) {
      const open = (await db('faq_questions').whereIn('id', part).whereNull('personal_data_deleted_at').select('id')).map((r) => Number(r.id));
      if (open.length === 0) continue;
      await db('faq_questions')
        .whereIn('id', open)
        .update({ question: '', normalized: '', user_id: null, personal_data_deleted_at: at });
      await db('faq_feedback').whereIn('question_id', open).update({ user_id: null });
      erased.push(...open);
    }
    return erased;
  },
});

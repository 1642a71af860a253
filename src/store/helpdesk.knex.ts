import type { Knex } from 'knex';
import type { Ticket } from '../domain/helpdesk.ts';
import { normalizeQuestion } from '../domain/helpdesk.ts';
import type { FaqQuestionRecord, HelpdeskRepository } from '../app/ports/helpdesk.repository.ts';
import { toBool } from './json.ts';
import { nextInSequence } from './sequences.knex.ts';

type Db = Knex | Knex.Transaction;

// Moved to sequences.knex.ts (one upsert, safe on PostgreSQL); re-exported for onboarding.knex.ts.
export { nextInSequence };

export const questionFromRow = (r: Record<string, unknown>): FaqQuestionRecord => ({
  id: Number(r.id),
  userId: (r.user_id as string | null) ?? null,
  lang: r.lang as string,
  question: r.question as string,
  entryId: (r.entry_id as string | null) ?? null,
  score: Number(r.score),
  answered: toBool(r.answered),
  origin: r.origin as FaqQuestionRecord['origin'],
  askedAt: r.asked_at as string,
});

const ticketToRow = (t: Ticket) => ({
  id: t.id,
  asker_id: t.askerId,
  asker_authority_id: t.askerAuthorityId,
  coordinator_authority_id: t.coordinatorAuthorityId,
  question: t.question,
  question_lang: t.questionLang,
  status: t.status,
  answer: t.answer,
  answer_lang: t.answerLang,
  answered_by: t.answeredBy,
  created_at: t.createdAt,
  answered_at: t.answeredAt,
});

export const ticketFromRow = (r: Record<string, unknown>): Ticket => ({
  id: r.id as string,
  askerId: r.asker_id as string,
  askerAuthorityId: r.asker_authority_id as string,
  coordinatorAuthorityId: r.coordinator_authority_id as string,
  question: r.question as string,
  questionLang: r.question_lang as string,
  status: r.status as Ticket['status'],
  answer: (r.answer as string | null) ?? null,
  answerLang: (r.answer_lang as string | null) ?? null,
  answeredBy: (r.answered_by as string | null) ?? null,
  createdAt: r.created_at as string,
  answeredAt: (r.answered_at as string | null) ?? null,
});

/**
 * Rows the retention run blocked or that were erased (migration 011) are out of everyone's sight:
 * the helpdesk reads them as absent. Only src/store/retention.knex.ts reads them, for export and erasure.
 */
const retained = (q: Knex.QueryBuilder): Knex.QueryBuilder => q.whereNull('blocked_at').whereNull('personal_data_deleted_at');

export const helpdeskRepository = (db: Db): HelpdeskRepository => ({
  async logQuestion(q) {
    const [row] = await db('faq_questions')
      .insert({
        user_id: q.userId,
        lang: q.lang,
        question: q.question,
        normalized: normalizeQuestion(q.question),
        entry_id: q.entryId,
        score: q.score,
        answered: q.answered,
        origin: q.origin,
        asked_at: q.askedAt,
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  },
  async question(id) {
    const row = await retained(db('faq_questions').where({ id })).first();
    return row ? questionFromRow(row) : null;
  },
  async rate(questionId, userId, helpful, at) {
    await db('faq_feedback')
      .insert({ question_id: questionId, user_id: userId, helpful, at })
      .onConflict('question_id')
      .merge(['helpful', 'at', 'user_id']);
  },
  async unanswered() {
    const rows: Record<string, unknown>[] = await retained(db('faq_questions').where({ answered: false }))
      .groupBy('normalized')
      .select('normalized')
      .min({ question: 'question', lang: 'lang' })
      .count({ count: '*' })
      .max({ last_asked_at: 'asked_at', best_score: 'score' })
      .orderBy([{ column: 'count', order: 'desc' }, { column: 'last_asked_at', order: 'desc' }]);
    // The best candidate of the group's most hopeful asking, for the report's "maybe meant".
    const best: Record<string, unknown>[] = await retained(db('faq_questions').where({ answered: false }))
      .select('normalized', 'entry_id', 'score');
    return rows.map((r) => {
      const top = best
        .filter((b) => b.normalized === r.normalized)
        .sort((a, b) => Number(b.score) - Number(a.score))[0];
      return {
        question: r.question as string,
        lang: r.lang as string,
        count: Number(r.count),
        lastAskedAt: r.last_asked_at as string,
        bestEntryId: (top?.entry_id as string | null) ?? null,
        bestScore: Number(r.best_score),
      };
    });
  },
  async ratings() {
    const rows: Record<string, unknown>[] = await db('faq_questions as q')
      .leftJoin('faq_feedback as f', 'f.question_id', 'q.id')
      .where('q.answered', true)
      .whereNotNull('q.entry_id')
      .groupBy('q.entry_id', 'q.lang')
      .select('q.entry_id', 'q.lang')
      .count({ shown: '*' })
      .sum({ helpful: db.raw('case when f.helpful = ? then 1 else 0 end', [true]) })
      .sum({ unhelpful: db.raw('case when f.helpful = ? then 1 else 0 end', [false]) })
      .orderBy(['q.entry_id', 'q.lang']);
    return rows.map((r) => ({
      entryId: r.entry_id as string,
      lang: r.lang as string,
      shown: Number(r.shown),
      helpful: Number(r.helpful ?? 0),
      unhelpful: Number(r.unhelpful ?? 0),
    }));
  },
  nextTicketNumber: (year) => nextInSequence(db, `ticket-${year}`),
  async insertTicket(t) {
    await db('helpdesk_tickets').insert(ticketToRow(t));
  },
  async getTicket(id) {
    const row = await retained(db('helpdesk_tickets').where({ id })).first();
    return row ? ticketFromRow(row) : null;
  },
  async answerTicket(t) {
    // Not over an erased ticket: the answer would write its question back.
    const changed = await retained(db('helpdesk_tickets').where({ id: t.id, status: 'open' })).update(ticketToRow(t));
    return changed === 1;
  },
  async ticketsOfAsker(userId) {
    return (await retained(db('helpdesk_tickets').where({ asker_id: userId })).orderBy('created_at', 'desc').orderBy('id', 'desc')).map(ticketFromRow);
  },
  async ticketsForCoordinators(authorityId) {
    const rows = await retained(db('helpdesk_tickets').where({ coordinator_authority_id: authorityId }))
      .orderByRaw("case when status = 'open' then 0 else 1 end")
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc');
    return rows.map(ticketFromRow);
  },
});

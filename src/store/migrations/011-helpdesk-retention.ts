import type { Knex } from 'knex';

/**
 * Retention markers of the helpdesk (Reg. 1024/2012 Art. 14, as for requests in 006): hand-over
 * tickets and FAQ questions hold what officials wrote, so they are blocked six months and deleted
 * three years after they ended (a ticket when answered, a FAQ question when asked), or erased on
 * a data subject's request. The dates are indexed because the daily retention run selects by them.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('helpdesk_tickets', (t) => {
    t.string('blocked_at', 32).nullable();
    t.string('personal_data_deleted_at', 32).nullable();
    t.index(['answered_at'], 'helpdesk_tickets_answered_at');
  });
  await db.schema.alterTable('faq_questions', (t) => {
    t.string('blocked_at', 32).nullable();
    t.string('personal_data_deleted_at', 32).nullable();
    t.index(['asked_at'], 'faq_questions_asked_at');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('faq_questions', (t) => {
    t.dropIndex(['asked_at'], 'faq_questions_asked_at');
    t.dropColumn('personal_data_deleted_at');
    t.dropColumn('blocked_at');
  });
  await db.schema.alterTable('helpdesk_tickets', (t) => {
    t.dropIndex(['answered_at'], 'helpdesk_tickets_answered_at');
    t.dropColumn('personal_data_deleted_at');
    t.dropColumn('blocked_at');
  });
}

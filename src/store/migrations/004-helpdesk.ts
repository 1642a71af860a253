import type { Knex } from 'knex';

/** Helpdesk questions, feedback and tickets; onboarding state; training sandboxes. */
export async function up(db: Knex): Promise<void> {
  // Every question put to the FAQ, so that unanswered ones can be counted and answers rated.
  await db.schema.createTable('faq_questions', (t) => {
    t.increments('id').primary();
    t.string('user_id', 64).nullable().index();
    t.string('lang', 8).notNullable();
    t.text('question').notNullable();
    t.string('normalized', 500).notNullable();
    t.string('entry_id', 64).nullable();
    t.float('score').notNullable();
    t.boolean('answered').notNullable();
    t.string('origin', 16).notNullable();
    t.string('asked_at', 32).notNullable();
    t.index(['answered', 'normalized']);
  });
  await db.schema.createTable('faq_feedback', (t) => {
    t.integer('question_id').primary().references('faq_questions.id');
    t.string('user_id', 64).nullable();
    t.boolean('helpful').notNullable();
    t.string('at', 32).notNullable();
  });
  await db.schema.createTable('helpdesk_tickets', (t) => {
    t.string('id', 32).primary();
    t.string('asker_id', 64).notNullable().index();
    t.string('asker_authority_id', 64).notNullable();
    t.string('coordinator_authority_id', 64).notNullable().index();
    t.text('question').notNullable();
    t.string('question_lang', 8).notNullable();
    t.string('status', 16).notNullable();
    t.text('answer').nullable();
    t.string('answer_lang', 8).nullable();
    t.string('answered_by', 64).nullable();
    t.string('created_at', 32).notNullable();
    t.string('answered_at', 32).nullable();
  });
  await db.schema.createTable('user_onboarding', (t) => {
    t.string('user_id', 64).primary();
    t.string('inbox_opened_at', 32).nullable();
    t.string('partners_viewed_at', 32).nullable();
    t.boolean('training_mode').notNullable().defaultTo(false);
    t.string('training_started_at', 32).nullable();
  });
  // The local admin's yearly confirmation that users who left were removed.
  await db.schema.createTable('authority_user_reviews', (t) => {
    t.string('authority_id', 64).primary();
    t.string('reviewed_at', 32).notNullable();
    t.string('reviewed_by', 64).notNullable();
  });
  await db.schema.createTable('training_requests', (t) => {
    t.string('request_id', 32).primary();
    t.string('user_id', 64).notNullable().index();
    t.string('created_at', 32).notNullable();
  });
  // Simulated partner authorities are real rows (requests reference them) kept out of live lists.
  await db.schema.alterTable('authorities', (t) => {
    t.boolean('training').notNullable().defaultTo(false);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('authorities', (t) => {
    t.dropColumn('training');
  });
  for (const table of ['training_requests', 'authority_user_reviews', 'user_onboarding', 'helpdesk_tickets', 'faq_feedback', 'faq_questions']) {
    await db.schema.dropTableIfExists(table);
  }
}

import type { Knex } from 'knex';

/** Authorities, users, requests with history, audit log and the transactional outbox. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('authorities', (t) => {
    t.string('id', 64).primary();
    t.string('name', 300).notNullable();
    t.string('country', 2).notNullable().index();
    t.string('language', 8).notNullable();
    t.string('timezone', 64).notNullable();
    t.text('areas').notNullable();
    t.string('coordinator_id', 64).nullable();
    t.text('contact').notNullable();
    t.string('data_reviewed_at', 32).nullable();
  });
  await db.schema.createTable('users', (t) => {
    t.string('id', 64).primary();
    t.string('authority_id', 64).notNullable().references('authorities.id').index();
    t.string('name', 300).notNullable();
    t.string('language', 8).nullable();
    t.text('roles').notNullable();
    t.text('areas').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
  });
  await db.schema.createTable('user_identities', (t) => {
    t.string('channel', 16).notNullable();
    t.string('external_id', 200).notNullable();
    t.string('user_id', 64).notNullable().references('users.id').index();
    t.primary(['channel', 'external_id']);
  });
  await db.schema.createTable('requests', (t) => {
    t.string('id', 32).primary();
    t.string('area', 64).notNullable();
    t.string('requester_authority_id', 64).notNullable().index();
    t.string('responder_authority_id', 64).nullable().index();
    t.string('created_by', 64).notNullable();
    t.string('status', 32).notNullable();
    t.boolean('training').notNullable().defaultTo(false);
    t.string('requested_deadline', 10).nullable();
    t.string('agreed_deadline', 10).nullable();
    t.integer('version').notNullable();
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('sent_at', 32).nullable();
    t.string('closed_at', 32).nullable();
    // The rest of the request (questions, texts, answers, personal data) as one JSON document.
    t.text('body').notNullable();
    t.index(['status', 'agreed_deadline']);
    t.index(['status', 'requested_deadline']);
  });
  await db.schema.createTable('request_history', (t) => {
    t.increments('seq').primary();
    t.string('request_id', 32).notNullable().references('requests.id').index();
    t.string('type', 32).notNullable();
    t.string('actor_id', 64).notNullable();
    t.string('at', 32).notNullable();
    t.text('details').notNullable();
  });
  await db.schema.createTable('sequences', (t) => {
    t.string('name', 64).primary();
    t.integer('value').notNullable();
  });
  await db.schema.createTable('audit_log', (t) => {
    t.increments('seq').primary();
    t.string('at', 32).notNullable();
    t.string('actor_id', 64).notNullable();
    t.string('channel', 16).notNullable();
    t.string('action', 64).notNullable();
    t.string('target', 200).notNullable();
    t.text('details').notNullable();
  });
  await db.schema.createTable('outbox', (t) => {
    t.increments('id').primary();
    t.string('key', 300).notNullable().unique();
    t.string('recipient_id', 64).notNullable();
    t.string('kind', 64).notNullable();
    t.string('request_id', 32).nullable();
    t.text('params').notNullable();
    t.string('status', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 32).notNullable();
    t.string('last_error', 1000).nullable();
    t.string('channel', 16).nullable();
    t.string('created_at', 32).notNullable();
    t.string('delivered_at', 32).nullable();
    t.index(['status', 'next_attempt_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['outbox', 'audit_log', 'sequences', 'request_history', 'requests', 'user_identities', 'users', 'authorities']) {
    await db.schema.dropTableIfExists(table);
  }
}

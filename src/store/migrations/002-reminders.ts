import type { Knex } from 'knex';

/** Reminder and delivery bookkeeping. */
export async function up(db: Knex): Promise<void> {
  // One row per issued reminder: the primary key is the idempotency key, so two scans racing
  // (in one process or two) issue each reminder once.
  await db.schema.createTable('reminders_sent', (t) => {
    t.string('key', 300).primary();
    t.string('rule', 32).notNullable();
    t.string('request_id', 32).nullable().index();
    t.string('authority_id', 64).notNullable();
    t.string('created_at', 32).notNullable();
  });
  await db.schema.createTable('reminder_settings', (t) => {
    t.string('authority_id', 64).primary();
    t.string('days_before', 100).nullable();
    t.integer('escalate_after_days').nullable();
    t.string('working_hours', 100).nullable();
  });
  await db.schema.createTable('request_seen', (t) => {
    t.string('request_id', 32).notNullable();
    t.string('user_id', 64).notNullable();
    t.string('seen_at', 32).notNullable();
    t.primary(['request_id', 'user_id']);
  });
  // The scan's candidate queries: sent requests by sent_at, proposals by time.
  await db.schema.alterTable('requests', (t) => {
    t.index(['status', 'sent_at'], 'requests_status_sent_at_index');
  });
  await db.schema.alterTable('request_history', (t) => {
    t.index(['type', 'at'], 'request_history_type_at_index');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('request_history', (t) => t.dropIndex(['type', 'at'], 'request_history_type_at_index'));
  await db.schema.alterTable('requests', (t) => t.dropIndex(['status', 'sent_at'], 'requests_status_sent_at_index'));
  for (const table of ['request_seen', 'reminder_settings', 'reminders_sent']) await db.schema.dropTableIfExists(table);
}

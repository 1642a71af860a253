import type { Knex } from 'knex';

/** Channel references, event de-duplication, the web feed index and the translation cache. */
export async function up(db: Knex): Promise<void> {
  // Platforms retry deliveries; a key seen once is never processed again, by any instance.
  await db.schema.createTable('processed_events', (t) => {
    t.string('key', 200).primary();
    t.string('at', 32).notNullable().index();
  });
  // How to reach a user unprompted (Teams conversation reference, Slack DM channel).
  await db.schema.createTable('channel_addresses', (t) => {
    t.string('channel', 16).notNullable();
    t.string('external_id', 200).notNullable();
    t.text('address').notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('stale_reason', 300).nullable();
    t.primary(['channel', 'external_id']);
  });
  // The web chat reads each user's delivered notifications as their feed.
  await db.schema.alterTable('outbox', (t) => {
    t.index(['recipient_id', 'channel', 'status', 'id'], 'outbox_recipient_feed');
  });
  // Machine translations of free text, keyed by a hash of the text (personal data is not kept twice).
  await db.schema.createTable('translations', (t) => {
    t.string('hash', 64).notNullable();
    t.string('target', 8).notNullable();
    t.string('source', 8).notNullable();
    t.text('text').notNullable();
    t.string('provider', 32).notNullable();
    t.string('created_at', 32).notNullable();
    t.primary(['hash', 'target']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('translations');
  await db.schema.alterTable('outbox', (t) => {
    t.dropIndex(['recipient_id', 'channel', 'status', 'id'], 'outbox_recipient_feed');
  });
  await db.schema.dropTableIfExists('channel_addresses');
  await db.schema.dropTableIfExists('processed_events');
}

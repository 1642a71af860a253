import type { Knex } from 'knex';

/**
 * The reminder scan looks up whether each sent request has a deadline proposal. Through the
 * (type, at) index of migration 002 that reads every proposal ever made, once per sent request;
 * sqlite's planner picks it over the plain request_id index. Request first, then type and time,
 * answers the question from the request's own few history rows on both engines.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('request_history', (t) => {
    t.index(['request_id', 'type', 'at'], 'request_history_request_type_at_index');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('request_history', (t) => t.dropIndex(['request_id', 'type', 'at'], 'request_history_request_type_at_index'));
}

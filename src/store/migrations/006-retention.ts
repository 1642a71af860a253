import type { Knex } from 'knex';

/**
 * Retention markers of requests (Reg. 1024/2012 Art. 14): when their personal data were blocked
 * (six months after closure) and when they were deleted (three years after closure, or on a
 * data subject's request). closed_at is indexed because the daily retention run selects by it.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('requests', (t) => {
    t.string('blocked_at', 32).nullable();
    t.string('personal_data_deleted_at', 32).nullable();
    t.index(['closed_at'], 'requests_closed_at');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('requests', (t) => {
    t.dropIndex(['closed_at'], 'requests_closed_at');
    t.dropColumn('personal_data_deleted_at');
    t.dropColumn('blocked_at');
  });
}

import type { Knex } from 'knex';

const BACKFILL_CHUNK = 500;

/**
 * The coordinators' scoreboard (issue 14): when a request was accepted and first answered, as
 * columns the aggregates can read (they lived only in the JSON body), and the charts table
 * behind the expiring image links. answered_at is the *first* answer: the time to answer is
 * measured from sending to it, later rounds after a request for further information do not count.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('requests', (t) => {
    t.string('accepted_at', 32).nullable();
    t.string('answered_at', 32).nullable();
    t.index(['responder_authority_id', 'sent_at'], 'requests_responder_sent');
    t.index(['accepted_at'], 'requests_accepted_at');
    t.index(['answered_at'], 'requests_answered_at');
  });
  await backfill(db);
  await db.schema.createTable('charts', (t) => {
    // 32 random base64url characters; the token is the only key to the chart.
    t.string('token', 64).primary();
    t.text('spec').notNullable();
    t.string('created_at', 32).notNullable();
    t.string('expires_at', 32).notNullable().index();
  });
}

/** Copies the times out of the body, a chunk at a time, so a large table is never read at once. */
async function backfill(db: Knex): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { id: string; body: string }[] = await db('requests')
      .where('id', '>', after)
      .whereNotNull('sent_at')
      .orderBy('id')
      .limit(BACKFILL_CHUNK)
      .select('id', 'body');
    if (rows.length === 0) return;
    for (const row of rows) {
      const body = JSON.parse(row.body) as { acceptedAt?: string | null; answeredAt?: string | null; answers?: { at: string }[] };
      const acceptedAt = body.acceptedAt ?? null;
      const answeredAt = body.answers?.[0]?.at ?? body.answeredAt ?? null;
      if (acceptedAt || answeredAt) {
        await db('requests').where({ id: row.id }).update({ accepted_at: acceptedAt, answered_at: answeredAt });
      }
    }
    after = rows[rows.length - 1]!.id;
  }
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('charts');
  await db.schema.alterTable('requests', (t) => {
    t.dropIndex(['answered_at'], 'requests_answered_at');
    t.dropIndex(['accepted_at'], 'requests_accepted_at');
    t.dropIndex(['responder_authority_id', 'sent_at'], 'requests_responder_sent');
  });
  // Plain ALTER TABLE … DROP COLUMN (sqlite 3.35+): knex's sqlite dropColumn copies the table
  // and drops the old one, which the foreign keys of request_history refuse.
  for (const column of ['answered_at', 'accepted_at']) await db.raw('alter table ?? drop column ??', ['requests', column]);
}

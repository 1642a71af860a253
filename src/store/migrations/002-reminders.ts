import type { Knex } from 'knex';

/** Reminder and delivery bookkeeping. */
export async function up(_db: Knex): Promise<void> {}

export async function down(_db: Knex): Promise<void> {}

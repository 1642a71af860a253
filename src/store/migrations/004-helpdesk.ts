import type { Knex } from 'knex';

/** Helpdesk tickets, feedback, training. */
export async function up(_db: Knex): Promise<void> {}

export async function down(_db: Knex): Promise<void> {}

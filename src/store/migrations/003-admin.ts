import type { Knex } from 'knex';

/** Invitations and registers directory. */
export async function up(_db: Knex): Promise<void> {}

export async function down(_db: Knex): Promise<void> {}

import type { Knex } from 'knex';

/** Conversation state, channel references and event de-duplication. */
export async function up(_db: Knex): Promise<void> {}

export async function down(_db: Knex): Promise<void> {}

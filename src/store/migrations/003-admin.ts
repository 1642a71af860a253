import type { Knex } from 'knex';

/** Invitations and registers directory. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('invitations', (t) => {
    t.increments('id').primary();
    // Only a hash of the code: a leaked database does not hand out working codes.
    t.string('code_hash', 64).notNullable().unique();
    t.string('authority_id', 64).notNullable().references('authorities.id').index();
    t.string('name', 300).notNullable();
    t.string('language', 8).nullable();
    t.text('roles').notNullable();
    t.text('areas').notNullable();
    t.string('created_by', 64).notNullable();
    t.string('created_at', 32).notNullable();
    t.string('expires_at', 32).notNullable();
    t.string('used_at', 32).nullable();
    t.string('used_by', 64).nullable();
  });
  // Entries authorities add or change; the shipped ones are read from data/registers.
  await db.schema.createTable('registers', (t) => {
    t.string('id', 64).primary();
    t.string('country', 2).notNullable().index();
    t.text('areas').notNullable();
    t.text('name').notNullable();
    t.text('description').notNullable();
    t.string('url', 2000).notNullable();
    t.boolean('free').notNullable().defaultTo(true);
    t.string('owner_authority_id', 64).nullable();
    t.string('updated_at', 32).nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('registers');
  await db.schema.dropTableIfExists('invitations');
}

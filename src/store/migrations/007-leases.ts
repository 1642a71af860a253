import type { Knex } from 'knex';

/**
 * Leader leases for jobs that run on one instance at a time when several serve one database.
 * Times are ISO strings in UTC ('Z'), like every timestamp of the schema, so they compare as text.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('leases', (t) => {
    t.string('name', 64).primary();
    t.string('holder', 200).notNullable();
    t.string('since', 32).notNullable();
    t.string('expires_at', 32).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('leases');
}

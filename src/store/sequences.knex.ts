import type { Knex } from 'knex';

/**
 * Draws the next number of a named sequence (request ids per year, ticket and training numbers).
 * One upsert, so that two PostgreSQL transactions drawing a new name's first number do not both
 * insert it; the row lock it takes makes concurrent draws wait for each other.
 */
export async function nextInSequence(db: Knex | Knex.Transaction, name: string): Promise<number> {
  const [row] = await db('sequences')
    .insert({ name, value: 1 })
    .onConflict('name')
    .merge({ value: db.raw('?? + 1', ['sequences.value']) })
    .returning('value');
  return Number(typeof row === 'object' ? row.value : row);
}

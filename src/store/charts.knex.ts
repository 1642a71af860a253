import type { Knex } from 'knex';
import type { ChartRepository } from '../app/ports/coordinator.repository.ts';

/** Charts by token; instants are ISO strings in UTC, so they compare as text. */
export const chartRepository = (db: Knex | Knex.Transaction): ChartRepository => ({
  async save(token, spec, createdAt, expiresAt) {
    await db('charts').insert({ token, spec, created_at: createdAt, expires_at: expiresAt });
  },
  async find(token, now) {
    const row = await db('charts').where({ token }).where('expires_at', '>', now).first('spec');
    return row ? String(row.spec) : null;
  },
  async purge(now) {
    return db('charts').where('expires_at', '<=', now).delete();
  },
});

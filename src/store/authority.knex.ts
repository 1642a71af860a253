import type { Knex } from 'knex';
import type { Authority } from '../domain/authority.ts';
import type { AuthorityRepository } from '../app/ports/repositories.ts';
import { fromJson, toJson } from './json.ts';

/** The authorities columns of an authority; bulk import writes the same rows. */
export const authorityRow = (a: Authority) => ({
  id: a.id,
  name: a.name,
  country: a.country,
  language: a.language,
  timezone: a.timezone,
  areas: toJson(a.areas),
  coordinator_id: a.coordinatorId,
  contact: toJson(a.contact),
  data_reviewed_at: a.dataReviewedAt,
});

const fromRow = (r: Record<string, unknown>): Authority => ({
  id: r.id as string,
  name: r.name as string,
  country: r.country as string,
  language: r.language as string,
  timezone: r.timezone as string,
  areas: fromJson(r.areas),
  coordinatorId: (r.coordinator_id as string | null) ?? null,
  contact: fromJson(r.contact),
  dataReviewedAt: (r.data_reviewed_at as string | null) ?? null,
});

export const authorityRepository = (db: Knex | Knex.Transaction): AuthorityRepository => ({
  async get(id) {
    const row = await db('authorities').where({ id }).first();
    return row ? fromRow(row) : null;
  },
  async list() {
    // Simulated training partners (migration 004) are reachable by id only, never in live lists.
    return (await db('authorities').where('training', false).orderBy(['country', 'name'])).map(fromRow);
  },
  async insert(a) {
    await db('authorities').insert(authorityRow(a));
  },
  async update(a) {
    await db('authorities').where({ id: a.id }).update(authorityRow(a));
  },
});

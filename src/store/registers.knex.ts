import type { Knex } from 'knex';
import type { RegisterEntry } from '../domain/register.ts';
import type { RegisterRepository } from '../app/ports/admin.repository.ts';
import { fromJson, toBool, toJson } from './json.ts';
import { seedRegisters } from './registers-seed.ts';

type Db = Knex | Knex.Transaction;

const fromRow = (r: Record<string, unknown>): RegisterEntry => ({
  id: r.id as string,
  country: r.country as string,
  areas: fromJson(r.areas),
  name: fromJson(r.name),
  description: fromJson(r.description),
  url: r.url as string,
  free: toBool(r.free),
  ownerAuthorityId: (r.owner_authority_id as string | null) ?? null,
  updatedAt: (r.updated_at as string | null) ?? null,
});

const toRow = (e: RegisterEntry) => ({
  id: e.id,
  country: e.country,
  areas: toJson(e.areas),
  name: toJson(e.name),
  description: toJson(e.description),
  url: e.url,
  free: e.free,
  owner_authority_id: e.ownerAuthorityId,
  updated_at: e.updatedAt,
});

/**
 * Shipped entries are merged at read time rather than copied into the database, so a new
 * release's corrections reach every installation; a stored entry with the same id wins.
 */
export const registerRepository = (db: Db, seeds: () => RegisterEntry[] = seedRegisters): RegisterRepository => ({
  async list(filter = {}) {
    const stored = (await db('registers')).map(fromRow);
    const byId = new Map<string, RegisterEntry>(seeds().map((e) => [e.id, e]));
    for (const e of stored) byId.set(e.id, e);
    return [...byId.values()]
      .filter((e) => (!filter.country || e.country === filter.country) && (!filter.area || e.areas.includes(filter.area)))
      .sort((a, b) => a.country.localeCompare(b.country) || a.id.localeCompare(b.id));
  },
  async get(id) {
    const row = await db('registers').where({ id }).first();
    return row ? fromRow(row) : (seeds().find((e) => e.id === id) ?? null);
  },
  async upsert(e) {
    await db('registers').insert(toRow(e)).onConflict('id').merge();
  },
});

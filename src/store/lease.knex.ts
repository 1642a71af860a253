import type { Knex } from 'knex';
import type { Lease, LeaseRepository } from '../app/ports/lease.repository.ts';

type Db = Knex | Knex.Transaction;

/**
 * Each statement decides on its own, so the lease needs no transaction: on PostgreSQL a second
 * instance's UPDATE waits for the first one's row lock and then re-checks the condition against
 * the new holder and expiry; two first-ever INSERTs meet in the primary key and one is ignored.
 */
export const leaseRepository = (db: Db): LeaseRepository => ({
  async acquire(name, holder, now, until) {
    const at = now.toISOString();
    const taken = await db('leases')
      .where({ name })
      .andWhere((w) => w.where('holder', holder).orWhere('expires_at', '<=', at))
      .update({
        since: db.raw('case when holder = ? then since else ? end', [holder, at]),
        holder,
        expires_at: until.toISOString(),
      });
    if (Number(taken) === 1) return true;
    const inserted = await db('leases')
      .insert({ name, holder, since: at, expires_at: until.toISOString() })
      .onConflict('name')
      .ignore()
      .returning('name');
    return inserted.length > 0;
  },
  async release(name, holder, now) {
    await db('leases').where({ name, holder }).update({ expires_at: now.toISOString() });
  },
  async current(name) {
    const row = await db('leases').where({ name }).first();
    return row ? ({ name, holder: row.holder, since: row.since, expiresAt: row.expires_at } satisfies Lease) : null;
  },
});

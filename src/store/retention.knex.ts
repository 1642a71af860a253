import type { Knex } from 'knex';
import type { RetentionRepository } from '../app/ports/retention.repository.ts';

const markersOf = (row: Record<string, unknown>) => ({
  blockedAt: (row.blocked_at as string | null) ?? null,
  personalDataDeletedAt: (row.personal_data_deleted_at as string | null) ?? null,
});

export const retentionRepository = (db: Knex | Knex.Transaction): RetentionRepository => ({
  async markers(requestId) {
    const row = await db('requests').where({ id: requestId }).first('blocked_at', 'personal_data_deleted_at');
    return row ? markersOf(row) : null;
  },
  async due({ blockCutoff, deleteCutoff }) {
    const rows = await db('requests')
      .select('id', 'blocked_at', 'personal_data_deleted_at')
      .whereNotNull('closed_at')
      .where((w) =>
        w
          .where((b) => b.whereNull('blocked_at').where('closed_at', '<=', blockCutoff))
          .orWhere((d) => d.whereNull('personal_data_deleted_at').where('closed_at', '<=', deleteCutoff)),
      )
      .orderBy('id');
    return rows.map((r) => ({ id: r.id as string, ...markersOf(r) }));
  },
  async markBlocked(requestId, at) {
    await db('requests').where({ id: requestId }).whereNull('blocked_at').update({ blocked_at: at });
  },
  async markDeleted(requestId, at) {
    await db('requests').where({ id: requestId }).whereNull('personal_data_deleted_at').update({ personal_data_deleted_at: at });
  },
  async purgeTranslations(hashes) {
    let removed = 0;
    // Bound the IN list: sqlite allows a limited number of bound parameters per statement.
    for (let i = 0; i < hashes.length; i += 500) {
      removed += await db('translations').whereIn('hash', hashes.slice(i, i + 500)).delete();
    }
    return removed;
  },
});

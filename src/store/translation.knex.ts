import type { Knex } from 'knex';
import type { TranslationRepository } from '../app/ports/translation.repository.ts';

export const translationRepository = (db: Knex | Knex.Transaction): TranslationRepository => ({
  async get(hash, target) {
    const row = await db('translations').where({ hash, target }).first();
    return row ? { text: row.text, provider: row.provider } : null;
  },
  async put(e) {
    await db('translations')
      .insert({ hash: e.hash, target: e.target, source: e.source, text: e.text, provider: e.provider, created_at: e.at })
      .onConflict(['hash', 'target'])
      .merge();
  },
});

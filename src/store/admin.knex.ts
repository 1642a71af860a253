import type { Knex } from 'knex';
import type { Invitation } from '../domain/admin.ts';
import type { InvitationRepository } from '../app/ports/admin.repository.ts';
import { fromJson, toJson } from './json.ts';

type Db = Knex | Knex.Transaction;

const fromRow = (r: Record<string, unknown>): Invitation => ({
  id: Number(r.id),
  codeHash: r.code_hash as string,
  authorityId: r.authority_id as string,
  name: r.name as string,
  language: (r.language as string | null) ?? null,
  roles: fromJson(r.roles),
  areas: fromJson(r.areas),
  createdBy: r.created_by as string,
  createdAt: r.created_at as string,
  expiresAt: r.expires_at as string,
  usedAt: (r.used_at as string | null) ?? null,
  usedBy: (r.used_by as string | null) ?? null,
});

export const invitationRepository = (db: Db): InvitationRepository => ({
  async insert(inv) {
    const [row] = await db('invitations')
      .insert({
        code_hash: inv.codeHash,
        authority_id: inv.authorityId,
        name: inv.name,
        language: inv.language,
        roles: toJson(inv.roles),
        areas: toJson(inv.areas),
        created_by: inv.createdBy,
        created_at: inv.createdAt,
        expires_at: inv.expiresAt,
        used_at: inv.usedAt,
        used_by: inv.usedBy,
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  },
  async byCodeHash(codeHash) {
    const row = await db('invitations').where({ code_hash: codeHash }).first();
    return row ? fromRow(row) : null;
  },
  async markUsed(id, at, userId) {
    // The used_at guard makes two redemptions racing for one code end with one winner.
    const n = await db('invitations').where({ id }).whereNull('used_at').update({ used_at: at, used_by: userId });
    return n === 1;
  },
  async ofAuthority(authorityId) {
    return (await db('invitations').where({ authority_id: authorityId }).orderBy('id', 'desc')).map(fromRow);
  },
});

import type { Knex } from 'knex';
import type { Identity, User } from '../domain/user.ts';
import type { UserRepository } from '../app/ports/repositories.ts';
import { fromJson, toBool, toJson } from './json.ts';

type Db = Knex | Knex.Transaction;

async function withIdentities(db: Db, rows: Record<string, unknown>[]): Promise<User[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id as string);
  const identities = await db('user_identities').whereIn('user_id', ids).orderBy(['channel', 'external_id']);
  return rows.map((r) =>
    userOf(
      r,
      identities.filter((i) => i.user_id === r.id).map((i): Identity => ({ channel: i.channel, externalId: i.external_id })),
    ),
  );
}

const userOf = (r: Record<string, unknown>, identities: Identity[]): User => ({
  id: r.id as string,
  authorityId: r.authority_id as string,
  name: r.name as string,
  language: (r.language as string | null) ?? null,
  roles: fromJson(r.roles),
  areas: fromJson(r.areas),
  active: toBool(r.active),
  identities,
});

async function writeIdentities(db: Db, u: User): Promise<void> {
  await db('user_identities').where({ user_id: u.id }).delete();
  if (u.identities.length > 0) {
    await db('user_identities').insert(
      u.identities.map((i) => ({ channel: i.channel, external_id: i.externalId, user_id: u.id })),
    );
  }
}

/** The users columns of a user; bulk import writes the same rows. */
export const userRow = (u: User) => ({
  id: u.id,
  authority_id: u.authorityId,
  name: u.name,
  language: u.language,
  roles: toJson(u.roles),
  areas: toJson(u.areas),
  active: u.active,
});

/**
 * One user with their identities in one statement: a row per identity (or one with null
 * identity columns). Every turn looks its speaker up, so a second round trip here is paid per turn.
 */
async function oneWithIdentities(query: Knex.QueryBuilder): Promise<User | null> {
  const rows: Record<string, unknown>[] = await query
    .leftJoin('user_identities as ident', 'ident.user_id', 'users.id')
    .select('users.*', 'ident.channel as ident_channel', 'ident.external_id as ident_external_id')
    .orderBy(['ident.channel', 'ident.external_id']);
  const r = rows[0];
  if (!r) return null;
  return userOf(
    r,
    rows
      .filter((i) => i.ident_channel !== null && i.ident_channel !== undefined)
      .map((i): Identity => ({ channel: i.ident_channel as Identity['channel'], externalId: i.ident_external_id as string })),
  );
}

export const userRepository = (db: Db): UserRepository => ({
  async get(id) {
    return oneWithIdentities(db('users').where('users.id', id));
  },
  async byIdentity(identity) {
    // The user whose identity it is, with all of their identities.
    const owner = db('user_identities').where({ channel: identity.channel, external_id: identity.externalId }).select('user_id');
    return oneWithIdentities(db('users').whereIn('users.id', owner).andWhere('users.active', true));
  },
  async ofAuthority(authorityId) {
    return withIdentities(db, await db('users').where({ authority_id: authorityId, active: true }).orderBy('name'));
  },
  async list() {
    return withIdentities(db, await db('users').orderBy(['authority_id', 'name']));
  },
  async insert(u) {
    await db('users').insert(userRow(u));
    await writeIdentities(db, u);
  },
  async update(u) {
    await db('users').where({ id: u.id }).update(userRow(u));
    await writeIdentities(db, u);
  },
  async setLanguage(id, language) {
    await db('users').where({ id }).update({ language });
  },
});

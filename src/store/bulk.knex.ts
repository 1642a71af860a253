import type { Knex } from 'knex';
import type { Authority } from '../domain/authority.ts';
import type { Identity, User } from '../domain/user.ts';
import type { AuthorityScope, BulkRepository, RequestMetadata } from '../app/ports/coordinator.repository.ts';
import { fromJson, toBool } from './json.ts';
import { authorityRow } from './authority.knex.ts';
import { userRow } from './user.knex.ts';
import { auditRow } from './outbox.knex.ts';

type Db = Knex | Knex.Transaction;

/**
 * Rows per INSERT or IN list: well under sqlite's 32,766 and PostgreSQL's 65,535 bound
 * parameters, and large enough that 5,000 rows take a few dozen statements.
 */
const CHUNK = 200;

const chunks = <T>(list: T[], size = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

const identityKey = (i: Identity): string => `${i.channel}:${i.externalId}`;

/** Ids of live authorities in a scope, as a subquery. */
const scopeIds = (db: Db, scope: AuthorityScope) => {
  const q = db('authorities as a').where('a.training', false).select('a.id');
  if (scope.coordinatorId) q.where('a.coordinator_id', scope.coordinatorId).whereNot('a.id', scope.coordinatorId);
  if (scope.country) q.where('a.country', scope.country);
  return q;
};

export const bulkRepository = (db: Db): BulkRepository => ({
  async authoritiesByIds(ids) {
    const out = new Map<string, { authority: Authority; training: boolean }>();
    for (const part of chunks(ids)) {
      for (const r of await db('authorities').whereIn('id', part)) {
        out.set(r.id, {
          authority: {
            id: r.id,
            name: r.name,
            country: r.country,
            language: r.language,
            timezone: r.timezone,
            areas: fromJson(r.areas),
            coordinatorId: r.coordinator_id ?? null,
            contact: fromJson(r.contact),
            dataReviewedAt: r.data_reviewed_at ?? null,
          },
          training: toBool(r.training),
        });
      }
    }
    return out;
  },

  async usersByIds(ids) {
    const out = new Map<string, User>();
    for (const part of chunks(ids)) {
      const rows = await db('users').whereIn('id', part);
      const identities = await db('user_identities').whereIn('user_id', part).orderBy(['channel', 'external_id']);
      for (const r of rows) {
        out.set(r.id, {
          id: r.id,
          authorityId: r.authority_id,
          name: r.name,
          language: r.language ?? null,
          roles: fromJson(r.roles),
          areas: fromJson(r.areas),
          active: toBool(r.active),
          identities: identities.filter((i) => i.user_id === r.id).map((i) => ({ channel: i.channel, externalId: i.external_id })),
        });
      }
    }
    return out;
  },

  async identityOwners(identities) {
    const out = new Map<string, string>();
    const externalIds = [...new Set(identities.map((i) => i.externalId))];
    const wanted = new Set(identities.map(identityKey));
    for (const part of chunks(externalIds)) {
      for (const r of await db('user_identities').whereIn('external_id', part)) {
        const key = `${r.channel}:${r.external_id}`;
        if (wanted.has(key)) out.set(key, r.user_id);
      }
    }
    return out;
  },

  async insertAuthorities(list) {
    for (const part of chunks(list)) await db('authorities').insert(part.map(authorityRow));
  },

  async insertUsers(list) {
    for (const part of chunks(list)) await db('users').insert(part.map(userRow));
    const identities = list.flatMap((u) => u.identities.map((i) => ({ channel: i.channel, external_id: i.externalId, user_id: u.id })));
    for (const part of chunks(identities)) await db('user_identities').insert(part);
  },

  async appendAudit(entries) {
    for (const part of chunks(entries.map(auditRow))) await db('audit_log').insert(part);
  },

  async requestMetadata(scope) {
    const rows = await db('requests as r')
      .where('r.training', false)
      .whereNotNull('r.sent_at')
      .where((w) =>
        w.whereIn('r.requester_authority_id', scopeIds(db, scope)).orWhereIn('r.responder_authority_id', scopeIds(db, scope)),
      )
      .orderBy('r.id')
      .select(
        'r.id', 'r.area', 'r.status', 'r.requester_authority_id', 'r.responder_authority_id', 'r.requested_deadline',
        'r.agreed_deadline', 'r.created_at', 'r.sent_at', 'r.accepted_at', 'r.answered_at', 'r.closed_at',
      );
    return rows.map(
      (r): RequestMetadata => ({
        id: r.id,
        area: r.area,
        status: r.status,
        requester: r.requester_authority_id,
        responder: r.responder_authority_id ?? null,
        requestedDeadline: r.requested_deadline ?? null,
        agreedDeadline: r.agreed_deadline ?? null,
        createdAt: r.created_at,
        sentAt: r.sent_at ?? null,
        acceptedAt: r.accepted_at ?? null,
        answeredAt: r.answered_at ?? null,
        closedAt: r.closed_at ?? null,
      }),
    );
  },
});

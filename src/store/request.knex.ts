import type { Knex } from 'knex';
import type { HistoryEvent, Request } from '../domain/request.ts';
import type { HistoryRepository, RequestRepository } from '../app/ports/repositories.ts';
import { fromJson, toBool, toJson } from './json.ts';
import { nextInSequence } from './sequences.knex.ts';

type Db = Knex | Knex.Transaction;

/** Columns the store queries by; everything else travels in `body`. */
const toRow = (r: Request) => {
  const { id, area, requesterAuthorityId, responderAuthorityId, createdBy, status, training, requestedDeadline,
    agreedDeadline, version, createdAt, updatedAt, sentAt, closedAt, ...body } = r;
  return {
    id,
    area,
    requester_authority_id: requesterAuthorityId,
    responder_authority_id: responderAuthorityId,
    created_by: createdBy,
    status,
    training,
    requested_deadline: requestedDeadline,
    agreed_deadline: agreedDeadline,
    version,
    created_at: createdAt,
    updated_at: updatedAt,
    sent_at: sentAt,
    closed_at: closedAt,
    // Copies for the scoreboard's aggregates (migration 008); the body stays the source of truth.
    accepted_at: r.acceptedAt ?? null,
    answered_at: r.answers?.[0]?.at ?? r.answeredAt ?? null,
    body: toJson(body),
  };
};

const fromRow = (row: Record<string, unknown>): Request => ({
  ...fromJson<Omit<Request, 'id'>>(row.body),
  id: row.id as string,
  area: row.area as string,
  requesterAuthorityId: row.requester_authority_id as string,
  responderAuthorityId: (row.responder_authority_id as string | null) ?? null,
  createdBy: row.created_by as string,
  status: row.status as Request['status'],
  training: toBool(row.training),
  requestedDeadline: (row.requested_deadline as string | null) ?? null,
  agreedDeadline: (row.agreed_deadline as string | null) ?? null,
  version: Number(row.version),
  createdAt: row.created_at as string,
  updatedAt: row.updated_at as string,
  sentAt: (row.sent_at as string | null) ?? null,
  closedAt: (row.closed_at as string | null) ?? null,
});

export const requestRepository = (db: Db): RequestRepository => ({
  async get(id) {
    const row = await db('requests').where({ id }).first();
    return row ? fromRow(row) : null;
  },
  async list(filter) {
    const q = db('requests').orderBy('id');
    if (filter.authorityId) {
      const a = filter.authorityId;
      q.where((w) => w.where('requester_authority_id', a).orWhere('responder_authority_id', a));
    }
    if (filter.statuses) q.whereIn('status', filter.statuses);
    if (filter.training !== undefined) q.where('training', filter.training);
    return (await q).map(fromRow);
  },
  async insert(r) {
    await db('requests').insert(toRow(r));
  },
  async update(r, expectedVersion) {
    const changed = await db('requests').where({ id: r.id, version: expectedVersion }).update(toRow(r));
    return changed === 1;
  },
  nextSequence: (year) => nextInSequence(db, `request-${year}`),
});

export const historyRepository = (db: Db): HistoryRepository => ({
  async append(e) {
    await db('request_history').insert({
      request_id: e.requestId,
      type: e.type,
      actor_id: e.actorId,
      at: e.at,
      details: toJson(e.details),
    });
  },
  async of(requestId) {
    const rows = await db('request_history').where({ request_id: requestId }).orderBy('seq');
    return rows.map((r): HistoryEvent => ({
      requestId: r.request_id,
      type: r.type,
      actorId: r.actor_id,
      at: r.at,
      details: fromJson(r.details),
    }));
  },
});

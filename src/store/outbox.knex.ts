import type { Knex } from 'knex';
import type { AuditRepository, OutboxRepository } from '../app/ports/repositories.ts';
import type { AuditEntry, OutboxRow } from '../app/ports/records.ts';
import { fromJson, toJson } from './json.ts';

type Db = Knex | Knex.Transaction;

const fromRow = (r: Record<string, unknown>): OutboxRow => ({
  id: Number(r.id),
  key: r.key as string,
  recipientId: r.recipient_id as string,
  kind: r.kind as string,
  requestId: (r.request_id as string | null) ?? null,
  params: fromJson(r.params),
  status: r.status as OutboxRow['status'],
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at as string,
  lastError: (r.last_error as string | null) ?? null,
  channel: (r.channel as OutboxRow['channel']) ?? null,
  createdAt: r.created_at as string,
  deliveredAt: (r.delivered_at as string | null) ?? null,
});

/**
 * Outcome writes that arrive while a commit is under way are committed together in the next one;
 * each resolves once its own write is durable. The delivery worker sends to several recipients at
 * once, and one commit per outcome (a disk sync each, one connection on sqlite) would make the
 * database, not the chat platform, set the pace. Inside a transaction the write simply joins it.
 */
const committers = new WeakMap<Db, (write: (trx: Db) => Promise<unknown>) => Promise<void>>();

function groupCommit(db: Db): (write: (trx: Db) => Promise<unknown>) => Promise<void> {
  if (db.isTransaction) return async (write) => void (await write(db));
  const known = committers.get(db);
  if (known) return known;
  let queue: { write: (trx: Db) => Promise<unknown>; done: (err?: unknown) => void }[] = [];
  let flushing = false;
  const flush = async () => {
    flushing = true;
    while (queue.length > 0) {
      const group = queue;
      queue = [];
      try {
        await db.transaction(async (trx) => {
          for (const w of group) await w.write(trx);
        });
        for (const w of group) w.done();
      } catch (err) {
        for (const w of group) w.done(err);
      }
    }
    flushing = false;
  };
  const commit = (write: (trx: Db) => Promise<unknown>) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ write, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!flushing) void flush();
    });
  committers.set(db, commit);
  return commit;
}

export const outboxRepository = (db: Db): OutboxRepository => ({
  async add(n) {
    const inserted = await db('outbox')
      .insert({
        key: n.key,
        recipient_id: n.recipientId,
        kind: n.kind,
        request_id: n.requestId,
        params: toJson(n.params),
        status: 'pending',
        attempts: 0,
        next_attempt_at: n.notBefore ?? n.createdAt,
        created_at: n.createdAt,
      })
      .onConflict('key')
      .ignore()
      .returning('id');
    return inserted.length > 0;
  },
  async list(status) {
    const q = db('outbox').orderBy('id');
    if (status) q.where({ status });
    return (await q).map(fromRow);
  },
  async deliveredTo(recipientId, channel, afterId, limit) {
    const rows = await db('outbox')
      .where({ recipient_id: recipientId, channel, status: 'delivered' })
      .andWhere('id', '>', afterId)
      .orderBy('id')
      .limit(limit);
    return rows.map(fromRow);
  },
  async claim(now, limit, leaseUntil) {
    if (db.client.config.client === 'pg') return claimSkippingLocked(db, now, limit, leaseUntil);
    const due = await db('outbox')
      .where({ status: 'pending' })
      .andWhere('next_attempt_at', '<=', now.toISOString())
      .orderBy('id')
      .limit(limit);
    if (due.length === 0) return [];
    const lease = async (trx: Db) => {
      const claimed: OutboxRow[] = [];
      for (const row of due) {
        // Moving next_attempt_at forward is the lease: a second worker's claim no longer sees the row.
        const n = await trx('outbox')
          .where({ id: row.id, status: 'pending', next_attempt_at: row.next_attempt_at })
          .update({ next_attempt_at: leaseUntil.toISOString() });
        if (n === 1) claimed.push(fromRow(row));
      }
      return claimed;
    };
    // One commit for the batch rather than one per row: each commit is a disk sync.
    return db.isTransaction ? lease(db) : db.transaction(lease);
  },
  async markDelivered(id, at, channel) {
    await groupCommit(db)((trx) => trx('outbox').where({ id }).update({ status: 'delivered', delivered_at: at.toISOString(), channel }));
  },
  async markAttemptFailed(id, reason, retryAt) {
    await groupCommit(db)((trx) =>
      trx('outbox')
        .where({ id })
        .update({
          status: retryAt ? 'pending' : 'failed',
          attempts: trx.raw('attempts + 1'),
          last_error: reason.slice(0, 1000),
          ...(retryAt ? { next_attempt_at: retryAt.toISOString() } : {}),
        }),
    );
  },
  async backlog() {
    const rows: { status: string; n: unknown }[] = await db('outbox')
      .whereIn('status', ['pending', 'failed'])
      .groupBy('status')
      .select('status')
      .count({ n: '*' });
    // PostgreSQL counts in bigint, which the driver hands over as a string.
    const of = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return { pending: of('pending'), failed: of('failed') };
  },
});

/**
 * PostgreSQL: instances claiming at once each lock a different batch (FOR UPDATE SKIP LOCKED)
 * instead of queueing on the same rows; moving next_attempt_at forward is the lease, as on sqlite,
 * so the rows come back by themselves if the instance dies before it reports an outcome.
 */
async function claimSkippingLocked(db: Db, now: Date, limit: number, leaseUntil: Date): Promise<OutboxRow[]> {
  const claim = async (trx: Knex.Transaction) => {
    const due = await trx('outbox')
      .where({ status: 'pending' })
      .andWhere('next_attempt_at', '<=', now.toISOString())
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    if (due.length === 0) return [];
    await trx('outbox')
      .whereIn('id', due.map((r) => r.id))
      .update({ next_attempt_at: leaseUntil.toISOString() });
    return due.map(fromRow);
  };
  return db.isTransaction ? claim(db as Knex.Transaction) : db.transaction(claim);
}

/** The audit_log columns of an entry; bulk import appends the same rows. */
export const auditRow = (e: AuditEntry) => ({
  at: e.at,
  actor_id: e.actorId,
  channel: e.channel,
  action: e.action,
  target: e.target,
  details: toJson(e.details),
});

export const auditRepository = (db: Db): AuditRepository => ({
  async append(e) {
    await db('audit_log').insert(auditRow(e));
  },
  async list(limit = 1000) {
    const rows = await db('audit_log').orderBy('seq', 'desc').limit(limit);
    return rows.map((r): AuditEntry => ({
      at: r.at,
      actorId: r.actor_id,
      channel: r.channel,
      action: r.action,
      target: r.target,
      details: fromJson(r.details),
    }));
  },
});

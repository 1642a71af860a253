import type { Knex } from 'knex';
import type { ReminderRepository } from '../app/ports/reminder.repository.ts';
import type { OutboxStatus } from '../app/ports/records.ts';
import type { Channel } from '../domain/user.ts';
import { fromJson, toJson } from './json.ts';

type Db = Knex | Knex.Transaction;

export const reminderRepository = (db: Db): ReminderRepository => ({
  async candidates(q) {
    // Separate queries, each on its own index, rather than one OR that would scan the table.
    const waiting = db('requests')
      .where({ status: 'sent' })
      .andWhere('sent_at', '<=', q.sentBefore)
      .andWhere('training', false)
      .pluck('id');
    const sentDue = db('requests')
      .where({ status: 'sent' })
      .andWhere('requested_deadline', '<=', q.deadlineOnOrBefore)
      .andWhere('training', false)
      .pluck('id');
    const agreedDue = db('requests')
      .whereIn('status', ['accepted', 'further_info_requested'])
      .andWhere('agreed_deadline', '<=', q.deadlineOnOrBefore)
      .andWhere('training', false)
      .pluck('id');
    // From the few sent requests to their history, not from every proposal ever made: most
    // proposals belong to requests long accepted or closed, and would be read on every scan.
    const proposed = db('requests')
      .where({ status: 'sent' })
      .andWhere('training', false)
      .whereExists((sub) =>
        sub
          .select(db.raw('1'))
          .from('request_history')
          .whereRaw('request_history.request_id = requests.id')
          .andWhere('request_history.type', 'deadline_proposed')
          .andWhere('request_history.at', '<=', q.proposedBefore),
      )
      .pluck('id');
    const ids = new Set<string>();
    for (const batch of [await waiting, await sentDue, await agreedDue, await proposed]) {
      for (const id of batch as string[]) ids.add(id);
    }
    return [...ids].sort();
  },
  async record(r) {
    const inserted = await db('reminders_sent')
      .insert({
        key: r.key,
        rule: r.rule,
        request_id: r.requestId,
        authority_id: r.authorityId,
        created_at: r.at,
      })
      .onConflict('key')
      .ignore()
      .returning('key');
    return inserted.length > 0;
  },
  async settings() {
    const rows = await db('reminder_settings').orderBy('authority_id');
    return rows.map((r) => ({
      authorityId: r.authority_id as string,
      daysBefore: r.days_before ? fromJson<number[]>(r.days_before) : null,
      escalateAfterDays: r.escalate_after_days === null ? null : Number(r.escalate_after_days),
      workingHours: (r.working_hours as string | null) ?? null,
    }));
  },
  async saveSettings(s) {
    const row = {
      authority_id: s.authorityId,
      days_before: s.daysBefore ? toJson(s.daysBefore) : null,
      escalate_after_days: s.escalateAfterDays,
      working_hours: s.workingHours,
    };
    await db('reminder_settings').insert(row).onConflict('authority_id').merge();
  },
  async markSeen(requestId, userId, at) {
    await db('request_seen').insert({ request_id: requestId, user_id: userId, seen_at: at }).onConflict(['request_id', 'user_id']).merge();
  },
  async lastSeen(requestId, authorityId) {
    const row = await db('request_seen')
      .join('users', 'users.id', 'request_seen.user_id')
      .where({ 'request_seen.request_id': requestId, 'users.authority_id': authorityId })
      .max({ at: 'request_seen.seen_at' })
      .first();
    return (row?.at as string | null | undefined) ?? null;
  },
  async outboxState(keys) {
    const out: { key: string; status: OutboxStatus; channel: Channel | null }[] = [];
    // sqlite caps bound parameters per statement; chunks keep large scans within it.
    for (let i = 0; i < keys.length; i += 500) {
      const rows = await db('outbox').whereIn('key', keys.slice(i, i + 500)).select('key', 'status', 'channel');
      for (const r of rows) out.push({ key: r.key, status: r.status, channel: r.channel ?? null });
    }
    return out;
  },
});

import { blockingCutoff, deletionCutoff, retentionStage, type RetentionStage } from '../../domain/retention.ts';
import type { AppDeps } from '../deps.ts';
import type { UnitOfWork } from '../ports/repositories.ts';
import type { DueRecord } from '../ports/retention.repository.ts';

/**
 * Where a helpdesk record stands under the retention rules of requests: a ticket ends when it is
 * answered (an open one stays active, like an open request), a FAQ question when it is asked.
 */
export const helpdeskStage = (closedAt: string | null, now: Date): RetentionStage =>
  retentionStage({ status: 'closed', closedAt }, now);

/** What one retention run did to the helpdesk. */
export interface HelpdeskRetentionReport {
  /** Hand-over tickets blocked by this run. */
  ticketsBlocked: string[];
  /** Hand-over tickets whose texts this run deleted. */
  ticketsDeleted: string[];
  /** FAQ questions blocked by this run. */
  faqQuestionsBlocked: number;
  /** FAQ questions whose text, asker and rater this run deleted. */
  faqQuestionsDeleted: number;
}

/** FAQ questions are many and small: a transaction and an audit entry per slice, not per question. */
const FAQ_SLICE = 200;

/**
 * The retention rules applied to the helpdesk at `now`, as `runRetention` applies them to requests:
 * blocked six months after the record ended (hidden from the helpdesk's lists, cards and report),
 * texts and identities deleted three years after it; audit entries by 'system'; a second run
 * finds nothing to do.
 */
export async function runHelpdeskRetention(deps: AppDeps, now: Date): Promise<HelpdeskRetentionReport> {
  const at = now.toISOString();
  const cutoffs = { blockCutoff: blockingCutoff(now), deleteCutoff: deletionCutoff(now) };
  const report: HelpdeskRetentionReport = { ticketsBlocked: [], ticketsDeleted: [], faqQuestionsBlocked: 0, faqQuestionsDeleted: 0 };

  for (const { id } of await deps.store.retention.ticketsDue(cutoffs)) {
    await deps.store.transaction(async (tx) => {
      const ticket = await tx.retention.ticket(id);
      if (!ticket) return;
      const stage = helpdeskStage(ticket.answeredAt, now);
      if (stage === 'active') return;
      const audit = (action: string, details: Record<string, number>) =>
        tx.audit.append({ at, actorId: 'system', channel: 'system', action, target: id, details: { ...details, closedAt: ticket.answeredAt } });
      if (!ticket.blockedAt) {
        await tx.retention.markTicketBlocked(id, at);
        await audit('retention.block', {});
        report.ticketsBlocked.push(id);
      }
      if (stage === 'erasable' && !ticket.personalDataDeletedAt) {
        const erased = await tx.retention.eraseTicket(id, at);
        await audit('retention.delete', erased);
        report.ticketsDeleted.push(id);
      }
    });
  }

  const due = await deps.store.retention.faqQuestionsDue(cutoffs);
  const stageOf = new Map(due.map((q) => [q.id, helpdeskStage(q.closedAt, now)]));
  const toBlock = due.filter((q) => !q.blockedAt && stageOf.get(q.id) !== 'active');
  const toDelete = due.filter((q) => !q.personalDataDeletedAt && stageOf.get(q.id) === 'erasable');
  report.faqQuestionsBlocked = await inSlices(deps, at, 'retention.block', toBlock, async (tx, ids) => {
    await tx.retention.markFaqQuestionsBlocked(ids, at);
    return ids.length;
  });
  report.faqQuestionsDeleted = await inSlices(deps, at, 'retention.delete', toDelete, async (tx, ids) => (await tx.retention.eraseFaqQuestions(ids, at)).length);
  return report;
}

/**
 * Runs `work` on slices of FAQ questions, each in a transaction with one audit entry that counts
 * them; the rows themselves carry the run's instant, so the entry leads to exactly those rows.
 */
async function inSlices(
  deps: AppDeps,
  at: string,
  action: 'retention.block' | 'retention.delete',
  records: DueRecord<number>[],
  work: (tx: UnitOfWork, ids: number[]) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < records.length; i += FAQ_SLICE) {
    const slice = records.slice(i, i + FAQ_SLICE);
    total += await deps.store.transaction(async (tx) => {
      const done = await work(tx, slice.map((q) => q.id));
      if (done > 0) {
        const askedUpTo = slice.reduce((latest, q) => (q.closedAt > latest ? q.closedAt : latest), '');
        await tx.audit.append({ at, actorId: 'system', channel: 'system', action, target: 'faq-questions', details: { count: done, askedUpTo } });
      }
      return done;
    });
  }
  return total;
}

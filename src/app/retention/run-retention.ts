import { blockingCutoff, deletionCutoff, retentionStage } from '../../domain/retention.ts';
import type { AppDeps } from '../deps.ts';
import { erasePersonalData } from './erase-personal-data.ts';
import { runHelpdeskRetention, type HelpdeskRetentionReport } from './helpdesk-retention.ts';

/** What one retention run did. */
export interface RetentionReport {
  now: string;
  /** Requests whose personal data were blocked by this run. */
  blocked: string[];
  /** Requests whose personal data were deleted by this run. */
  deleted: string[];
  /** Cached machine translations of deleted texts removed by this run. */
  translationsPurged: number;
  /** The same rules applied to the helpdesk's hand-over tickets and FAQ questions. */
  helpdesk: HelpdeskRetentionReport;
}

/**
 * Applies the retention rules at the clock's time (Reg. 1024/2012 Art. 14): blocks personal data
 * six months after closure and deletes them three years after closure. Each request is handled
 * in a transaction of its own with an audit entry by 'system'; a second run finds nothing to do.
 * The helpdesk's tickets and FAQ questions follow (src/app/retention/helpdesk-retention.ts).
 */
export async function runRetention(deps: AppDeps): Promise<RetentionReport> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const report: Omit<RetentionReport, 'helpdesk'> = { now: at, blocked: [], deleted: [], translationsPurged: 0 };
  const due = await deps.store.retention.due({ blockCutoff: blockingCutoff(now), deleteCutoff: deletionCutoff(now) });
  for (const { id } of due) {
    await deps.store.transaction(async (tx) => {
      const request = await tx.requests.get(id);
      const markers = await tx.retention.markers(id);
      if (!request || !markers) return;
      const stage = retentionStage(request, now);
      if (stage === 'active') return;
      const audit = (action: string, details: Record<string, number>) =>
        tx.audit.append({ at, actorId: 'system', channel: 'system', action, target: id, details: { ...details, closedAt: request.closedAt } });
      if (!markers.blockedAt) {
        await tx.retention.markBlocked(id, at);
        await audit('retention.block', {});
        report.blocked.push(id);
      }
      if (stage === 'erasable' && !markers.personalDataDeletedAt) {
        const erased = await erasePersonalData(tx, request, at);
        if (!erased) return;
        await audit('retention.delete', { fields: erased.fields, translations: erased.translations });
        report.deleted.push(id);
        report.translationsPurged += erased.translations;
      }
    });
  }
  return { ...report, helpdesk: await runHelpdeskRetention(deps, now) };
}

import { reminderStillRelevant } from '../../domain/reminders.ts';
import type { AppDeps } from '../deps.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { OutboxRow } from '../ports/records.ts';

export interface DeliveryPolicy {
  /** Rows claimed at a time. */
  batchSize: number;
  /** How long a claim holds: a worker that dies mid-batch frees its rows after this. Longer than any send. */
  leaseMs: number;
  /** Attempts before a notification is given up and marked failed. */
  maxAttempts: number;
  /** First retry delay; doubled on every further attempt, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Batches per run at most, so one run cannot go on forever while rows keep arriving. */
  maxBatches: number;
  /** Source of jitter; injected so tests can pin it. */
  random: () => number;
  /**
   * How long one run may wait for retries it scheduled itself (a 429 asking for a second), so a
   * one-off run such as `imi reminders run` leaves nothing behind that was about to go out.
   * 0 for the server's worker, which runs again in a few seconds anyway. Needs a clock that moves.
   */
  settleWithinMs: number;
  /** How a run waits; injected so tests need not. */
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  batchSize: 25,
  leaseMs: 120_000,
  maxAttempts: 8,
  baseDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  maxBatches: 40,
  random: Math.random,
  settleWithinMs: 0,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface DeliveryReport {
  delivered: (OutboxRow & { channel: NonNullable<OutboxRow['channel']> })[];
  retrying: { row: OutboxRow; reason: string; retryAt: string }[];
  failed: { row: OutboxRow; reason: string }[];
}

/** Marks that a notification was dropped because it no longer says something true. */
export const SUPERSEDED = 'superseded: the request changed before this reminder went out';

/**
 * The delay before the next attempt. When the platform said how long to wait (Retry-After),
 * that, with a little jitter on top; otherwise exponential in the attempts made, with jitter
 * so that many failures at once do not retry in lockstep.
 */
export function retryDelay(attemptsMade: number, policy: DeliveryPolicy, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs > 0) return Math.round(retryAfterMs * (1 + 0.1 * policy.random()));
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exponential / 2 + (exponential / 2) * policy.random());
}

/**
 * The outbox delivery worker: claims due notifications under a lease, sends each through the
 * notifier once, and records the outcome. Rows written with a state change are sent here
 * however the process that wrote them ended; a claim held by a dead worker lapses after the lease.
 */
export async function deliverOutbox(
  deps: AppDeps,
  notifier: Notifier,
  overrides: Partial<DeliveryPolicy> = {},
): Promise<DeliveryReport> {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...overrides };
  const report: DeliveryReport = { delivered: [], retrying: [], failed: [] };
  const outbox = deps.store.outbox;
  // Retries this run scheduled and may still wait for: row id → when.
  const waiting = new Map<number, number>();
  let settleLeft = policy.settleWithinMs;
  for (let batch = 0; batch < policy.maxBatches; batch++) {
    const now = deps.clock.now();
    const rows = await outbox.claim(now, policy.batchSize, new Date(now.getTime() + policy.leaseMs));
    if (rows.length === 0) {
      // A retry that is due but was not ours to claim went to another worker.
      for (const [id, at] of waiting) if (at <= now.getTime()) waiting.delete(id);
      const next = Math.min(...waiting.values()) - now.getTime();
      if (waiting.size === 0 || next > settleLeft) break;
      const pause = Math.max(next, 50);
      await policy.sleep(pause);
      settleLeft -= pause;
      continue;
    }
    for (const row of rows) {
      waiting.delete(row.id);
      if (await isMoot(deps, row)) {
        await outbox.markAttemptFailed(row.id, SUPERSEDED, null);
        report.failed.push({ row, reason: SUPERSEDED });
        continue;
      }
      let outcome;
      try {
        outcome = await notifier.deliver(row);
      } catch (err) {
        // A notifier that throws has met something unforeseen; it may pass, so it is retried like a 5xx.
        outcome = { ok: false as const, retryable: true, reason: `unexpected: ${err instanceof Error ? err.message : String(err)}` };
      }
      const at = deps.clock.now();
      if (outcome.ok) {
        await outbox.markDelivered(row.id, at, outcome.channel);
        report.delivered.push({ ...row, status: 'delivered', channel: outcome.channel, deliveredAt: at.toISOString() });
        continue;
      }
      const attemptsMade = row.attempts + 1;
      if (!outcome.retryable || attemptsMade >= policy.maxAttempts) {
        const reason = outcome.retryable ? `gave up after ${attemptsMade} attempts: ${outcome.reason}` : outcome.reason;
        await outbox.markAttemptFailed(row.id, reason, null);
        report.failed.push({ row, reason });
      } else {
        const retryAt = new Date(at.getTime() + retryDelay(attemptsMade, policy, outcome.retryAfterMs));
        await outbox.markAttemptFailed(row.id, outcome.reason, retryAt);
        report.retrying.push({ row, reason: outcome.reason, retryAt: retryAt.toISOString() });
        waiting.set(row.id, retryAt.getTime());
      }
    }
  }
  return report;
}

/** A queued reminder whose request moved on (new deadline, accepted, answered) is not sent. */
async function isMoot(deps: AppDeps, row: OutboxRow): Promise<boolean> {
  if (!row.kind.startsWith('reminder.')) return false;
  const rule = row.kind.slice('reminder.'.length);
  if (row.requestId) {
    const request = await deps.store.requests.get(row.requestId);
    return !request || !reminderStillRelevant(rule, row.params, request);
  }
  if (rule === 'data_review' && typeof row.params.authority === 'string') {
    const authority = await deps.store.authorities.get(row.params.authority);
    return !authority || authority.dataReviewedAt !== (row.params.reviewedAt ?? null);
  }
  return false;
}

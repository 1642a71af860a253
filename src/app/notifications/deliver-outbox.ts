import { reminderStillRelevant } from '../../domain/reminders.ts';
import type { AppDeps } from '../deps.ts';
import type { Notifier } from '../ports/notifier.ts';
import type { OutboxRow } from '../ports/records.ts';

export interface DeliveryPolicy {
  /** Rows claimed at a time. */
  batchSize: number;
  /**
   * Recipients served at once within a batch; one recipient's rows still go out in order.
   * One at a time, every send waits for the previous one's platform round trip and database
   * writes, which alone keeps a worker far below a chat platform's rate limit. More at once means
   * more rows sent but not yet marked when a process dies, which the next run sends again.
   */
  concurrency: number;
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
  /**
   * Asked before each batch: false ends the run there. Lets a server that is shutting down stop
   * a long run after the batch in hand instead of waiting for the whole backlog.
   */
  keepGoing: () => boolean;
  /**
   * Whether the report lists each notification delivered. A one-off run prints them; a worker
   * whose run lasts as long as its backlog keeps only the failures, so its memory does not grow
   * with the backlog.
   */
  reportDelivered: boolean;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  batchSize: 25,
  concurrency: 1,
  leaseMs: 120_000,
  maxAttempts: 8,
  baseDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  maxBatches: 40,
  random: Math.random,
  settleWithinMs: 0,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  keepGoing: () => true,
  reportDelivered: true,
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
  for (let batch = 0; batch < policy.maxBatches && policy.keepGoing(); batch++) {
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
    // One lane per recipient keeps their notifications in order; lanes run side by side.
    const lanes = new Map<string, number[]>();
    for (const [i, row] of rows.entries()) {
      const lane = lanes.get(row.recipientId);
      if (lane) lane.push(i);
      else lanes.set(row.recipientId, [i]);
    }
    const todo = [...lanes.values()];
    // Outcomes go into the report in claim order, as if the rows had been sent one by one.
    const outcomes: ((r: DeliveryReport) => void)[] = [];
    const broken: { err?: unknown; failed: boolean } = { failed: false };
    const worker = async () => {
      for (let lane = todo.shift(); lane && !broken.failed; lane = todo.shift()) {
        try {
          for (const i of lane) outcomes[i] = await deliverRow(deps, notifier, policy, rows[i]!, waiting);
        } catch (err) {
          // The store failed: the other lanes finish what they hold, take nothing new, and the run ends with it.
          if (!broken.failed) Object.assign(broken, { failed: true, err });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, policy.concurrency), todo.length) }, worker));
    for (const add of outcomes) add?.(report);
    if (broken.failed) throw broken.err;
  }
  return report;
}

/** Sends one claimed row and records the outcome; returns how it enters the run's report. */
async function deliverRow(
  deps: AppDeps,
  notifier: Notifier,
  policy: DeliveryPolicy,
  row: OutboxRow,
  waiting: Map<number, number>,
): Promise<(report: DeliveryReport) => void> {
  const outbox = deps.store.outbox;
  waiting.delete(row.id);
  if (await isMoot(deps, row)) {
    await outbox.markAttemptFailed(row.id, SUPERSEDED, null);
    return (report) => report.failed.push({ row, reason: SUPERSEDED });
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
    const channel = outcome.channel;
    await outbox.markDelivered(row.id, at, channel);
    return (report) => {
      if (policy.reportDelivered) report.delivered.push({ ...row, status: 'delivered', channel, deliveredAt: at.toISOString() });
    };
  }
  const attemptsMade = row.attempts + 1;
  if (!outcome.retryable || attemptsMade >= policy.maxAttempts) {
    const reason = outcome.retryable ? `gave up after ${attemptsMade} attempts: ${outcome.reason}` : outcome.reason;
    await outbox.markAttemptFailed(row.id, reason, null);
    return (report) => report.failed.push({ row, reason });
  }
  const retryAt = new Date(at.getTime() + retryDelay(attemptsMade, policy, outcome.retryAfterMs));
  await outbox.markAttemptFailed(row.id, outcome.reason, retryAt);
  waiting.set(row.id, retryAt.getTime());
  const reason = outcome.reason;
  return (report) => report.retrying.push({ row, reason, retryAt: retryAt.toISOString() });
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

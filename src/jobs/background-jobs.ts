import cron from 'node-cron';
import type { AppDeps } from '../app/deps.ts';
import type { Notifier } from '../app/ports/notifier.ts';
import { deliverOutbox, type DeliveryPolicy } from '../app/notifications/deliver-outbox.ts';
import { scanReminders } from '../app/reminders/scan-reminders.ts';
import type { ReminderPolicy } from '../domain/reminders.ts';
import { retentionJob, retentionSchedule } from './retention.job.ts';
import { advanceTraining } from '../app/training/advance-training.ts';
import type { TrainingDeps } from '../app/training/training-script.ts';

export interface JobSchedules {
  /** Cron expression of the reminder scan, e.g. every 15 minutes. */
  reminders: string;
  /** Cron expression (with seconds) of the outbox delivery, e.g. every 5 seconds. */
  delivery: string;
}

export const DEFAULT_SCHEDULES: JobSchedules = { reminders: '*/15 * * * *', delivery: '*/5 * * * * *' };

export interface JobsOptions {
  deps: AppDeps;
  notifier: Notifier;
  policy: ReminderPolicy;
  delivery?: Partial<DeliveryPolicy>;
  schedules?: JobSchedules;
  /**
   * With several instances on one database, only the leader runs the reminder scan and the
   * retention run (src/jobs/leadership.ts); every instance delivers. Absent: this instance runs all.
   */
  leader?: { leads(): Promise<boolean> };
  /** The training sandboxes, whose simulated partners act on a short schedule. */
  training?: TrainingDeps;
  log(line: string): void;
}

/** Whether a cron expression is one node-cron accepts. */
export const validSchedule = (expression: string): boolean => cron.validate(expression);

/**
 * Starts the reminder scan and the outbox delivery on their schedules, with one scan at once
 * so that what fell due while the server was down goes out now. Returns a stop function that
 * ends the schedules and waits for a run in progress, so the database can close after it.
 */
export function startJobs(options: JobsOptions): () => Promise<void> {
  const { deps, notifier, log } = options;
  const schedules = options.schedules ?? DEFAULT_SCHEDULES;
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  // A run still going when the next tick comes is not started twice: reminders are idempotent
  // anyway, but a slow database should not pile up work.
  const guarded = (name: string, work: () => Promise<void>) => {
    let busy = false;
    return () => {
      if (busy || stopped) return Promise.resolve();
      busy = true;
      const run = work()
        .catch((err) => log(`imi-bot: ${name} failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          busy = false;
          inFlight.delete(run);
        });
      inFlight.add(run);
      return run;
    };
  };

  const leads = async () => !options.leader || (await options.leader.leads());
  const scan = guarded('reminder scan', async () => {
    if (!(await leads())) return;
    const outcome = await scanReminders(deps, options.policy);
    if (outcome.queued.length > 0) log(`imi-bot: reminder scan queued ${outcome.queued.length} notification(s)`);
    for (const e of outcome.errors) log(`imi-bot: reminder scan skipped ${e.target}: ${e.message}`);
  });
  const deliver = guarded('outbox delivery', async () => {
    const report = await deliverOutbox(deps, notifier, options.delivery);
    for (const f of report.failed) log(`imi-bot: notification #${f.row.id} to ${f.row.recipientId} failed: ${f.reason}`);
  });

  // Issue 11: blocks and deletes personal data of closed requests (Reg. 1024/2012 Art. 14); IMI_RETENTION_CRON.
  const retain = guarded('retention run', async () => {
    if (await leads()) await retentionJob(deps, log);
  });

  // Training partners answer within minutes, so new users can practise a whole lifecycle in one sitting.
  const train = guarded('training partner', async () => {
    if (options.training && (await leads())) await advanceTraining(options.training);
  });

  const tasks = [
    cron.schedule('* * * * *', train, { name: 'training-partner' }),
    cron.schedule(schedules.reminders, scan, { name: 'reminder-scan' }),
    cron.schedule(schedules.delivery, deliver, { name: 'outbox-delivery' }),
    cron.schedule(retentionSchedule(), retain, { name: 'retention' }),
  ];
  void scan();

  return async () => {
    stopped = true;
    for (const t of tasks) await t.destroy();
    await Promise.allSettled([...inFlight]);
  };
}

import cron from 'node-cron';
import type { AppDeps } from '../app/deps.ts';
import { runRetention } from '../app/retention/run-retention.ts';

/** Daily at 02:30 server time: retention counts in months and years, so once a day is plenty. */
export const DEFAULT_RETENTION_SCHEDULE = '30 2 * * *';

/** The retention schedule from IMI_RETENTION_CRON; a value node-cron rejects stops the process with its name. */
export function retentionSchedule(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.IMI_RETENTION_CRON?.trim();
  if (!value) return DEFAULT_RETENTION_SCHEDULE;
  if (!cron.validate(value)) throw new Error(`IMI_RETENTION_CRON="${value}" is not valid: give a cron expression, like "30 2 * * *"`);
  return value;
}

/** One retention run for the scheduler; logs request ids and counts only, never contents or names. */
export async function retentionJob(deps: AppDeps, log: (line: string) => void): Promise<void> {
  const report = await runRetention(deps);
  if (report.blocked.length > 0 || report.deleted.length > 0) {
    log(
      `imi-bot: retention blocked ${report.blocked.length} and deleted the personal data of ${report.deleted.length} request(s)` +
        ` (${[...report.blocked, ...report.deleted].join(', ')})`,
    );
  }
  const h = report.helpdesk;
  if (h.ticketsBlocked.length + h.ticketsDeleted.length + h.faqQuestionsBlocked + h.faqQuestionsDeleted > 0) {
    log(
      `imi-bot: retention blocked ${h.ticketsBlocked.length} and deleted ${h.ticketsDeleted.length} helpdesk ticket(s),` +
        ` blocked ${h.faqQuestionsBlocked} and deleted ${h.faqQuestionsDeleted} FAQ question(s)`,
    );
  }
}

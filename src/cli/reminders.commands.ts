import { readConfig } from '../config.ts';
import { buildNotifier, channelSenders, readReminderConfig } from '../delivery-wiring.ts';
import { fixedClock } from '../app/ports/clock.ts';
import { deliverOutbox, type DeliveryReport } from '../app/notifications/deliver-outbox.ts';
import { scanReminders, type QueuedReminder } from '../app/reminders/scan-reminders.ts';
import type { Core } from '../wiring.ts';
import { changeReminderSettings, reminderSettingsOf, type ReminderSettingsChange } from '../app/reminders/reminder-settings.ts';
import { parseWorkingHours, validDaysBefore, validEscalationDelay } from '../domain/reminders.ts';
import { CliError, domainFailure, str, type Command, type Flags } from './command.ts';

/** What `imi reminders run --json` prints per notification (a contract; see DESIGN.md). */
export interface ReminderRunItem {
  requestId: string | null;
  rule: string;
  recipient: string;
  channel: string | null;
  status: 'pending' | 'delivered' | 'failed';
}

function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  // Only full ISO instants or dates: Date() would read "12/01" or "tomorrow"-like text in surprising ways.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new CliError(`--now must be an ISO 8601 instant, e.g. 2026-12-01T09:00:00Z (got "${value}").`);
  }
  return new Date(value);
}

function reminderConfig() {
  try {
    return readReminderConfig();
  } catch (err) {
    throw new CliError((err as Error).message);
  }
}

function settingsChange(f: Flags): ReminderSettingsChange {
  const change: ReminderSettingsChange = { authorityId: str(f.authority)! };
  const days = str(f['days-before']);
  if (days !== undefined) {
    const parsed = days.split(',').map((d) => Number(d.trim()));
    if (days !== 'default' && !validDaysBefore(parsed)) {
      throw new CliError('--days-before must be up to five whole numbers of days from 1 to 60, like 3,1 (or "default").');
    }
    change.daysBefore = days === 'default' ? null : parsed;
  }
  const escalate = str(f['escalate-after']);
  if (escalate !== undefined) {
    if (escalate !== 'default' && !validEscalationDelay(Number(escalate))) {
      throw new CliError('--escalate-after must be a whole number of working days from 1 to 60 (or "default").');
    }
    change.escalateAfterDays = escalate === 'default' ? null : Number(escalate);
  }
  const hours = str(f['working-hours']);
  if (hours !== undefined) {
    const wh = hours === 'default' ? null : parseWorkingHours(hours);
    if (hours !== 'default' && !wh) throw new CliError('--working-hours must look like "Mon-Fri 08:00-18:00" (or "default").');
    change.workingHours = wh;
  }
  return change;
}

/**
 * The outbox state of what the scan queued. A row that was due but is in neither this run's
 * deliveries nor its failures was claimed by another worker (a second `imi reminders run`, the
 * server): it is in that worker's hands for a moment, so its outcome is waited for, briefly.
 */
async function settledStates(core: Core, queued: QueuedReminder[], report: DeliveryReport, now: Date) {
  const handled = new Set([...report.delivered, ...report.failed.map((f) => f.row), ...report.retrying.map((r) => r.row)].map((r) => r.key));
  const keys = queued.map((q) => q.outboxKey);
  const elsewhere = new Set(queued.filter((q) => q.notBefore <= now.toISOString() && !handled.has(q.outboxKey)).map((q) => q.outboxKey));
  for (let waited = 0; ; waited += 100) {
    const states = new Map((await core.deps.store.reminders.outboxState(keys)).map((s) => [s.key, s]));
    const inFlight = [...elsewhere].some((k) => states.get(k)?.status === 'pending');
    if (!inFlight || waited >= 10_000) return states;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const remindersCommands: Command[] = [
  {
    path: ['reminders', 'run'],
    summary: 'Run one reminder scan and deliver what it queued.',
    flags: { now: { type: 'string', help: 'scan as of this instant, ISO 8601, e.g. 2026-12-01T09:00:00Z' } },
    async run(ctx, f) {
      const now = parseNow(str(f.now));
      const settings = reminderConfig();
      const core = await ctx.core();
      const clock = now ? fixedClock(now) : core.deps.clock;
      const deps = { ...core.deps, clock };
      const outcome = await scanReminders(deps, settings.policy);
      // On the real clock, retries the platform asked for within half a minute are waited for;
      // with --now time stands still, so they stay queued.
      const delivery = { ...settings.delivery, settleWithinMs: now ? 0 : 30_000 };
      const report = await deliverOutbox(deps, buildNotifier(core, channelSenders(readConfig(), core), clock), delivery);
      const states = await settledStates(core, outcome.queued, report, clock.now());
      const items: ReminderRunItem[] = outcome.queued.map((q) => {
        const state = states.get(q.outboxKey);
        return { requestId: q.requestId, rule: q.rule, recipient: q.recipientId, channel: state?.channel ?? null, status: state?.status ?? 'pending' };
      });
      for (const i of items) {
        ctx.out(`${(i.requestId ?? '-').padEnd(16)} ${i.rule.padEnd(21)} → ${i.recipient.padEnd(24)} ${(i.channel ?? '-').padEnd(6)} ${i.status}`);
      }
      if (items.length === 0) ctx.out('No reminders due.');
      for (const e of outcome.errors) process.stderr.write(`imi: reminder scan skipped ${e.target}: ${e.message}\n`);
      return items;
    },
  },
  {
    path: ['reminders', 'settings'],
    summary: "Show or change an authority's reminder days, escalation delay and working hours.",
    flags: {
      authority: { type: 'string', required: true, help: 'the authority id, e.g. hu-enkk' },
      'days-before': { type: 'string', help: 'days before the deadline to remind, e.g. 3,1, or "default"' },
      'escalate-after': { type: 'string', help: 'working days overdue before the coordinator is told, or "default"' },
      'working-hours': { type: 'string', help: 'when people may be notified, e.g. "Mon-Fri 08:00-18:00", or "default"' },
    },
    async run(ctx, f) {
      const change = settingsChange(f);
      const policy = reminderConfig().policy;
      const core = await ctx.core();
      const changing = Object.keys(change).length > 1;
      const r = changing
        ? await changeReminderSettings(core.deps, policy, change, { id: 'cli', origin: 'cli' })
        : await reminderSettingsOf(core.deps, policy, change.authorityId);
      if (!r.ok) throw domainFailure(core, r.error);
      const e = r.value.effective;
      ctx.out(`${changing ? 'Updated' : 'Reminder settings of'} ${r.value.authorityId}: days before ${e.daysBefore.join(',')}, escalation after ${e.escalateAfterDays} working days, working hours ${e.workingHours}.`);
      return r.value;
    },
  },
];

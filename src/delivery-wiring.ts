import type { Config } from './config.ts';
import { trainingDeps } from './helpdesk-wiring.ts';
import type { Core } from './wiring.ts';
import type { Mount } from './server.ts';
import type { Clock } from './app/ports/clock.ts';
import type { Notifier } from './app/ports/notifier.ts';
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './app/notifications/deliver-outbox.ts';
import { DEFAULT_REMINDER_POLICY } from './app/reminders/reminder-policy.ts';
import {
  parseWorkingHours,
  validDaysBefore,
  validEscalationDelay,
  type ReminderPolicy,
} from './domain/reminders.ts';
import { createNotificationDispatcher, notificationRenderer } from './conversation/notification-dispatcher.ts';
import type { FeedRenderer } from './conversation/web-chat.port.ts';
import { notificationView } from './conversation/notification-view.ts';
import type { ChannelSender } from './conversation/types.ts';
import { webFeedSender } from './conversation/web-feed.sender.ts';
import { channelStatePort } from './conversation/channel-state.port.ts';
import { teamsSender } from '../adapters/teams/teams.sender.ts';
import { DEFAULT_SCHEDULES, startJobs, validSchedule, type JobSchedules } from './jobs/background-jobs.ts';
import { leaseSecondsFrom, startLeadership } from './jobs/leadership.ts';
import { instrumentNotifier, trackLeadership } from './metrics.ts';

/** Reminder and delivery settings from the environment; every variable is optional. */
export interface ReminderConfig {
  policy: ReminderPolicy;
  delivery: Partial<DeliveryPolicy>;
  schedules: JobSchedules;
}

/**
 * Reads IMI_WORKING_HOURS ("Mon-Fri 08:00-18:00"), IMI_REMINDER_DAYS_BEFORE ("3,1"),
 * IMI_ESCALATE_AFTER_DAYS ("3"), IMI_DELIVERY_MAX_ATTEMPTS ("8"), IMI_REMINDER_CRON and
 * IMI_DELIVERY_CRON. A value that does not parse stops the process with its name, rather
 * than reminding people at the wrong time.
 */
export function readReminderConfig(env: NodeJS.ProcessEnv = process.env): ReminderConfig {
  const bad = (name: string, why: string) => new Error(`${name}="${env[name]}" is not valid: ${why}`);
  const policy: ReminderPolicy = { ...DEFAULT_REMINDER_POLICY };
  if (env.IMI_WORKING_HOURS) {
    const wh = parseWorkingHours(env.IMI_WORKING_HOURS);
    if (!wh) throw bad('IMI_WORKING_HOURS', 'write days and hours like "Mon-Fri 08:00-18:00"');
    policy.workingHours = wh;
  }
  if (env.IMI_REMINDER_DAYS_BEFORE) {
    const days = env.IMI_REMINDER_DAYS_BEFORE.split(',').map((d) => Number(d.trim()));
    if (!validDaysBefore(days)) throw bad('IMI_REMINDER_DAYS_BEFORE', 'give up to five whole numbers of days from 1 to 60, like "3,1"');
    policy.daysBefore = days.sort((a, b) => b - a);
  }
  if (env.IMI_ESCALATE_AFTER_DAYS) {
    const days = Number(env.IMI_ESCALATE_AFTER_DAYS);
    if (!validEscalationDelay(days)) throw bad('IMI_ESCALATE_AFTER_DAYS', 'give a whole number of working days from 1 to 60');
    policy.escalateAfterDays = days;
  }
  const delivery: Partial<DeliveryPolicy> = {};
  if (env.IMI_DELIVERY_MAX_ATTEMPTS) {
    const n = Number(env.IMI_DELIVERY_MAX_ATTEMPTS);
    if (!Number.isInteger(n) || n < 1 || n > 50) throw bad('IMI_DELIVERY_MAX_ATTEMPTS', 'give a whole number from 1 to 50');
    delivery.maxAttempts = n;
  }
  const schedules = { ...DEFAULT_SCHEDULES };
  for (const [name, key] of [['IMI_REMINDER_CRON', 'reminders'], ['IMI_DELIVERY_CRON', 'delivery']] as const) {
    const value = env[name];
    if (!value) continue;
    if (!validSchedule(value)) throw bad(name, 'give a cron expression, like "*/15 * * * *"');
    schedules[key] = value;
  }
  return { policy, delivery: { ...DEFAULT_DELIVERY_POLICY, ...delivery }, schedules };
}

/**
 * The channels that can reach a user unprompted. The single place where Slack and Teams
 * senders join the list once they are configured; the web feed is always there.
 */
export function channelSenders(config: Config, core: Core): ChannelSender[] {
  const senders: ChannelSender[] = [webFeedSender];
  // Teams in local mode still reaches the Emulator or a test's connector; production without credentials never starts.
  if (config.teams.appId || !config.production) {
    senders.push(teamsSender({ settings: config.teams, channelState: channelStatePort(core.deps), i18n: core.i18n }));
  }
  if (config.slack) senders.push(slackSenderOnFirstSend(config.slack, core));
  return senders;
}

/**
 * The Slack sender, imported on its first send: @slack/bolt takes a while to load, and most CLI
 * commands wire the senders without ever sending. It shares the process's Slack connection with
 * the Slack mount all the same (adapters/slack/runtime.slack.ts keeps one per process).
 */
function slackSenderOnFirstSend(settings: NonNullable<Config['slack']>, core: Core): ChannelSender {
  let sender: Promise<ChannelSender> | null = null;
  const loaded = () =>
    (sender ??= import('../adapters/slack/slack.sender.ts').then((m) => m.slackSender(settings, channelStatePort(core.deps), core.i18n)));
  return { channel: 'slack', send: async (externalId, reply) => (await loaded()).send(externalId, reply) };
}

/** The Notifier the delivery worker uses: renders each notification and picks the recipient's channel. */
export function buildNotifier(core: Core, senders: ChannelSender[], clock: Clock = core.deps.clock): Notifier {
  return createNotificationDispatcher({
    store: core.deps.store,
    i18n: core.i18n,
    view: notificationView({ store: core.deps.store, areas: core.deps.areas, clock }),
    senders,
  });
}

/** Renders delivered notifications for the web chat's feed, the same way they were sent. */
export function feedRenderer(core: Core): FeedRenderer {
  const render = notificationRenderer({
    store: core.deps.store,
    i18n: core.i18n,
    view: notificationView({ store: core.deps.store, areas: core.deps.areas, clock: core.deps.clock }),
  });
  return async (userId, row) => {
    const user = await core.deps.store.users.get(userId);
    if (!user) throw new Error(`no user ${userId}`);
    return render(user, row);
  };
}

/**
 * Recipients the server's worker sends to at once. Each send is a network round trip to the
 * platform, often tens of milliseconds or more, so one at a time stays below its rate limit. A
 * process killed outright (not stopped) may send up to this many notifications again, where one
 * at a time it may send one again.
 */
const SERVER_CONCURRENCY = 4;

/** Starts the reminder scan and outbox delivery schedules of the server; returns the function that stops them. */
export function startBackgroundJobs(core: Core, config: Config, senders: ChannelSender[] = channelSenders(config, core)): () => Promise<void> {
  const settings = readReminderConfig();
  const log = (line: string) => console.log(line);
  // Several instances on one database: one leads the scan and retention, all deliver (issue 12).
  const leader = startLeadership(core.deps, { ttlMs: leaseSecondsFrom() * 1000, log });
  trackLeadership(leader.leading);
  let stopping = false;
  const stop = startJobs({
    deps: core.deps,
    notifier: instrumentNotifier(buildNotifier(core, senders)),
    policy: settings.policy,
    // A run goes on while rows are due, so a backlog leaves at the platform's rate instead of a
    // batch cap at a time with the rest of a schedule tick idle in between; it stops after the
    // batch in hand when the server shuts down, and keeps no list of what it delivered.
    delivery: {
      ...settings.delivery,
      concurrency: SERVER_CONCURRENCY,
      maxBatches: Number.POSITIVE_INFINITY,
      keepGoing: () => !stopping,
      reportDelivered: false,
    },
    schedules: settings.schedules,
    leader,
    training: trainingDeps(core),
    log,
  });
  return async () => {
    stopping = true;
    await stop();
    await leader.stop();
  };
}

/**
 * The background jobs as a server mount: nothing on HTTP, but the server's stop() ends the
 * schedules and waits for a run in progress before the database closes.
 */
export function jobsMount(core: Core, config: Config, senders: ChannelSender[] = channelSenders(config, core)): Mount {
  const stop = startBackgroundJobs(core, config, senders);
  return { mount: () => {}, close: stop };
}

import { App, ExpressReceiver, LogLevel, type Logger } from '@slack/bolt';
import type { Express } from 'express';
import type { ChannelStatePort, ConversationPort } from '../../src/conversation/types.ts';
import type { Translator } from '../../src/i18n/i18n.ts';
import { DirectMessages } from './direct-messages.slack.ts';
import { registerEvents, type HandlerDeps } from './events.slack.ts';
import { HomeTab } from './home.slack.ts';
import { LocaleCache } from './identity.slack.ts';
import { registerInteractions } from './interactions.slack.ts';
import { consoleLog, type SlackLog } from './labels.slack.ts';
import { SlackReplies } from './replies.slack.ts';
import { slackConnection, WorkTracker } from './runtime.slack.ts';
import { slackSignatureGuard } from './signature.slack.ts';
import { classifySlackError, type SlackApiSettings } from './web-api.slack.ts';

/** The one URL Slack sends events, interactivity and slash commands to. */
export const SLACK_EVENTS_PATH = '/slack/events';

/** What the Slack channel needs from the composition root (a subset of src/mounts.ts ChannelContext). */
export interface SlackChannelContext {
  config: { slack: (SlackApiSettings & { signingSecret: string }) | null };
  conversation: ConversationPort;
  channelState: ChannelStatePort;
  i18n: Translator;
}

/** A Mount as src/server.ts defines it (structurally, so the adapter does not import the server). */
export interface SlackMount {
  mount(app: Express): void;
  close(): Promise<void>;
}

function boltLogger(log: SlackLog): Logger {
  let level = LogLevel.WARN;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg) => log.warn(`slack (bolt): ${msg.join(' ')}`),
    error: (...msg) => log.error(`slack (bolt): ${msg.join(' ')}`),
    setLevel: (l) => void (level = l),
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * The Slack channel: a Bolt App on an ExpressReceiver, served from our express app at
 * POST /slack/events. Requests are checked for Slack's signature first (401 otherwise),
 * retried event deliveries are dropped by event_id, and every reply goes through the shared
 * Web API client and send queue of this process.
 */
export function slackMount(ctx: SlackChannelContext, options: { log?: SlackLog; triggerBudgetMs?: number } = {}): SlackMount {
  const settings = ctx.config.slack;
  if (!settings) throw new Error('slackMount needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN');
  const log = options.log ?? consoleLog;
  const connection = slackConnection(settings);
  const { api, queue } = connection;
  const work = new WorkTracker((err) => log.error(`slack: ${err instanceof Error ? err.stack : String(err)}`));
  const locales = new LocaleCache(async (user) => (await api.users.info({ user, include_locale: true })).user?.locale);
  const dms = new DirectMessages(api, ctx.channelState);
  const replies = new SlackReplies({ api, queue, dms, i18n: ctx.i18n, locales, log, triggerBudgetMs: options.triggerBudgetMs ?? 1500 });
  const home = new HomeTab({ conversation: ctx.conversation, api, i18n: ctx.i18n, locales, log });

  const receiver = new ExpressReceiver({
    signingSecret: settings.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger: boltLogger(log),
    processBeforeResponse: false,
  });

  // auth.test once, on the first event (not at startup: a bad token must not stop the server).
  let identity: Promise<{ botId?: string; botUserId?: string }> | null = null;
  const authorize = async () => {
    identity ??= api.auth.test().then(
      (r) => ({ botId: r.bot_id, botUserId: r.user_id }),
      (err: unknown) => {
        identity = null;
        log.error(classifySlackError(err).reason);
        throw err;
      },
    );
    return { botToken: settings.botToken, ...(await identity) };
  };

  const app = new App({
    receiver,
    authorize,
    logger: boltLogger(log),
    clientOptions: { slackApiUrl: settings.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true },
  });
  app.error(async (err) => log.error(`slack: ${err instanceof Error ? err.stack : String(err)}`));

  // Slack retries an event it thinks we missed (x-slack-retry-num); the event_id is claimed in
  // the database, so a retry never makes a second request or message, on any instance.
  app.use(async ({ body, next, context }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await ctx.channelState.firstDelivery(`slack:event:${eventId}`))) {
      log.info(`slack: dropped a repeated delivery of event ${eventId} (retry ${context.retryNum ?? 0})`);
      return;
    }
    await next();
  });

  const deps: HandlerDeps = { conversation: ctx.conversation, channelState: ctx.channelState, i18n: ctx.i18n, replies, dms, home, work, log };
  registerEvents(app, deps);
  registerInteractions(app, deps);

  const onDelivered = (externalId: string) => work.run(() => home.refresh(externalId));
  connection.delivered.add(onDelivered);

  return {
    mount(server) {
      server.post(SLACK_EVENTS_PATH, slackSignatureGuard(settings.signingSecret, (m) => log.warn(m)));
      server.use(receiver.router);
      log.info(`slack: enabled; Slack sends events, interactivity and /imi to POST ${SLACK_EVENTS_PATH} (Web API ${settings.apiUrl})`);
    },
    async close() {
      connection.delivered.delete(onDelivered);
      await work.drain();
      await queue.drain();
    },
  };
}

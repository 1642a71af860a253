import type { ChannelSender, ChannelStatePort, RenderedReply, SendOutcome } from '../../src/conversation/types.ts';
import type { Translator } from '../../src/i18n/i18n.ts';
import { renderMessage, type SlackLabels } from './blocks.slack.ts';
import { DirectMessages, queued } from './direct-messages.slack.ts';
import { consoleLog, slackLabels, type SlackLog } from './labels.slack.ts';
import { slackConnection } from './runtime.slack.ts';
import type { SlackApiSettings, SlackFailure, SlackSendQueue, WebClient } from './web-api.slack.ts';

export interface SlackSenderDeps {
  api: WebClient;
  queue: SlackSendQueue;
  channelState: ChannelStatePort;
  i18n: Translator;
  /** Told after a message reached a user, e.g. to refresh their App Home. */
  onDelivered?: (externalId: string) => void;
  log?: SlackLog;
}

/**
 * Proactive delivery on Slack: the user's DM, then chat.postMessage through the per-conversation
 * queue (which waits out 429s). The outcome tells the outbox worker whether trying later can help.
 */
export function createSlackSender(deps: SlackSenderDeps): ChannelSender {
  const log = deps.log ?? consoleLog;
  const dms = new DirectMessages(deps.api, deps.channelState);

  const failed = async (externalId: string, failure: SlackFailure): Promise<SendOutcome> => {
    switch (failure.kind) {
      case 'rate_limited':
        return { ok: false, retryable: true, reason: failure.reason, retryAfterMs: failure.retryAfterMs };
      case 'transient':
        return { ok: false, retryable: true, reason: failure.reason };
      case 'auth':
        log.error(failure.reason);
        return { ok: false, retryable: false, reason: failure.reason };
      case 'gone':
        if (!failure.reason.startsWith('slack address stale')) {
          // Marked even without a DM yet, so later notifications fail fast; a message from the user clears it.
          if (!(await deps.channelState.addressOf('slack', externalId))) await deps.channelState.rememberAddress('slack', externalId, null);
          await deps.channelState.markAddressStale('slack', externalId, failure.reason);
        }
        return { ok: false, retryable: false, reason: failure.reason };
      case 'rejected':
        log.warn(`${failure.reason} (sending to ${externalId})`);
        return { ok: false, retryable: false, reason: failure.reason };
    }
  };

  // The labels are the same for every message in a language; looked up once, not per send.
  const labels = new Map<string, SlackLabels>();
  const labelsIn = (lang: string) => labels.get(lang) ?? labels.set(lang, slackLabels(deps.i18n, lang)).get(lang)!;
  const post = async (channel: string, reply: RenderedReply) =>
    queued(deps.queue, channel, () => deps.api.chat.postMessage({ channel, ...renderMessage(reply, { labels: labelsIn(reply.lang) }) }));

  return {
    channel: 'slack',
    async send(externalId, reply) {
      const dm = await dms.channelOf(externalId);
      if (!dm.ok) return failed(externalId, dm.failure);
      let sent = await post(dm.channel, reply);
      // A remembered DM can disappear (workspace migration); open it afresh once before giving up.
      if (!sent.ok && sent.failure.kind === 'gone' && /channel_not_found/.test(sent.failure.reason)) {
        const again = await dms.channelOf(externalId, { fresh: true });
        if (!again.ok) return failed(externalId, again.failure);
        sent = await post(again.channel, reply);
      }
      if (!sent.ok) return failed(externalId, sent.failure);
      deps.onDelivered?.(externalId);
      return { ok: true };
    },
  };
}

/**
 * A user's App Home is refreshed once notifications stopped going out for HOME_REFRESH_QUIET_MS,
 * or HOME_REFRESH_MAX_WAIT_MS (give or take a quarter, so a burst's refreshes do not all fall due
 * at once) after the first one it does not show yet; HOME_REFRESH_PER_SECOND at most, as Slack
 * allows views.publish about 100 calls a minute (Tier 4), far fewer than messages. Opening the Home
 * tab refreshes it at once (app_home_opened), so the wait is only seen by someone watching it.
 */
export const HOME_REFRESH_QUIET_MS = 2_000;
export const HOME_REFRESH_MAX_WAIT_MS = 30_000;
export const HOME_REFRESH_PER_SECOND = 2;

/**
 * Calls `notify` once for a run of deliveries to one user instead of after each, and leaves the
 * calls until a burst is over. Republishing the App Home after every message of a burst (a request
 * sent to a whole authority, a reminder scan) costs a views.publish and an inbox and onboarding
 * query each: as much work again as the deliveries, competing with them for the database, the
 * processor and Slack's rate limit, for a view the user sees the last state of.
 */
export function coalescePerUser(
  notify: (externalId: string) => void,
  quietMs: number,
  maxWaitMs: number,
  perSecond: number,
  random: () => number = Math.random,
): (externalId: string) => void {
  // User → the time their refresh is due at the latest, oldest first.
  const pending = new Map<string, number>();
  // When the last second's refreshes were made, oldest first.
  const made: number[] = [];
  let lastDelivery = 0;
  let heldUntil = 0;
  let timer: NodeJS.Timeout | null = null;
  const arm = (now: number) => {
    if (timer || pending.size === 0) return;
    const at = Math.max(heldUntil, Math.min(lastDelivery + quietMs, ...pending.values()));
    timer = setTimeout(check, Math.max(0, at - now));
    // A refresh still waiting must not keep a finished process (the CLI's delivery run) alive.
    timer.unref();
  };
  const check = () => {
    timer = null;
    const now = Date.now();
    while (made.length > 0 && made[0]! <= now - 1000) made.shift();
    const quiet = now - lastDelivery >= quietMs;
    heldUntil = 0;
    for (const [externalId, due] of pending) {
      if (!quiet && due > now) continue;
      if (made.length >= perSecond) {
        heldUntil = made[0]! + 1000;
        break;
      }
      pending.delete(externalId);
      made.push(now);
      notify(externalId);
    }
    arm(now);
  };
  return (externalId) => {
    const now = Date.now();
    lastDelivery = now;
    if (!pending.has(externalId)) pending.set(externalId, now + Math.round(maxWaitMs * (0.75 + 0.5 * random())));
    arm(now);
  };
}

/**
 * The Slack sender of this process, from config.slack: it shares the Web API client and send
 * queue with the Slack mount (when there is one), and tells it what was delivered, once per burst.
 */
export function slackSender(settings: SlackApiSettings, channelState: ChannelStatePort, i18n: Translator): ChannelSender {
  const connection = slackConnection(settings);
  return createSlackSender({
    api: connection.api,
    queue: connection.queue,
    channelState,
    i18n,
    onDelivered: coalescePerUser(
      (externalId) => connection.delivered.forEach((listener) => listener(externalId)),
      HOME_REFRESH_QUIET_MS,
      HOME_REFRESH_MAX_WAIT_MS,
      HOME_REFRESH_PER_SECOND,
    ),
  });
}

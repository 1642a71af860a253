import type { ChannelSender, ChannelStatePort, RenderedReply, SendOutcome } from '../../src/conversation/types.ts';
import type { Translator } from '../../src/i18n/i18n.ts';
import { renderMessage } from './blocks.slack.ts';
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

  const post = async (channel: string, reply: RenderedReply) =>
    queued(deps.queue, channel, () =>
      deps.api.chat.postMessage({ channel, ...renderMessage(reply, { labels: slackLabels(deps.i18n, reply.lang) }) }),
    );

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
 * The Slack sender of this process, from config.slack: it shares the Web API client and send
 * queue with the Slack mount (when there is one), and tells it what was delivered.
 */
export function slackSender(settings: SlackApiSettings, channelState: ChannelStatePort, i18n: Translator): ChannelSender {
  const connection = slackConnection(settings);
  return createSlackSender({
    api: connection.api,
    queue: connection.queue,
    channelState,
    i18n,
    onDelivered: (externalId) => connection.delivered.forEach((listener) => listener(externalId)),
  });
}

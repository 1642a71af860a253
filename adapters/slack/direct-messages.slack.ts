import type { ChannelStatePort } from '../../src/conversation/types.ts';
import { parseSlackExternalId } from './identity.slack.ts';
import { SlackCallError, classifySlackError, type SlackFailure, type SlackSendQueue, type WebClient } from './web-api.slack.ts';

/** What is remembered to reach a Slack user unprompted. */
export interface SlackAddress {
  channel: string;
  teamId: string;
}

/**
 * The bot's DM conversation with each user: opened once with conversations.open, then remembered
 * through ChannelStatePort so every instance (and the CLI's delivery run) can reuse it.
 */
export class DirectMessages {
  constructor(
    private readonly api: WebClient,
    private readonly channelState: ChannelStatePort,
  ) {}

  /** The DM channel id, or the reason the user cannot be reached. */
  async channelOf(externalId: string, { fresh = false } = {}): Promise<{ ok: true; channel: string } | { ok: false; failure: SlackFailure }> {
    const who = parseSlackExternalId(externalId);
    if (!who) return { ok: false, failure: { kind: 'rejected', reason: `not a Slack identity: ${externalId}` } };
    if (!fresh) {
      const known = await this.channelState.addressOf('slack', externalId);
      if (known?.staleReason) return { ok: false, failure: { kind: 'gone', reason: `slack address stale: ${known.staleReason}` } };
      const address = known?.address as SlackAddress | undefined;
      if (address?.channel) return { ok: true, channel: address.channel };
    }
    try {
      const opened = await this.api.conversations.open({ users: who.userId });
      const channel = opened.channel?.id;
      if (!channel) return { ok: false, failure: { kind: 'transient', reason: 'slack conversations.open returned no channel' } };
      await this.remember(externalId, channel);
      return { ok: true, channel };
    } catch (err) {
      return { ok: false, failure: err instanceof SlackCallError ? err.failure : classifySlackError(err) };
    }
  }

  /** Records the DM channel seen on an incoming message, saving a conversations.open later. */
  async remember(externalId: string, channel: string): Promise<void> {
    const who = parseSlackExternalId(externalId);
    if (!who) return;
    const address: SlackAddress = { channel, teamId: who.teamId };
    await this.channelState.rememberAddress('slack', externalId, address);
  }
}

/** Runs a write on a conversation through the send queue; failures come back as SlackFailure. */
export async function queued<T>(queue: SlackSendQueue, conversation: string, call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; failure: SlackFailure }> {
  try {
    return { ok: true, value: await queue.run(conversation, call) };
  } catch (err) {
    return { ok: false, failure: err instanceof SlackCallError ? err.failure : classifySlackError(err) };
  }
}

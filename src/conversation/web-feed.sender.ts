import type { ChannelSender } from './types.ts';

/**
 * The web chat is pull-based: it shows the user's delivered outbox rows with channel "web" as
 * their feed. Sending is therefore only a matter of the worker marking the row delivered on
 * this channel, which cannot fail.
 */
export const webFeedSender = {
  channel: 'web',
  async send() {
    return { ok: true };
  },
} satisfies ChannelSender;

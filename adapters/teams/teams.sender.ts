import type { ChannelSender, ChannelStatePort, RenderedReply, SendOutcome } from '../../src/conversation/types.ts';
import type { Translator } from '../../src/i18n/i18n.ts';
import type { ImiTeamsAdapter, TeamsSettings } from './bot-adapter.teams.ts';
import { renderMessages } from './cards.teams.ts';
import { translateTeamsError } from './errors.teams.ts';
import { asAddress, referenceOf } from './identity.teams.ts';

export interface TeamsSenderDeps {
  settings: TeamsSettings;
  channelState: ChannelStatePort;
  i18n: Translator;
  /** The server's adapter when there is one; the CLI (`imi reminders run`) builds its own. */
  adapter?: ImiTeamsAdapter;
}

/**
 * Proactive messages to Teams users: the conversation reference remembered from their last
 * activity is continued and the reply sent there as an Adaptive Card. Never silent: a user who
 * cannot be reached gets a non-retryable outcome with the reason, which the outbox shows.
 */
export function teamsSender(deps: TeamsSenderDeps): ChannelSender {
  // Loaded on the first send: every CLI command wires the senders, few of them ever send.
  let adapter: Promise<ImiTeamsAdapter> | null = deps.adapter ? Promise.resolve(deps.adapter) : null;
  const adapterOnce = () => (adapter ??= import('./bot-adapter.teams.ts').then((m) => new m.ImiTeamsAdapter(deps.settings)));
  return {
    channel: 'teams',
    async send(externalId: string, reply: RenderedReply): Promise<SendOutcome> {
      const stored = await deps.channelState.addressOf('teams', externalId);
      if (!stored) {
        return {
          ok: false,
          retryable: false,
          reason: `no Teams conversation known for ${externalId}: the user has not installed or messaged imi-bot in Teams yet`,
        };
      }
      if (stored.staleReason) return { ok: false, retryable: false, reason: `Teams conversation unusable: ${stored.staleReason}` };
      const address = asAddress(stored.address);
      if (!address) return { ok: false, retryable: false, reason: `the stored Teams conversation of ${externalId} is malformed` };
      const messages = renderMessages(reply, deps.i18n);
      if (messages.length === 0) return { ok: true };
      try {
        // In local mode the app id is empty and botbuilder builds an unauthenticated client for the reference's serviceUrl.
        await (await adapterOnce()).continueConversationAsync(deps.settings.appId, referenceOf(address), async (context) => {
          for (const m of messages) await context.sendActivity(m);
        });
        return { ok: true };
      } catch (err) {
        const failure = translateTeamsError(err);
        if (failure.addressGone) await deps.channelState.markAddressStale('teams', externalId, failure.reason);
        return {
          ok: false,
          retryable: failure.retryable,
          reason: failure.reason,
          ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
        };
      }
    },
  };
}

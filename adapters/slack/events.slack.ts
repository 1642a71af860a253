import type { App } from '@slack/bolt';
import type { ChannelStatePort, ConversationPort, RenderedReply, Turn } from '../../src/conversation/types.ts';
import type { Translator } from '../../src/i18n/i18n.ts';
import type { DirectMessages } from './direct-messages.slack.ts';
import type { HomeTab } from './home.slack.ts';
import { plainSlackText, slackExternalId } from './identity.slack.ts';
import type { SlackLog } from './labels.slack.ts';
import type { SlackReplies } from './replies.slack.ts';
import type { WorkTracker } from './runtime.slack.ts';

/** What every Slack listener works with. */
export interface HandlerDeps {
  conversation: ConversationPort;
  channelState: ChannelStatePort;
  i18n: Translator;
  replies: SlackReplies;
  dms: DirectMessages;
  home: HomeTab;
  work: WorkTracker;
  log: SlackLog;
}

/** The conversation's answer; an apology in the user's language if it fails outright. */
export async function ask(deps: HandlerDeps, turn: Turn): Promise<RenderedReply> {
  try {
    return await deps.conversation.handle(turn);
  } catch (err) {
    deps.log.error(`slack: the conversation failed: ${err instanceof Error ? err.stack : String(err)}`);
    return deps.replies.failureReply(turn);
  }
}

interface SlackMessageEvent {
  type: string;
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  user_team?: string;
  team?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  tab?: string;
}

const teamOf = (event: SlackMessageEvent, body: { team_id?: string }): string => event.user_team ?? event.team ?? body.team_id ?? '';

/**
 * Events API listeners. Bolt has acknowledged an event before any listener runs; the work runs
 * in the background (tracked so shutdown waits for it). Retried deliveries are dropped earlier,
 * in the de-duplication middleware.
 */
export function registerEvents(app: App, deps: HandlerDeps): void {
  const rememberedDms = new Set<string>();
  const rememberDm = async (externalId: string, channel: string) => {
    if (rememberedDms.has(`${externalId}>${channel}`)) return;
    await deps.dms.remember(externalId, channel);
    rememberedDms.add(`${externalId}>${channel}`);
  };

  // A user writes to the bot in its DM (message.im).
  app.event('message', async ({ event, body }) => {
    const e = event as unknown as SlackMessageEvent;
    if (e.channel_type !== 'im' || e.subtype || e.bot_id || !e.user || typeof e.text !== 'string') return;
    const teamId = teamOf(e, body);
    const userId = e.user;
    deps.work.run(async () => {
      const text = plainSlackText(e.text!);
      const turn = { ...(await deps.replies.turnOf(teamId, userId)), text };
      await rememberDm(turn.externalId, e.channel);
      const reply = await ask(deps, turn);
      await deps.replies.post(e.channel, reply, { t: text });
      await deps.home.refresh(turn.externalId);
    });
  });

  // "@imi-bot inbox" in a channel: the answer goes to the DM, where requests stay private.
  app.event('app_mention', async ({ event, body }) => {
    const e = event as unknown as SlackMessageEvent;
    if (!e.user || e.bot_id) return;
    const teamId = teamOf(e, body);
    const userId = e.user;
    deps.work.run(async () => {
      const text = plainSlackText(e.text ?? '');
      const turn = { ...(await deps.replies.turnOf(teamId, userId)), text };
      const reply = await ask(deps, turn);
      await deps.replies.toUser(turn.externalId, reply, { t: text });
      await deps.replies.ephemeral(e.channel, userId, deps.i18n.t(reply.lang, 'slack.answeredInDm'), e.thread_ts);
      await deps.home.refresh(turn.externalId);
    });
  });

  // The Home tab shows the inbox; the Messages tab greets a user the first time they open it.
  app.event('app_home_opened', async ({ event, body }) => {
    const e = event as unknown as SlackMessageEvent;
    if (!e.user) return;
    const teamId = teamOf(e, body);
    const userId = e.user;
    const externalId = slackExternalId(teamId, userId);
    if (e.tab === 'home') {
      deps.work.run(() => deps.home.refresh(externalId));
      return;
    }
    if (e.tab !== 'messages') return;
    deps.work.run(async () => {
      if (!(await deps.channelState.firstDelivery(`slack:welcome:${externalId}`))) return;
      const turn = await deps.replies.turnOf(teamId, userId);
      await rememberDm(externalId, e.channel);
      const reply = await deps.conversation.welcome(turn).catch(() => deps.replies.failureReply(turn));
      await deps.replies.post(e.channel, reply);
    });
  });

  // Nothing can be sent any more until someone reinstalls the app: say so loudly, once per event.
  app.event('tokens_revoked', async ({ body }) => {
    deps.log.error(`slack: the tokens of workspace ${body.team_id} were revoked; reinstall the app and update SLACK_BOT_TOKEN`);
  });
  app.event('app_uninstalled', async ({ body }) => {
    deps.log.error(`slack: the app was uninstalled from workspace ${body.team_id}; Slack notifications to it will fail until it is reinstalled`);
  });
}

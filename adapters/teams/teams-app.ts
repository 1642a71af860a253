import { createHash } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import { Application } from '@microsoft/teams-ai';
import type { ChannelStatePort, ConversationPort, RenderedReply } from '../../src/conversation/types.ts';
import { negotiateLanguage, type Translator } from '../../src/i18n/i18n.ts';
import { ImiTeamsAdapter, isLocalMode, settingsProblem, type TeamsSettings } from './bot-adapter.teams.ts';
import { MESSAGES_PATH, warnIfLocalMode } from './settings.teams.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderCard, renderMessages } from './cards.teams.ts';
import { actionOf, addressOf, localeOf, teamsUserOf, textOf, turnBase, type TeamsUser } from './identity.teams.ts';

/** What the composition root hands the Teams channel (a structural subset of src/mounts.ts ChannelContext). */
export interface TeamsChannelContext {
  config: { production: boolean; teams: TeamsSettings };
  conversation: ConversationPort;
  channelState: ChannelStatePort;
  i18n: Translator;
}

/** The channel's HTTP surface, in the shape of src/server.ts Mount. */
export interface TeamsMount {
  mount(app: Express): void;
  close(): Promise<void>;
}

export { MESSAGES_PATH } from './settings.teams.ts';

const log = (message: string, err?: unknown) =>
  console.error(`imi-bot: teams: ${message}`, err instanceof Error ? err.stack ?? err.message : err ?? '');

/** A platform delivery key short enough for any store, unique per conversation and activity. */
const deliveryKey = (activity: Activity): string | null =>
  activity.id ? `teams:${createHash('sha256').update(`${activity.conversation?.id ?? ''}\u0000${activity.id}`).digest('hex').slice(0, 48)}` : null;

/** The Teams message text for a fixed adapter message (no user identity, or an unexpected failure). */
function notice(ctx: TeamsChannelContext, activity: Activity, key: string): RenderedReply {
  const lang = negotiateLanguage(ctx.i18n.languages, localeOf(activity));
  return { lang, blocks: [{ kind: 'text', text: ctx.i18n.t(lang, key), tone: 'warning' }] };
}

/** The Application: text commands, install greetings and Action.Execute presses, all through the conversation port. */
export function createTeamsApplication(ctx: TeamsChannelContext, adapter: ImiTeamsAdapter): Application {
  const settings = ctx.config.teams;
  const localMode = isLocalMode(settings);
  const app = new Application({
    adapter,
    botAppId: settings.appId,
    // Replies come in well under Teams' timeout; typing indicators would only add traffic.
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
  });

  /** Identifies the sender and remembers how to reach them; null when they cannot be identified. */
  async function who(context: TurnContext): Promise<TeamsUser | null> {
    const user = teamsUserOf(context.activity, localMode);
    const address = addressOf(context.activity);
    if (user && address && !(await storedAlready(user.externalId, address))) await ctx.channelState.rememberAddress('teams', user.externalId, address);
    return user;
  }

  /**
   * Why: the address only changes when Teams moves the conversation, yet every activity carries it.
   * Rewriting it each time is a durable write (an fsync on sqlite) in front of every reply, where
   * a read is a fraction of that. A stale mark still gets cleared, because a stale row is rewritten.
   */
  async function storedAlready(externalId: string, address: object): Promise<boolean> {
    const stored = await ctx.channelState.addressOf('teams', externalId);
    return stored !== null && stored.staleReason === null && JSON.stringify(stored.address) === JSON.stringify(address);
  }

  async function sendReply(context: TurnContext, reply: RenderedReply): Promise<void> {
    for (const m of renderMessages(reply, ctx.i18n)) await context.sendActivity(m);
  }

  /** Teams redelivers an activity it thinks timed out; the second copy is dropped. */
  async function firstTime(activity: Activity): Promise<boolean> {
    const key = deliveryKey(activity);
    return key ? ctx.channelState.firstDelivery(key) : true;
  }

  app.activity(ActivityTypes.Message, async (context) => {
    const activity = context.activity;
    try {
      // Side by side, because both stand between the user and the reply; remembering the address of a
      // redelivered copy is harmless, it is the same address.
      const [first, user] = await Promise.all([firstTime(activity), who(context)]);
      if (!first) return;
      if (!user) return sendReply(context, notice(ctx, activity, 'teams.noIdentity'));
      await sendReply(context, await ctx.conversation.handle({ ...turnBase(activity, user), text: textOf(activity) }));
    } catch (err) {
      log('message failed', err);
      await sendReply(context, notice(ctx, activity, 'teams.failed')).catch((e) => log('could not report a failure', e));
    }
  });

  app.activity(ActivityTypes.ConversationUpdate, async (context) => {
    const activity = context.activity;
    const added = activity.membersAdded ?? [];
    // The bot installed into the user's personal chat, or the user joining it: greet once, in their language.
    const greet = added.some((m) => m.id === activity.recipient?.id || m.id === activity.from?.id);
    const personal = !activity.conversation?.conversationType || activity.conversation.conversationType === 'personal';
    if (!greet || !personal) return;
    try {
      if (!(await firstTime(activity))) return;
      const user = await who(context);
      if (!user) return sendReply(context, notice(ctx, activity, 'teams.noIdentity'));
      await sendReply(context, await ctx.conversation.welcome(turnBase(activity, user)));
    } catch (err) {
      log('welcome failed', err);
    }
  });

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const activity = context.activity;
    try {
      const action = String(activity.action ?? '');
      if (action.startsWith('remove')) {
        const user = teamsUserOf(activity, localMode);
        if (user) await ctx.channelState.markAddressStale('teams', user.externalId, 'the user removed imi-bot from Teams');
        return;
      }
      await who(context);
    } catch (err) {
      log('installation update failed', err);
    }
  });

  const isCardAction = async (context: TurnContext) =>
    context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action';

  app.addRoute(
    isCardAction,
    async (context) => {
      const activity = context.activity;
      const action = actionOf(activity);
      if (!action) {
        await invokeResponse(context, 400, {
          statusCode: 400,
          type: 'application/vnd.microsoft.error',
          value: { code: 'BadRequest', message: 'only Action.Execute with a verb is supported' },
        });
        return;
      }
      let reply: RenderedReply;
      try {
        const user = await who(context);
        reply = user ? await ctx.conversation.handle({ ...turnBase(activity, user), action }) : notice(ctx, activity, 'teams.noIdentity');
      } catch (err) {
        log('card action failed', err);
        reply = notice(ctx, activity, 'teams.failed');
      }
      // The card the user pressed is replaced by the answer, so its buttons cannot be pressed twice.
      await invokeResponse(context, 200, { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: renderCard(reply, ctx.i18n) });
    },
    true,
  );

  app.error(async (_context, err) => log('turn failed', err));
  return app;
}

async function invokeResponse(context: TurnContext, status: number, body: unknown): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: { status, body } });
}

/**
 * POST /api/messages. Authentication runs first and any failure answers 401 before the bot sees
 * the activity; what the bot answers to an invoke becomes the HTTP response body.
 */
export function teamsMount(ctx: TeamsChannelContext): TeamsMount {
  const settings = ctx.config.teams;
  const problem = settingsProblem(settings, ctx.config.production);
  if (problem) throw new Error(`Teams channel: ${problem}`);
  warnIfLocalMode(settings);
  const adapter = new ImiTeamsAdapter(settings);
  const bot = createTeamsApplication(ctx, adapter);

  async function handle(req: Request, res: Response): Promise<void> {
    const activity = req.body as Activity | undefined;
    if (!activity || typeof activity !== 'object' || typeof activity.type !== 'string' || !activity.type) {
      res.status(400).json({ error: 'the body must be a Bot Framework activity' });
      return;
    }
    const auth = await adapter.authenticate(activity, req.get('authorization') ?? '');
    if (!auth.ok) {
      console.warn(`imi-bot: teams: refused an unauthenticated activity (${auth.reason})`);
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    try {
      const result = await adapter.run(auth.result, activity, async (context) => {
        await bot.run(context);
      });
      res.status(result?.status ?? 200);
      if (result?.body !== undefined) res.json(result.body);
      else res.end();
    } catch (err) {
      log('activity failed', err);
      if (!res.headersSent) res.status(500).json({ error: 'internal error' });
    }
  }

  return {
    mount(app: Express) {
      app.post(MESSAGES_PATH, express.json({ limit: '1mb' }), (req, res) => {
        void handle(req, res);
      });
    },
    async close() {},
  };
}

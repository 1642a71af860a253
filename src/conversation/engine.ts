import { identify } from '../app/people/identify.ts';
import { negotiateLanguage, type Translator } from '../i18n/i18n.ts';
import { localize, text } from './render.ts';
import type { ConversationPort, RenderedReply, Turn } from './types.ts';
import { reply, type ConversationDeps, type Outcome, type TurnContext } from './turn-context.ts';
import { helpReply, languageForm, setLanguage, showInbox, unregisteredReply, welcomeReply } from './dialogues/basics.dialogue.ts';
import { onDraftStep, startNewRequest } from './dialogues/new-request.dialogue.ts';
import { isRequestAction, onRequestAction, showHistory, showRequest } from './dialogues/request-actions.dialogue.ts';
import { one, type Values } from './dialogues/values.ts';
import { withPreface } from './dialogues/onboarding.dialogue.ts';
import { createTurnGate } from './turn-rate-gate.ts';
import { turnStore } from './turn-store.ts';
import { extensionAction, helpdeskTurn, onboardingTurn, registersTurn, strangerTurn, trainingTurn } from './extensions.ts';
import { scoreboardAction, scoreboardTurn } from './dialogues/scoreboard.dialogue.ts';

/** Text commands; English words always work, each language adds its own in bot.json `commands`. */
export const COMMAND_NAMES = ['help', 'new', 'inbox', 'language', 'onboarding', 'registers', 'training', 'history', 'admin', 'scoreboard'] as const;
type CommandName = (typeof COMMAND_NAMES)[number];

const REQUEST_ID = /^IMI-\d{4}-\d{6}$/i;

/** The words of each command in a language, by translator: every text turn looks its first word up. */
const commandWords = new WeakMap<Translator, Map<string, [CommandName, string[]][]>>();

function wordsIn(ctx: TurnContext): [CommandName, string[]][] {
  let byLang = commandWords.get(ctx.deps.i18n);
  if (!byLang) commandWords.set(ctx.deps.i18n, (byLang = new Map()));
  let words = byLang.get(ctx.lang);
  if (!words) {
    words = COMMAND_NAMES.map((name) => [name, [name, ...ctx.deps.i18n.t(ctx.lang, `bot.commands.${name}`).toLowerCase().split('|')]]);
    byLang.set(ctx.lang, words);
  }
  return words;
}

function parseCommand(ctx: TurnContext, input: string): { name: CommandName; rest: string } | null {
  const [first = '', ...rest] = input.trim().replace(/^\//, '').split(/\s+/);
  const word = first.toLowerCase();
  for (const [name, words] of wordsIn(ctx)) {
    if (words.includes(word)) return { name, rest: rest.join(' ') };
  }
  return null;
}

async function onText(ctx: TurnContext, input: string): Promise<Outcome> {
  const trimmed = input.trim();
  if (!trimmed) return helpReply();
  if (REQUEST_ID.test(trimmed)) return showRequest(ctx, trimmed.toUpperCase());
  const command = parseCommand(ctx, trimmed);
  switch (command?.name) {
    case 'help':
      return helpReply();
    case 'new':
      return startNewRequest(ctx);
    case 'inbox':
      return showInbox(ctx);
    case 'language':
      return command.rest ? setLanguage(ctx, command.rest) : reply(languageForm(ctx));
    case 'history':
      return REQUEST_ID.test(command.rest.trim()) ? showHistory(ctx, command.rest.trim().toUpperCase()) : reply({ kind: 'text', text: text('bot.history.usage') });
    case 'onboarding':
      return onboardingTurn(ctx);
    case 'registers':
      return registersTurn(ctx, command.rest);
    case 'training':
      return trainingTurn(ctx, command.rest);
    case 'admin':
      return (await extensionAction(ctx, 'admin.menu', {})) ?? helpReply();
    case 'scoreboard':
      return scoreboardTurn(ctx, command.rest);
    default:
      return helpdeskTurn(ctx, trimmed);
  }
}

async function onAction(ctx: TurnContext, id: string, values: Values): Promise<Outcome> {
  if (isRequestAction(id)) return onRequestAction(ctx, id, values);
  if (id.startsWith('draft.') && id !== 'draft.new') return onDraftStep(ctx, id, values);
  if (id.startsWith('scoreboard.')) return (await scoreboardAction(ctx, id, values)) ?? helpReply();
  switch (id) {
    case 'draft.new':
      return startNewRequest(ctx);
    case 'request.open':
      return showRequest(ctx, one(values, 'requestId'));
    case 'request.history':
      return showHistory(ctx, one(values, 'requestId'));
    case 'request.original':
      return showRequest(ctx, one(values, 'requestId'), true);
    case 'inbox':
      return showInbox(ctx);
    case 'inbox.page': {
      const section = one(values, 'section');
      const page = Number(one(values, 'page'));
      if (!['needsAction', 'waiting', 'drafts'].includes(section) || !Number.isInteger(page) || page < 0) return showInbox(ctx);
      return showInbox(ctx, { section: section as 'needsAction', page });
    }
    case 'language.set':
      return setLanguage(ctx, one(values, 'language'));
    case 'help':
      return helpReply();
    case 'onboarding':
      return onboardingTurn(ctx);
    case 'form.cancel': {
      const requestId = one(values, 'requestId');
      return reply({ kind: 'text', text: requestId ? text('bot.form.cancelledDraft', { id: requestId }) : text('bot.form.cancelled') });
    }
    default:
      return (await extensionAction(ctx, id, values)) ?? reply({ kind: 'text', text: text('bot.unknownAction'), tone: 'warning' }, ...helpReply().reply.blocks);
  }
}

/**
 * The conversation: finds who is speaking, in which language, and answers the turn with
 * channel-neutral view models translated for them.
 */
export function createConversation(deps: ConversationDeps): ConversationPort {
  const log = (err: unknown) => console.error('imi-bot: conversation error:', err instanceof Error ? err.stack : err);
  const gate = createTurnGate(deps.i18n);

  async function contextOf(turn: Omit<Turn, 'text' | 'action'>): Promise<TurnContext | null> {
    // Every dependency of the turn reads through one turn store, so a write by any of them is seen by all.
    const store = turnStore(deps.app.store);
    const turnDeps: ConversationDeps = {
      ...deps,
      app: { ...deps.app, store },
      helpdesk: deps.helpdesk && { ...deps.helpdesk, store },
      training: deps.training && { ...deps.training, store },
    };
    const who = await identify(turnDeps.app, { channel: turn.channel, externalId: turn.externalId });
    if (!who) return null;
    store.rememberUser(who.user);
    const lang = negotiateLanguage(deps.i18n.languages, who.user.language, turn.locale, who.authority.language);
    return { deps: turnDeps, turn: turn as Turn, user: who.user, authority: who.authority, lang };
  }

  const strangerLanguage = (turn: Omit<Turn, 'text' | 'action'>) => negotiateLanguage(deps.i18n.languages, turn.locale);

  async function answer(turn: Turn, work: (ctx: TurnContext) => Promise<Outcome>): Promise<RenderedReply> {
    const ctx = await contextOf(turn);
    const limited = gate.check(turn, ctx?.lang ?? strangerLanguage(turn));
    if (limited) return limited;
    if (!ctx) {
      const redeemed = await strangerTurn(deps, turn);
      const outcome = redeemed ?? (await unregisteredReply(deps, turn));
      return localize(deps.i18n, outcome.lang ?? strangerLanguage(turn), outcome.reply);
    }
    try {
      const outcome = await withPreface(ctx, () => work(ctx));
      return localize(deps.i18n, ctx.lang, outcome.reply, outcome.replacesCard);
    } catch (err) {
      log(err);
      return localize(deps.i18n, ctx.lang, reply({ kind: 'text', text: text('bot.unexpected'), tone: 'danger' }).reply);
    }
  }

  return {
    handle: (turn) =>
      answer(turn, (ctx) => (turn.action ? onAction(ctx, turn.action.id, turn.action.values) : onText(ctx, turn.text ?? ''))),
    welcome: (turn) => answer(turn as Turn, async (ctx) => welcomeReply(ctx)),
  };
}

import { inbox } from '../../app/requests/inbox.ts';
import { noteInboxOpened } from '../../app/onboarding/checklist.ts';
import { trainingInboxReply } from './training.dialogue.ts';
import { contactsForWorkspace } from '../../app/people/identify.ts';
import type { ConversationDeps } from '../turn-context.ts';
import { errorReply, languageName, reply, type Outcome, type TurnContext } from '../turn-context.ts';
import { text, verbatim } from '../render.ts';
import type { Block, Turn } from '../types.ts';
import { inboxView } from '../views/inbox.view.ts';

const COMMANDS = ['new', 'inbox', 'language', 'onboarding', 'registers', 'training', 'history', 'admin', 'scoreboard', 'help'] as const;

export function helpReply(): Outcome {
  return reply(
    { kind: 'text', text: text('bot.help.intro') },
    {
      kind: 'list',
      title: text('bot.help.commandsTitle'),
      items: COMMANDS.map((c) => ({ text: text(`bot.help.command.${c}`) })),
    },
    {
      kind: 'card',
      title: text('bot.help.quickTitle'),
      fields: [],
      actions: [
        { action: 'draft.new', label: text('bot.action.newRequest'), style: 'primary' },
        { action: 'inbox', label: text('bot.action.inbox') },
        { action: 'onboarding', label: text('bot.action.onboarding') },
      ],
    },
  );
}

export async function showInbox(ctx: TurnContext, only?: { section: 'needsAction' | 'waiting' | 'drafts'; page: number }): Promise<Outcome> {
  const result = await inbox(ctx.deps.app, ctx.user.id);
  if (!result.ok) return errorReply(result.error);
  await noteInboxOpened(ctx.deps.app, ctx.user.id);
  const sandbox = await trainingInboxReply(ctx);
  if (sandbox) return sandbox;
  const partners = new Map((await ctx.deps.app.store.authorities.list()).map((a) => [a.id, a.name]));
  return reply(...inboxView(ctx, result.value, partners, only));
}

/** The language list, each language in its own name, as a choice. */
export function languageForm(ctx: TurnContext): Block {
  return {
    kind: 'form',
    action: 'language.set',
    title: text('bot.language.title'),
    intro: text('bot.language.current', { language: verbatim(languageName(ctx.lang, ctx.lang)) }),
    fields: [{
      name: 'language',
      label: text('bot.language.choose'),
      type: 'choice',
      required: true,
      value: ctx.lang,
      options: ctx.deps.i18n.languages.map((l) => ({ value: l, label: verbatim(`${languageName(l, l)} (${l})`) })),
    }],
    submitLabel: text('bot.language.save'),
  };
}

/** Stores the user's language; the reply already speaks it. */
export async function setLanguage(ctx: TurnContext, code: string): Promise<Outcome> {
  const lang = code.trim().toLowerCase();
  if (!ctx.deps.i18n.languages.includes(lang)) {
    return reply({ kind: 'text', text: text('bot.language.unknown', { code: verbatim(code.slice(0, 20)) }), tone: 'danger' }, languageForm(ctx));
  }
  await ctx.deps.app.store.users.setLanguage(ctx.user.id, lang);
  ctx.lang = lang;
  return reply({ kind: 'text', text: text('bot.language.changed', { language: verbatim(languageName(lang, lang)) }), tone: 'success' });
}

/** What a stranger is told: they are not registered, and whom to ask where the workspace tells us. */
export async function unregisteredReply(deps: ConversationDeps, turn: Pick<Turn, 'channel' | 'workspace'>): Promise<Outcome> {
  const contacts = turn.workspace ? await contactsForWorkspace(deps.app, turn.channel, turn.workspace) : [];
  const blocks: Block[] = [{ kind: 'text', text: text('bot.unregistered.intro'), tone: 'warning' }];
  if (contacts.length > 0) {
    blocks.push({
      kind: 'list',
      title: text('bot.unregistered.contacts'),
      items: contacts.map((c) => ({ text: verbatim(c.name), detail: verbatim(c.authority) })),
    });
  } else {
    blocks.push({ kind: 'text', text: text('bot.unregistered.howTo') });
  }
  return { reply: { blocks } };
}

/** The greeting with the first steps of the seed brochure. */
export function welcomeReply(ctx: TurnContext): Outcome {
  return reply(
    { kind: 'text', text: text('bot.welcome.hello', { name: verbatim(ctx.user.name) }) },
    {
      kind: 'list',
      title: text('bot.welcome.firstSteps'),
      items: ['review', 'backup', 'training', 'rights', 'deadlines'].map((s) => ({ text: text(`bot.welcome.step.${s}`) })),
    },
    {
      kind: 'card',
      title: text('bot.help.quickTitle'),
      fields: [],
      actions: [
        { action: 'inbox', label: text('bot.action.inbox'), style: 'primary' },
        { action: 'onboarding', label: text('bot.action.onboarding') },
        { action: 'help', label: text('bot.action.help') },
      ],
    },
  );
}

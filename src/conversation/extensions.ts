import { text } from './render.ts';
import type { Turn } from './types.ts';
import { reply, type ConversationDeps, type Outcome, type TurnContext } from './turn-context.ts';
import { helpReply, welcomeReply } from './dialogues/basics.dialogue.ts';
import type { Values } from './dialogues/values.ts';

/**
 * The dialogues of the helpdesk, onboarding, training, registers and administration, as the
 * engine reaches them: one function per entry point, each delegating to its dialogue module.
 */

/** Any text that is not a command: a question to the helpdesk. */
export async function helpdeskTurn(_ctx: TurnContext, _question: string): Promise<Outcome> {
  return reply({ kind: 'text', text: text('bot.notUnderstood') }, ...helpReply().reply.blocks);
}

export async function onboardingTurn(ctx: TurnContext): Promise<Outcome> {
  return welcomeReply(ctx);
}

/** `registers <words>`: the public registers directory. */
export async function registersTurn(_ctx: TurnContext, _words: string): Promise<Outcome> {
  return reply({ kind: 'text', text: text('bot.notUnderstood') }, ...helpReply().reply.blocks);
}

export async function trainingTurn(_ctx: TurnContext, _rest: string): Promise<Outcome> {
  return reply({ kind: 'text', text: text('bot.notUnderstood') }, ...helpReply().reply.blocks);
}

/** Actions of these dialogues (ids like "admin.*", "registers.*", "helpdesk.*", "training.*"); null when unknown. */
export async function extensionAction(_ctx: TurnContext, _id: string, _values: Values): Promise<Outcome | null> {
  return null;
}

/** A turn of someone not registered (e.g. entering an invitation code); null for the usual "not registered" reply. */
export async function strangerTurn(_deps: ConversationDeps, _turn: Turn): Promise<Outcome | null> {
  return null;
}

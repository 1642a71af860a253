import { text } from './render.ts';
import type { Turn } from './types.ts';
import { reply, type ConversationDeps, type Outcome, type TurnContext } from './turn-context.ts';
import { helpReply, welcomeReply } from './dialogues/basics.dialogue.ts';
import type { Values } from './dialogues/values.ts';

/** Dialogues of the helpdesk, onboarding, training and administration, plugged into the engine's routing. */
export interface Extensions {
  /** A turn of someone not registered (e.g. redeeming an invitation code); null to fall back to the usual reply. */
  strangerTurn?: (deps: ConversationDeps, turn: Turn) => Promise<Outcome | null>;
}

export async function helpdeskTurn(_ctx: TurnContext, _ext: Extensions, _question: string): Promise<Outcome> {
  return reply({ kind: 'text', text: text('bot.notUnderstood') }, ...helpReply().reply.blocks);
}

export async function onboardingTurn(ctx: TurnContext, _ext: Extensions): Promise<Outcome> {
  return welcomeReply(ctx);
}

export async function registersTurn(_ctx: TurnContext, _ext: Extensions, _words: string): Promise<Outcome> {
  return reply({ kind: 'text', text: text('bot.notUnderstood') }, ...helpReply().reply.blocks);
}

export async function trainingTurn(_ctx: TurnContext, _ext: Extensions, _rest: string): Promise<Outcome> {
  return reply({ kind: 'text', text: text('bot.notUnderstood') }, ...helpReply().reply.blocks);
}

export async function extensionAction(_ctx: TurnContext, _ext: Extensions, _id: string, _values: Values): Promise<Outcome | null> {
  return null;
}

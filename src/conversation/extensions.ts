import { text } from './render.ts';
import type { Turn } from './types.ts';
import { reply, type ConversationDeps, type Outcome, type TurnContext } from './turn-context.ts';
import { helpReply, welcomeReply } from './dialogues/basics.dialogue.ts';
import type { Values } from './dialogues/values.ts';
import { adminAction } from './dialogues/admin.dialogue.ts';
import { invitationTurn } from './dialogues/invitation.dialogue.ts';
import { registersAction, registersTurn as searchRegistersTurn } from './dialogues/registers.dialogue.ts';
import { helpdeskQuestion, supportAction } from './dialogues/helpdesk.dialogue.ts';
import { showChecklist, withPreface } from './dialogues/onboarding.dialogue.ts';
import { trainingCommand } from './dialogues/training.dialogue.ts';

/**
 * The dialogues of the helpdesk, onboarding, training, registers and administration, as the
 * engine reaches them: one function per entry point, each delegating to its dialogue module.
 */

/** Any text that is not a command: a question to the helpdesk. */
export async function helpdeskTurn(ctx: TurnContext, question: string): Promise<Outcome> {
  return helpdeskQuestion(ctx, question);
}

/** `onboarding`: the getting-started checklist. */
export async function onboardingTurn(ctx: TurnContext): Promise<Outcome> {
  return withPreface(ctx, () => showChecklist(ctx), { checklist: false });
}

/** `registers <words>`: the public registers directory. */
export async function registersTurn(ctx: TurnContext, words: string): Promise<Outcome> {
  return searchRegistersTurn(ctx, words);
}

/** `training [on|off|reset]`: the sandbox with the simulated partner. */
export async function trainingTurn(ctx: TurnContext, rest: string): Promise<Outcome> {
  return withPreface(ctx, () => trainingCommand(ctx, rest));
}

/** Actions of these dialogues (ids like "admin.*", "registers.*", "helpdesk.*", "training.*"); null when unknown. */
export async function extensionAction(ctx: TurnContext, id: string, values: Values): Promise<Outcome | null> {
  if (id.startsWith('admin.')) return adminAction(ctx, id, values);
  if (id.startsWith('registers.')) return registersAction(ctx, id, values);
  if (/^(helpdesk|onboarding|training)\./.test(id)) return supportAction(ctx, id, values);
  return null;
}

/** A turn of someone not registered (e.g. entering an invitation code); null for the usual "not registered" reply. */
export async function strangerTurn(deps: ConversationDeps, turn: Turn): Promise<Outcome | null> {
  return invitationTurn(deps, turn);
}

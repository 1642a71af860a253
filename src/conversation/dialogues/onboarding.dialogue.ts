import { confirmUsersReviewed, onboardingChecklist, partnerAuthorities } from '../../app/onboarding/checklist.ts';
import { reviewExpiry, type ChecklistItem } from '../../domain/onboarding.ts';
import { text, verbatim } from '../render.ts';
import type { Block, Button, TextLike } from '../types.ts';
import { errorReply, reply, tr, type Outcome, type TurnContext } from '../turn-context.ts';
import { areaName } from '../views/request-card.view.ts';
import { areaNames, forbidden, isCoordinator, isLocalAdmin, localDate, success } from './admin-common.dialogue.ts';
import { trainingProgress } from './training.dialogue.ts';
import type { Values } from './values.ts';

/**
 * Getting started, after the seed brochure: the checklist ticked from the data, the foreign
 * partner authorities, and the local admin's yearly confirmation that users who left were removed.
 * A user the bot meets for the first time gets the checklist with their first reply.
 */

/** The buttons that complete an item, by the item's action; admin screens only for local admins (the admin dialogue would refuse others). */
const ITEM_BUTTONS: Record<string, { action: string; label: string; localAdmin?: boolean }> = {
  inbox: { action: 'inbox', label: 'helpdesk.onboarding.actionLabel.inbox' },
  partners: { action: 'onboarding.partners', label: 'helpdesk.onboarding.actionLabel.partners' },
  'admin.users': { action: 'admin.users', label: 'helpdesk.onboarding.actionLabel.adminUsers', localAdmin: true },
  'admin.authority': { action: 'admin.authority', label: 'helpdesk.onboarding.actionLabel.adminAuthority', localAdmin: true },
  training: { action: 'training.start', label: 'helpdesk.onboarding.actionLabel.training' },
};

const MAX_PARTNERS_SHOWN = 25;

function itemNote(ctx: TurnContext, item: ChecklistItem): TextLike | null {
  if (item.done && item.dueAgainAt) return text('helpdesk.onboarding.dueAgain', { date: localDate(ctx, item.dueAgainAt) });
  if (item.done && item.doneAt) return text('helpdesk.onboarding.doneOn', { date: localDate(ctx, item.doneAt) });
  if (!item.done && item.missingAreas?.length) return text('helpdesk.onboarding.missingAreas', { areas: verbatim(areaNames(ctx, item.missingAreas)) });
  // A yearly confirmation that ran out: when it was due.
  if (!item.done && item.dueAgainAt) return text('helpdesk.onboarding.dueAgain', { date: localDate(ctx, item.dueAgainAt) });
  return null;
}

function itemButtons(ctx: TurnContext, item: ChecklistItem): Button[] {
  if (item.done) return [];
  const buttons: Button[] = [];
  const known = ITEM_BUTTONS[item.action];
  if (known && (!known.localAdmin || isLocalAdmin(ctx))) buttons.push({ action: known.action, label: text(known.label) });
  if (item.id === 'users-removed' && isLocalAdmin(ctx)) {
    buttons.push({ action: 'onboarding.users_reviewed', label: text('helpdesk.onboarding.usersReviewed.confirm'), style: 'primary' });
  }
  return buttons;
}

/** The checklist: progress in words, each item marked done or to do in words (not by colour alone), and its button. */
async function checklistBlocks(ctx: TurnContext): Promise<Block[] | Outcome> {
  const found = await onboardingChecklist(ctx.deps.app, ctx.user.id);
  if (!found.ok) return errorReply(found.error);
  const { items, done, total } = found.value;
  const blocks: Block[] = [
    { kind: 'text', text: text('helpdesk.onboarding.intro') },
    {
      kind: 'list',
      title: text('helpdesk.onboarding.listTitle', { title: text('helpdesk.onboarding.title'), progress: text('helpdesk.onboarding.progress', { done, total }) }),
      items: items.map((item) => {
        const note = itemNote(ctx, item);
        const description = text(`helpdesk.onboarding.item.${item.id}.description`);
        return {
          text: text('helpdesk.onboarding.itemLine', {
            marker: text(item.done ? 'helpdesk.onboarding.done' : 'helpdesk.onboarding.todo'),
            title: text(`helpdesk.onboarding.item.${item.id}.title`),
          }),
          detail: note ? text('helpdesk.onboarding.itemDetail', { description, note }) : description,
          tone: item.done ? 'success' : 'neutral',
          actions: itemButtons(ctx, item),
        };
      }),
    },
  ];
  if (done === total) blocks.push(success(text('helpdesk.onboarding.allDone')));
  else blocks.push({ kind: 'text', text: text('helpdesk.onboarding.progress', { done, total }), tone: 'info' });
  if (isCoordinator(ctx)) {
    // Coordinators also answer the questions the helpdesk handed over to them.
    blocks.push({ kind: 'card', title: text('helpdesk.ticket.incoming'), fields: [], actions: [{ action: 'helpdesk.tickets', label: text('helpdesk.ticket.incoming') }] });
  }
  return blocks;
}

/** `onboarding`: the checklist. */
export async function showChecklist(ctx: TurnContext): Promise<Outcome> {
  const blocks = await checklistBlocks(ctx);
  return Array.isArray(blocks) ? reply(...blocks) : blocks;
}

async function showPartners(ctx: TurnContext): Promise<Outcome> {
  const found = await partnerAuthorities(ctx.deps.app, ctx.user.id);
  if (!found.ok) return errorReply(found.error);
  const back: Block = { kind: 'card', title: text('helpdesk.onboarding.title'), fields: [], actions: [{ action: 'onboarding', label: text('helpdesk.onboarding.back') }] };
  if (found.value.length === 0) return reply({ kind: 'text', text: text('helpdesk.onboarding.partners.noAreas') }, back);
  const lists: Block[] = found.value.map(({ area, authorities }) => ({
    kind: 'list',
    title: text('helpdesk.onboarding.partners.title', { area: areaName(area) }),
    empty: text('helpdesk.onboarding.partners.empty'),
    items: [
      ...authorities.slice(0, MAX_PARTNERS_SHOWN).map(({ authority, exchanged }) => ({
        text: text('helpdesk.onboarding.partners.item', { name: verbatim(authority.name), country: text(`domain.country.${authority.country}`) }),
        detail: exchanged > 0 ? text('helpdesk.onboarding.partners.exchanged', { count: exchanged }) : undefined,
        tone: exchanged > 0 ? ('info' as const) : ('neutral' as const),
      })),
      ...(authorities.length > MAX_PARTNERS_SHOWN ? [{ text: text('helpdesk.onboarding.partners.more', { count: authorities.length - MAX_PARTNERS_SHOWN }) }] : []),
    ],
  }));
  return reply(...lists, back);
}

async function usersReviewed(ctx: TurnContext): Promise<Outcome> {
  const confirmed = await confirmUsersReviewed(ctx.deps.app, { actorId: ctx.user.id, origin: ctx.turn.channel });
  if (!confirmed.ok) return confirmed.error.code === 'ADMIN.FORBIDDEN' ? forbidden(ctx) : errorReply(confirmed.error);
  const done = success(text('helpdesk.onboarding.usersReviewed.done', {
    authority: verbatim(ctx.authority.name),
    date: localDate(ctx, reviewExpiry(confirmed.value.at)),
  }));
  const checklist = await checklistBlocks(ctx);
  return Array.isArray(checklist) ? reply(done, ...checklist) : reply(done);
}

/** Every "onboarding.*" action; null for ids this dialogue does not know. */
export async function onboardingAction(ctx: TurnContext, id: string, _values: Values): Promise<Outcome | null> {
  switch (id) {
    case 'onboarding.checklist':
      return showChecklist(ctx);
    case 'onboarding.partners':
      return showPartners(ctx);
    case 'onboarding.users_reviewed':
      return usersReviewed(ctx);
    default:
      return null;
  }
}

const prefaced = new WeakSet<TurnContext>();

/**
 * What goes before the reply to any turn: the training partner's moves that fell due, and for a
 * user the bot has never met, the greeting with the checklist. Runs once per turn, before the
 * turn's own work (which may itself mark the user as met, e.g. by opening the inbox).
 * `checklist: false` when the reply is the checklist anyway.
 */
export async function turnPreface(ctx: TurnContext, options: { checklist?: boolean } = {}): Promise<Block[]> {
  if (prefaced.has(ctx)) return [];
  prefaced.add(ctx);
  const blocks = await trainingProgress(ctx);
  if (!(await ctx.deps.app.store.onboarding.markSeen(ctx.user.id)) || options.checklist === false) return blocks;
  const checklist = await checklistBlocks(ctx);
  if (!Array.isArray(checklist)) return blocks;
  return [...blocks, { kind: 'text', text: text('helpdesk.onboarding.firstTurn', { name: verbatim(ctx.user.name), command: verbatim(tr(ctx, 'bot.commands.onboarding').split('|')[0]!) }) }, ...checklist];
}

/**
 * An outcome with the preface added after the answer, so the answer to what the user did comes
 * first; it then no longer replaces the card it came from, as it says more than the card.
 */
export const prefixed = (preface: Block[], outcome: Outcome): Outcome =>
  preface.length === 0 ? outcome : { reply: { blocks: [...outcome.reply.blocks, ...preface] } };

/** The work's outcome with the turn's preface in front; the preface is gathered first. */
export async function withPreface(ctx: TurnContext, work: () => Promise<Outcome>, options: { checklist?: boolean } = {}): Promise<Outcome> {
  const preface = await turnPreface(ctx, options);
  return prefixed(preface, await work());
}

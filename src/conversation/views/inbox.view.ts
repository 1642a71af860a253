import type { Inbox, InboxItem } from '../../app/requests/inbox.ts';
import { text, verbatim } from '../render.ts';
import type { Block, Tone } from '../types.ts';
import { dateText, type TurnContext } from '../turn-context.ts';
import { areaName } from './request-card.view.ts';

export const PAGE_SIZE = 10;

type Section = 'needsAction' | 'waiting' | 'drafts';

function itemTone(item: InboxItem): Tone {
  if (item.daysLeft === null) return 'neutral';
  if (item.daysLeft < 0) return 'danger';
  return item.daysLeft <= 3 ? 'warning' : 'info';
}

function itemDetail(ctx: TurnContext, item: InboxItem) {
  const deadline = dateText(ctx, item.deadline);
  if (item.daysLeft === null) return text('bot.inbox.noDeadline');
  if (item.daysLeft < 0) return text('bot.inbox.overdue', { date: deadline, count: -item.daysLeft });
  if (item.daysLeft === 0) return text('bot.inbox.dueToday', { date: deadline });
  return text('bot.inbox.dueIn', { date: deadline, count: item.daysLeft });
}

/** One section of the inbox as a list, a page at a time, with an Open button per request. */
function sectionList(ctx: TurnContext, section: Section, items: InboxItem[], page: number, partners: Map<string, string>): Block {
  const start = page * PAGE_SIZE;
  const shown = items.slice(start, start + PAGE_SIZE);
  return {
    kind: 'list',
    title: text(`bot.inbox.${section}`, { count: items.length }),
    empty: text(`bot.inbox.${section}Empty`),
    items: shown.map((item) => {
      const other = item.side === 'requester' ? item.request.responderAuthorityId : item.request.requesterAuthorityId;
      return {
        text: text(item.side === 'requester' ? 'bot.inbox.itemTo' : 'bot.inbox.itemFrom', {
          id: item.request.id,
          area: areaName(item.request.area),
          status: text(`bot.status.${item.request.status}`),
          authority: verbatim(other ? partners.get(other) ?? other : '—'),
        }),
        detail: itemDetail(ctx, item),
        tone: itemTone(item),
        actions: [{ action: 'request.open', label: text('bot.action.open'), value: { requestId: item.request.id } }],
      };
    }),
    more:
      items.length > start + PAGE_SIZE
        ? { action: 'inbox.page', label: text('bot.inbox.more', { count: items.length - start - PAGE_SIZE }), value: { section, page: String(page + 1) } }
        : undefined,
  };
}

/** The inbox: what needs the user's action first (overdue, due soon), then what they wait on, then drafts. */
export function inboxView(ctx: TurnContext, inbox: Inbox, partners: Map<string, string>, only?: { section: Section; page: number }): Block[] {
  const overdue = inbox.needsAction.filter((i) => (i.daysLeft ?? 0) < 0).length;
  const summary: Block = {
    kind: 'text',
    text: text('bot.inbox.summary', { needs: inbox.needsAction.length, overdue, waiting: inbox.waiting.length, drafts: inbox.drafts.length }),
    tone: overdue > 0 ? 'warning' : 'info',
  };
  if (only) return [sectionList(ctx, only.section, inbox[only.section], only.page, partners)];
  return [
    summary,
    sectionList(ctx, 'needsAction', inbox.needsAction, 0, partners),
    sectionList(ctx, 'waiting', inbox.waiting, 0, partners),
    ...(inbox.drafts.length > 0 ? [sectionList(ctx, 'drafts', inbox.drafts, 0, partners)] : []),
  ];
}

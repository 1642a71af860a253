import type { Clock } from '../app/ports/clock.ts';
import type { OutboxRow } from '../app/ports/records.ts';
import type { UnitOfWork } from '../app/ports/repositories.ts';
import type { AreaCatalog } from '../domain/area.ts';
import type { Authority } from '../domain/authority.ts';
import { daysBetween, todayIn } from '../domain/deadlines.ts';
import { currentDeadline, sideOf, type Request } from '../domain/request.ts';
import type { User } from '../domain/user.ts';
import { formatDate } from '../i18n/i18n.ts';
import { text, verbatim } from './render.ts';
import type { Block, Reply, TextLike, Tone } from './types.ts';
import { languageName } from './turn-context.ts';

/** Who a notification is rendered for. */
export interface NotificationRecipient {
  user: User;
  lang: string;
}

/** Builds the neutral message of one outbox row for its recipient. */
export type NotificationViewBuilder = (row: OutboxRow, to: NotificationRecipient) => Promise<Reply>;

export interface NotificationViewDeps {
  store: Pick<UnitOfWork, 'requests' | 'authorities'>;
  areas: AreaCatalog;
  clock: Clock;
}

type Field = { label: TextLike; value: TextLike };

const REMINDER_TONE: Record<string, Tone> = {
  deadline_reached: 'warning',
  overdue: 'danger',
  escalation: 'danger',
  not_accepted: 'warning',
};

const areaName = (area: string): TextLike => text(`domain.area.${area}.name`);

const authorityValue = (a: Authority | null, fallbackId: string | null): TextLike =>
  a ? text('notify.card.authorityValue', { name: a.name, country: text(`domain.country.${a.country}`) }) : verbatim(fallbackId ?? '—');

/**
 * The message for a notification: one short sentence and a card with the request's id, area,
 * the other authority, the deadline in the reader's language and the days left. It is built
 * from metadata only; the person a request is about never appears in a notification.
 */
export function notificationView(deps: NotificationViewDeps): NotificationViewBuilder {
  return async (row, to) => {
    const request = row.requestId ? await deps.store.requests.get(row.requestId) : null;
    if (request) return requestMessage(deps, row, to, request);
    if (row.kind.startsWith('reminder.') && typeof row.params.authority === 'string') {
      return authorityMessage(deps, row, to, await deps.store.authorities.get(row.params.authority));
    }
    const other = peopleMessage(row, to);
    if (other) return other;
    return { blocks: [{ kind: 'text', text: text('notify.generic', { id: row.requestId ?? '—' }) }] };
  };
}

async function requestMessage(deps: NotificationViewDeps, row: OutboxRow, to: NotificationRecipient, request: Request): Promise<Reply> {
  const [requester, responder] = await Promise.all([
    deps.store.authorities.get(request.requesterAuthorityId),
    request.responderAuthorityId ? deps.store.authorities.get(request.responderAuthorityId) : Promise.resolve(null),
  ]);
  const side = sideOf(request, to.user);
  const isReminder = row.kind.startsWith('reminder.');
  const rule = isReminder ? row.kind.slice('reminder.'.length) : row.kind.slice('request.'.length);
  const proposal = rule === 'deadline_proposed' || rule === 'proposal_unseen';
  const deadline =
    (typeof row.params.deadline === 'string' && isReminder ? row.params.deadline : null) ??
    (proposal ? request.proposedDeadline?.date : null) ??
    currentDeadline(request);
  const date = (iso: string | null) => verbatim(iso ? formatDate(iso, to.lang) : '—');
  const nameOf = (a: Authority | null, id: string | null) => verbatim(a?.name ?? id ?? '—');

  // The authority the sentence names: the other side, or for coordinators the responder who is late.
  const other =
    side === 'requester' ? nameOf(responder, request.responderAuthorityId) : side === 'responder' ? nameOf(requester, request.requesterAuthorityId) : nameOf(responder, request.responderAuthorityId);
  const params: Record<string, string | number | TextLike> = { id: request.id, area: areaName(request.area), authority: other, deadline: date(deadline) };
  let key: string;
  if (isReminder) {
    key = `notify.reminder.${rule}`;
  } else if (rule === 'forwarded') {
    key = side === 'requester' ? 'notify.request.forwarded.toRequester' : 'notify.request.forwarded.toResponder';
    const from = typeof row.params.from === 'string' ? await deps.store.authorities.get(row.params.from) : null;
    if (side !== 'requester') params.authority = nameOf(from, typeof row.params.from === 'string' ? row.params.from : null);
  } else if (rule === 'referred') {
    key = 'notify.request.referred';
    params.authority = row.params.side === 'responder' ? nameOf(responder, request.responderAuthorityId) : nameOf(requester, request.requesterAuthorityId);
  } else {
    key = `notify.request.${rule}`;
  }
  if (!NOTIFICATION_KEYS.has(key)) key = 'notify.generic';

  const fields: Field[] = [{ label: text('notify.card.area'), value: areaName(request.area) }];
  if (side === 'requester') fields.push({ label: text('notify.card.responder'), value: authorityValue(responder, request.responderAuthorityId) });
  else if (side === 'responder') fields.push({ label: text('notify.card.requester'), value: authorityValue(requester, request.requesterAuthorityId) });
  else {
    fields.push({ label: text('notify.card.requester'), value: authorityValue(requester, request.requesterAuthorityId) });
    fields.push({ label: text('notify.card.responder'), value: authorityValue(responder, request.responderAuthorityId) });
  }
  if (deadline) fields.push({ label: text(proposal ? 'notify.card.proposedDeadline' : 'notify.card.deadline'), value: date(deadline) });
  const left = daysLeftField(deps, request, deadline, responder);
  if (left) fields.push(left);

  const tone: Tone = isReminder ? (REMINDER_TONE[rule] ?? 'info') : 'info';
  const blocks: Block[] = [
    { kind: 'text', text: text(key, params), tone },
    {
      kind: 'card',
      title: text('notify.card.title', { id: request.id }),
      subtitle: areaName(request.area),
      fields,
      actions: [{ action: 'request.open', label: text('notify.card.open'), value: { requestId: request.id }, style: 'primary' }],
      ref: { requestId: request.id, version: request.version },
    },
  ];
  return { blocks };
}

/** Days left to the deadline as the reader sees it now, in the responder's zone (where the deadline ends). */
function daysLeftField(deps: NotificationViewDeps, request: Request, deadline: string | null, responder: Authority | null): Field | null {
  if (!deadline || !['sent', 'accepted', 'further_info_requested'].includes(request.status)) return null;
  const working = deps.areas.get(request.area)?.workingDays ?? false;
  const left = daysBetween(todayIn(deps.clock.now(), responder?.timezone ?? 'UTC'), deadline, working);
  const unit = working ? 'Working' : '';
  if (left >= 0) return { label: text(`notify.card.days${unit}Left`), value: verbatim(String(left)) };
  return { label: text(`notify.card.days${unit}Overdue`), value: verbatim(String(-left)) };
}

function authorityMessage(deps: NotificationViewDeps, row: OutboxRow, to: NotificationRecipient, authority: Authority | null): Reply {
  const rule = row.kind.slice('reminder.'.length);
  const area = typeof row.params.area === 'string' ? row.params.area : null;
  const name = verbatim(authority?.name ?? String(row.params.authority));
  const key = NOTIFICATION_KEYS.has(`notify.reminder.${rule}`) ? `notify.reminder.${rule}` : 'notify.generic';
  const fields: Field[] = [{ label: text('notify.card.authority'), value: authorityValue(authority, String(row.params.authority)) }];
  if (area) fields.push({ label: text('notify.card.area'), value: areaName(area) });
  if (rule === 'data_review') {
    const reviewed = authority?.dataReviewedAt ? formatDate(authority.dataReviewedAt.slice(0, 10), to.lang) : null;
    fields.push({ label: text('notify.card.lastReviewed'), value: reviewed ? verbatim(reviewed) : text('notify.card.never') });
  }
  return {
    blocks: [
      { kind: 'text', text: text(key, { authority: name, area: area ? areaName(area) : '—', id: '—' }), tone: 'info' },
      { kind: 'card', title: name, fields, actions: [] },
    ],
  };
}

/**
 * Notifications about people rather than requests: helpdesk questions handed over and answered,
 * requests reassigned from a user who left, an invitation used. Null for other kinds.
 */
function peopleMessage(row: OutboxRow, to: NotificationRecipient): Reply | null {
  const p = (name: string) => verbatim(String(row.params[name] ?? '—'));
  const language = (name: string) => {
    const code = String(row.params[name] ?? '');
    return verbatim(code ? languageName(code, to.lang) : '—');
  };
  const ticket = { ticketId: String(row.params.ticketId ?? '—') };
  switch (row.kind) {
    case 'helpdesk.ticket':
      return {
        blocks: [
          { kind: 'text', text: text('helpdesk.notify.ticket', { ...ticket, askerName: p('askerName'), askerAuthority: p('askerAuthority'), question: p('question') }), tone: 'info' },
          {
            kind: 'card',
            title: text('helpdesk.ticket.title', ticket),
            subtitle: text('helpdesk.ticket.writtenIn', { language: language('questionLang') }),
            fields: [],
            actions: [
              { action: 'helpdesk.answer_ticket', label: text('helpdesk.ticket.answerAction'), value: ticket, style: 'primary' },
              { action: 'helpdesk.tickets', label: text('helpdesk.ticket.incoming') },
            ],
          },
        ],
      };
    case 'helpdesk.answer':
      return {
        blocks: [
          { kind: 'text', text: text('helpdesk.notify.answer', { ...ticket, coordinatorName: p('coordinatorName'), answer: p('answer') }), tone: 'success' },
          {
            kind: 'card',
            title: text('helpdesk.ticket.title', ticket),
            subtitle: text('helpdesk.notify.answerLanguage', { language: language('answerLang') }),
            fields: [{ label: text('helpdesk.ticket.question'), value: p('question') }],
            actions: [
              { action: 'helpdesk.ticket', label: text('helpdesk.ticket.view'), value: ticket },
              { action: 'helpdesk.my_tickets', label: text('helpdesk.ticket.mine') },
            ],
          },
        ],
      };
    case 'admin.requests_reassigned':
      return {
        blocks: [
          { kind: 'text', text: text('admin.notification.requests_reassigned', { from: p('from'), count: Number(row.params.count ?? 0), requests: p('requests') }), tone: 'info' },
          { kind: 'card', title: text('bot.help.quickTitle'), fields: [], actions: [{ action: 'inbox', label: text('bot.action.inbox'), style: 'primary' }] },
        ],
      };
    case 'admin.invitation_redeemed':
      return {
        blocks: [
          { kind: 'text', text: text('admin.notification.invitation_redeemed', { name: p('name') }), tone: 'success' },
          { kind: 'card', title: text('admin.menu.title'), fields: [], actions: [{ action: 'admin.users', label: text('admin.menu.users') }] },
        ],
      };
    default:
      return null;
  }
}

/** The message keys of locales/<lang>/notify.json; a kind without one gets the generic sentence. */
export const NOTIFICATION_KEYS: ReadonlySet<string> = new Set([
  'notify.generic',
  'notify.request.sent',
  'notify.request.forwarded.toRequester',
  'notify.request.forwarded.toResponder',
  'notify.request.deadline_proposed',
  'notify.request.accepted',
  'notify.request.answered',
  'notify.request.further_info_requested',
  'notify.request.closed',
  'notify.request.withdrawn',
  'notify.request.referred',
  'notify.reminder.not_accepted',
  'notify.reminder.deadline_approaching',
  'notify.reminder.deadline_reached',
  'notify.reminder.overdue',
  'notify.reminder.escalation',
  'notify.reminder.proposal_unseen',
  'notify.reminder.backup_handler',
  'notify.reminder.data_review',
]);

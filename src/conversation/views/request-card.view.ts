import type { Authority } from '../../domain/authority.ts';
import { currentDeadline, type Request } from '../../domain/request.ts';
import { todayIn } from '../../domain/deadlines.ts';
import { daysLeftUntil } from '../../app/requests/inbox.ts';
import { text, verbatim } from '../render.ts';
import type { Block, Button, TextLike, Tone } from '../types.ts';
import type { ShownText } from '../../app/translation/translate-for-reader.ts';
import { dateText, languageName, tr, type TurnContext } from '../turn-context.ts';

export type Side = 'requester' | 'responder';

const STATUS_TONE: Record<Request['status'], Tone> = {
  draft: 'neutral',
  sent: 'info',
  accepted: 'info',
  answered: 'success',
  further_info_requested: 'warning',
  closed: 'neutral',
  withdrawn: 'neutral',
};

/** The buttons each side gets in each status; the domain guard still decides when pressed. */
function actionsFor(request: Request, side: Side): { action: string; label: string; style?: Button['style'] }[] {
  const open = ['sent', 'accepted', 'answered', 'further_info_requested'].includes(request.status);
  // A training request stays with the simulated partner: no coordinators, no forwarding to real authorities.
  const refer = open && !request.referral && !request.training ? [{ action: 'request.refer', label: 'bot.action.refer' }] : [];
  if (side === 'responder') {
    if (request.status === 'sent') {
      return [
        { action: 'request.accept', label: 'bot.action.accept', style: 'primary' },
        { action: 'request.propose_deadline', label: 'bot.action.proposeDeadline' },
        ...(request.training ? [] : [{ action: 'request.forward', label: 'bot.action.forward' }]),
        ...refer,
      ];
    }
    if (request.status === 'accepted' || request.status === 'further_info_requested') {
      return [{ action: 'request.answer', label: 'bot.action.answer', style: 'primary' }, ...refer];
    }
    return [];
  }
  switch (request.status) {
    case 'draft':
      return [
        { action: 'request.send', label: 'bot.action.send', style: 'primary' },
        { action: 'draft.edit', label: 'bot.action.edit' },
        { action: 'request.withdraw', label: 'bot.action.discard', style: 'danger' },
      ];
    case 'answered':
      return [
        { action: 'request.close', label: 'bot.action.close', style: 'primary' },
        { action: 'request.request_info', label: 'bot.action.requestInfo' },
        ...refer,
      ];
    case 'sent':
    case 'accepted':
      return [{ action: 'request.withdraw', label: 'bot.action.withdraw', style: 'danger' }, ...refer];
    default:
      return refer;
  }
}

/** "in 3 days", "today", "2 days overdue": counted in working days where the area counts them. */
export function daysLeftText(ctx: TurnContext, request: Request, timezone: string): TextLike | null {
  const deadline = currentDeadline(request);
  if (!deadline || ['closed', 'withdrawn', 'draft'].includes(request.status)) return null;
  const area = ctx.deps.app.areas.get(request.area);
  const days = daysLeftUntil(todayIn(ctx.deps.app.clock.now(), timezone), deadline, area?.workingDays ?? false);
  if (days === 0) return text('bot.deadline.today');
  return days > 0 ? text('bot.deadline.daysLeft', { count: days }) : text('bot.deadline.overdue', { count: -days });
}

export const areaName = (area: string): TextLike => text(`domain.area.${area}.name`);

export const authorityLabel = (ctx: TurnContext, a: Authority | null): string =>
  a ? `${a.name} (${tr(ctx, `domain.country.${a.country}`)})` : '—';

/** The request as one card, in the reader's language, with the buttons of their side. */
/** How a piece of free text is shown: as written, or machine-translated with the original one click away. */
export type ShownLookup = (original: string, lang: string) => ShownText | undefined;

function freeTextSection(ctx: TurnContext, title: TextLike, original: string, lang: string, shown: ShownLookup) {
  const s = shown(original, lang);
  const language = languageName(lang, ctx.lang);
  if (s?.machineTranslatedBy) {
    return { title, body: verbatim(s.text), note: text('bot.card.machineTranslated', { language, provider: s.machineTranslatedBy }) };
  }
  if (s?.unavailable) return { title, body: verbatim(original), note: text('bot.card.translationUnavailable', { language }) };
  return { title, body: verbatim(original), note: text('bot.card.writtenIn', { language }) };
}

export function requestCard(
  ctx: TurnContext,
  request: Request,
  side: Side,
  parties: { requester: Authority | null; responder: Authority | null },
  shown: ShownLookup = () => undefined,
): Block {
  const other = side === 'requester' ? parties.responder : parties.requester;
  const zone = (side === 'requester' ? parties.requester : parties.responder)?.timezone ?? ctx.authority.timezone;
  const fields: { label: TextLike; value: TextLike }[] = [
    { label: text('bot.card.status'), value: text(`bot.status.${request.status}`) },
    { label: text(side === 'requester' ? 'bot.card.to' : 'bot.card.from'), value: verbatim(authorityLabel(ctx, other)) },
  ];
  if (request.subjectName) fields.push({ label: text('bot.card.subject'), value: verbatim(request.subjectName) });
  fields.push({ label: text('bot.card.requestedDeadline'), value: verbatim(dateText(ctx, request.requestedDeadline)) });
  if (request.proposedDeadline && !request.agreedDeadline) {
    fields.push({
      label: text('bot.card.proposedDeadline'),
      value: text('bot.card.proposedDeadlineValue', {
        date: dateText(ctx, request.proposedDeadline.date),
        reason: verbatim(request.proposedDeadline.reason),
      }),
    });
  }
  if (request.agreedDeadline) fields.push({ label: text('bot.card.agreedDeadline'), value: verbatim(dateText(ctx, request.agreedDeadline)) });
  const left = daysLeftText(ctx, request, zone);
  if (left) fields.push({ label: text('bot.card.timeLeft'), value: left });
  if (request.referral) fields.push({ label: text('bot.card.referred'), value: verbatim(request.referral.reason) });

  const sections: { title: TextLike; body: TextLike; note?: TextLike }[] = [];
  if (request.questions.length > 0) {
    const body = request.questions.map((q, i) => `${i + 1}. ${tr(ctx, `domain.question.${q}`)}`).join('\n');
    sections.push({ title: text('bot.card.questions'), body: verbatim(body) });
  }
  if (request.freeText) sections.push(freeTextSection(ctx, text('bot.card.freeText'), request.freeText, request.freeTextLang, shown));
  request.answers.forEach((round, i) => {
    Object.entries(round.items).forEach(([q, answer]) => {
      const label = q === 'free' ? tr(ctx, 'bot.card.freeText') : `${request.questions.indexOf(q) + 1}. ${tr(ctx, `domain.question.${q}`)}`;
      sections.push(freeTextSection(ctx, text('bot.card.answerTo', { round: i + 1, question: label }), answer, round.lang, shown));
    });
    const info = request.infoRequests[i];
    if (info) sections.push(freeTextSection(ctx, text('bot.card.infoRequest'), info.message, info.lang, shown));
  });
  const translated = sections.some((s) => 'note' in s && s.note && 'key' in s.note && s.note.key === 'bot.card.machineTranslated');

  const value = { requestId: request.id, version: String(request.version) };
  const actions: Button[] = actionsFor(request, side).map((a) => ({ action: a.action, label: text(a.label), value, style: a.style }));
  actions.push({ action: 'request.history', label: text('bot.action.history'), value });
  if (translated) actions.push({ action: 'request.original', label: text('bot.action.showOriginal'), value });
  return {
    kind: 'card',
    title: text('bot.card.title', { id: request.id, area: areaName(request.area) }),
    subtitle: request.training ? text('bot.card.training') : undefined,
    badge: { text: text(`bot.status.${request.status}`), tone: STATUS_TONE[request.status] },
    fields,
    sections,
    actions,
    ref: { requestId: request.id, version: request.version },
  };
}

import type { Authority } from '../../domain/authority.ts';
import type { CoordinatorView } from '../../app/requests/view-request.ts';
import { text, verbatim } from '../render.ts';
import type { Block, TextLike } from '../types.ts';
import { dateText, tr, type TurnContext } from '../turn-context.ts';
import { areaName, authorityLabel, daysLeftText } from './request-card.view.ts';

/**
 * A request as a coordinator of either authority sees it (Reg. 1024/2012 Art. 9): both
 * authorities, status and deadlines; the person and the texts only when the request was referred
 * to the coordinators (the view is not redacted then). No buttons but the history: coordinators
 * oversee, the two authorities act.
 */
export function coordinatorCard(
  ctx: TurnContext,
  view: CoordinatorView,
  parties: { requester: Authority | null; responder: Authority | null },
): Block {
  const { request } = view;
  const fields: { label: TextLike; value: TextLike }[] = [
    { label: text('bot.card.status'), value: text(`bot.status.${request.status}`) },
    { label: text('bot.card.from'), value: verbatim(authorityLabel(ctx, parties.requester)) },
    { label: text('bot.card.to'), value: verbatim(authorityLabel(ctx, parties.responder)) },
    { label: text('bot.card.requestedDeadline'), value: verbatim(dateText(ctx, request.requestedDeadline)) },
  ];
  if (request.proposedDeadline && !request.agreedDeadline) {
    fields.push({ label: text('bot.card.proposedDeadline'), value: verbatim(dateText(ctx, request.proposedDeadline.date)) });
  }
  if (request.agreedDeadline) fields.push({ label: text('bot.card.agreedDeadline'), value: verbatim(dateText(ctx, request.agreedDeadline)) });
  const left = daysLeftText(ctx, request, parties.responder?.timezone ?? ctx.authority.timezone);
  if (left) fields.push({ label: text('bot.card.timeLeft'), value: left });

  const sections: { title: TextLike; body: TextLike; note?: TextLike }[] = [];
  if (request.questions.length > 0) {
    const body = request.questions.map((q, i) => `${i + 1}. ${tr(ctx, `domain.question.${q}`)}`).join('\n');
    sections.push({ title: text('bot.card.questions'), body: verbatim(body) });
  }
  if (!view.redacted) {
    // Referred: the coordinators need the whole exchange to settle the disagreement.
    if (request.subjectName) fields.splice(1, 0, { label: text('bot.card.subject'), value: verbatim(request.subjectName) });
    if (request.referral?.reason) fields.push({ label: text('bot.card.referred'), value: verbatim(request.referral.reason) });
    if (request.proposedDeadline?.reason && !request.agreedDeadline) {
      sections.push({ title: text('bot.card.proposedDeadline'), body: verbatim(request.proposedDeadline.reason) });
    }
    if (request.freeText) sections.push({ title: text('bot.card.freeText'), body: verbatim(request.freeText) });
    request.answers.forEach((round, i) => {
      for (const [q, answer] of Object.entries(round.items)) {
        if (!answer) continue;
        const question = q === 'free' ? tr(ctx, 'bot.card.freeText') : `${request.questions.indexOf(q) + 1}. ${tr(ctx, `domain.question.${q}`)}`;
        sections.push({ title: text('bot.card.answerTo', { round: i + 1, question }), body: verbatim(answer) });
      }
      const info = request.infoRequests[i];
      if (info?.message) sections.push({ title: text('bot.card.infoRequest'), body: verbatim(info.message) });
    });
  }
  const notices: TextLike[] = [];
  if (view.redacted) notices.push(text('security.redacted'));
  if (view.erased) notices.push(text('security.erased'));
  for (const notice of notices) sections.push({ title: text('security.noticeTitle'), body: notice });

  const value = { requestId: request.id, version: String(request.version) };
  return {
    kind: 'card',
    title: text('bot.card.title', { id: request.id, area: areaName(request.area) }),
    badge: { text: text(`bot.status.${request.status}`), tone: 'neutral' },
    fields,
    sections,
    actions: [{ action: 'request.history', label: text('bot.action.history'), value }],
    ref: { requestId: request.id, version: request.version },
  };
}

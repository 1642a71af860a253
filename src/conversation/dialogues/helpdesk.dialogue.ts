import { askFaq, showFaqEntry, type FaqAnswer, type HelpdeskDeps } from '../../app/helpdesk/ask-faq.ts';
import { resolveContacts } from '../../app/helpdesk/contacts.ts';
import { rateAnswer } from '../../app/helpdesk/feedback.ts';
import { answerTicket, handOverQuestion, listTickets, viewTicket, type TicketView } from '../../app/helpdesk/tickets.ts';
import { mayAnswer, MAX_TICKET_TEXT } from '../../domain/helpdesk.ts';
import { hasRole } from '../../domain/user.ts';
import { text, verbatim } from '../render.ts';
import type { Block, Button, TextLike } from '../types.ts';
import { errorReply, errorText, languageName, reply, type Outcome, type TurnContext } from '../turn-context.ts';
import { formWithError, isCoordinator, localDate, success, type Form } from './admin-common.dialogue.ts';
import { helpReply } from './basics.dialogue.ts';
import { onboardingAction, prefixed, turnPreface, withPreface } from './onboarding.dialogue.ts';
import { trainingAction } from './training.dialogue.ts';
import { one, type Values } from './values.ts';

/**
 * The helpdesk in chat: any text that is not a command is a question to the FAQ. Answers name
 * the asker's own coordinator; what the FAQ cannot answer is handed over to the coordinator as
 * a ticket, which the coordinator answers here too.
 */

/** A question id as it comes back from a button; anything else reads as "not found". */
const questionIdOf = (values: Values): number | null => {
  const n = Number(one(values, 'questionId'));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** A ticket id as it comes back from a button: HD-2026-000042, nothing else reaches the store. */
const ticketIdOf = (values: Values): string => {
  const id = one(values, 'ticketId').trim().toUpperCase();
  return /^HD-\d{4}-\d{6}$/.test(id) ? id : '';
};

const roleLine = (answer: FaqAnswer): TextLike => {
  const { name, authority } = answer.contact;
  if (name && authority) return text('helpdesk.contact.person', { name: verbatim(name), authority: verbatim(authority) });
  return verbatim(name ?? authority ?? answer.contact.details ?? '—');
};

/**
 * A user who chose no language is spoken to in the language the FAQ answered in. A user who chose
 * one keeps it around the answer, even where the knowledge base has no text in it yet.
 */
function follow(ctx: TurnContext, answer: FaqAnswer): void {
  if (ctx.user.language === null && ctx.deps.i18n.languages.includes(answer.lang)) ctx.lang = answer.lang;
}

/** Whether the user has a coordinator other than themselves to hand a question to. */
async function canHandOver(ctx: TurnContext): Promise<{ possible: boolean; helpdesk: string | null; coordinators: number }> {
  const contacts = await resolveContacts(ctx.deps.app.store, ctx.user.id);
  return {
    possible: contacts.coordinators.some((c) => c.id !== ctx.user.id),
    helpdesk: contacts.helpdesk,
    coordinators: contacts.coordinators.length,
  };
}

const handOverButton = (questionId: number): Button => ({
  action: 'helpdesk.handover',
  label: text('helpdesk.handOver.button'),
  value: { questionId: String(questionId) },
});

/** An answer with whom to turn to, the 👍/👎 buttons and the way to the coordinator. */
function answerBlocks(answer: FaqAnswer, handOverId: number): Block[] {
  const fields = [{ label: text(`helpdesk.contact.${answer.contact.role}`), value: roleLine(answer) }];
  if (answer.contact.details && answer.contact.role !== 'helpdesk') {
    fields.push({ label: text('helpdesk.contact.reach'), value: verbatim(answer.contact.details) });
  }
  const rate = (helpful: boolean): Button => ({
    action: 'helpdesk.rate',
    label: text(helpful ? 'helpdesk.feedback.yes' : 'helpdesk.feedback.no'),
    value: { questionId: String(answer.questionId), helpful: helpful ? 'yes' : 'no' },
  });
  return [
    { kind: 'text', text: verbatim(answer.answer ?? '') },
    { kind: 'card', title: text('helpdesk.contact.title'), fields, actions: [] },
    {
      kind: 'card',
      title: text('helpdesk.feedback.question'),
      fields: [],
      actions: [rate(true), rate(false), ...(answer.canHandOver ? [handOverButton(handOverId)] : [])],
    },
  ];
}

/** Below the threshold: what the user may have meant, and the offer to ask the coordinator. */
async function notSureBlocks(ctx: TurnContext, answer: FaqAnswer): Promise<Block[]> {
  const blocks: Block[] = [{ kind: 'text', text: text('helpdesk.notSure'), tone: 'info' }];
  if (answer.suggestions.length > 0) {
    blocks.push({
      kind: 'list',
      title: text('helpdesk.didYouMean'),
      items: answer.suggestions.map((s) => ({
        text: verbatim(s.question),
        actions: [{ action: 'helpdesk.entry', label: text('helpdesk.showAnswer'), value: { entryId: s.id, questionId: String(answer.questionId) } }],
      })),
    });
  } else {
    blocks.push({ kind: 'text', text: text('helpdesk.noSuggestions') });
  }
  blocks.push({ kind: 'text', text: text('helpdesk.rephrase') });
  blocks.push(...(await offerBlocks(ctx, answer.questionId, answer.contact.name ?? answer.contact.authority)));
  return blocks;
}

async function offerBlocks(ctx: TurnContext, questionId: number, coordinatorName: string | null): Promise<Block[]> {
  const handOver = await canHandOver(ctx);
  if (handOver.possible) {
    return [{
      kind: 'card',
      title: text('helpdesk.handOver.offer', { coordinatorName: verbatim(coordinatorName ?? '—') }),
      fields: [],
      actions: [
        { ...handOverButton(questionId), style: 'primary' },
        { action: 'helpdesk.handover_decline', label: text('helpdesk.handOver.decline') },
      ],
    }];
  }
  // A coordinator asking has nobody above to hand over to; a user without a coordinator is told where to go.
  if (handOver.coordinators > 0) return [];
  return [{ kind: 'text', text: text('helpdesk.handOver.unavailable', { helpdesk: verbatim(handOver.helpdesk ?? '—') }), tone: 'warning' }];
}

/** A user who never chose a language is answered in the language they wrote in, else in the chat's. */
const questionLanguage = (ctx: TurnContext, deps: HelpdeskDeps, question: string): string =>
  ctx.user.language === null ? (deps.faq.detect(question) ?? ctx.lang) : ctx.lang;

/** Any text that is not a command: answered from the FAQ, naming the asker's own contacts. */
async function askHelpdesk(ctx: TurnContext, question: string, deps: HelpdeskDeps, lang: string): Promise<Outcome> {
  const asked = await askFaq(deps, { text: question, userId: ctx.user.id, lang, origin: ctx.turn.channel });
  if (!asked.ok) return errorReply(asked.error);
  follow(ctx, asked.value);
  if (asked.value.answered) return reply(...answerBlocks(asked.value, asked.value.questionId));
  return reply(...(await notSureBlocks(ctx, asked.value)));
}

/** A "did you mean" suggestion picked: its answer, which may be rated; the hand-over still takes the question as typed. */
async function showEntry(ctx: TurnContext, deps: HelpdeskDeps, values: Values): Promise<Outcome> {
  const shown = await showFaqEntry(deps, { entryId: one(values, 'entryId').slice(0, 100), userId: ctx.user.id, lang: ctx.lang, origin: ctx.turn.channel });
  if (!shown.ok) return errorReply(shown.error);
  follow(ctx, shown.value);
  return reply(...answerBlocks(shown.value, questionIdOf(values) ?? shown.value.questionId));
}

async function rate(ctx: TurnContext, values: Values): Promise<Outcome> {
  const questionId = questionIdOf(values);
  const helpful = ['yes', 'true', '1'].includes(one(values, 'helpful'));
  if (questionId === null) return errorReply({ code: 'HELPDESK.ANSWER_NOT_FOUND', params: { id: one(values, 'questionId').slice(0, 20) } });
  const rated = await rateAnswer(ctx.deps.app, { questionId, userId: ctx.user.id, helpful, origin: ctx.turn.channel });
  if (!rated.ok) return errorReply(rated.error);
  if (helpful) return reply(success(text('helpdesk.feedback.thanks')));
  const handOver = await canHandOver(ctx);
  if (!handOver.possible) return reply({ kind: 'text', text: text('helpdesk.feedback.thanks'), tone: 'success' });
  return reply({
    kind: 'card',
    title: text('helpdesk.feedback.sorry'),
    fields: [],
    actions: [{ ...handOverButton(questionId), style: 'primary' }, { action: 'helpdesk.handover_decline', label: text('helpdesk.handOver.decline') }],
  });
}

const coordinatorNames = async (ctx: TurnContext, t: TicketView): Promise<string> =>
  (await ctx.deps.app.store.users.ofAuthority(t.coordinatorAuthorityId))
    .filter((u) => hasRole(u, 'coordinator') && u.id !== t.askerId)
    .map((u) => u.name)
    .join(', ') || t.coordinatorAuthorityName;

async function handOver(ctx: TurnContext, values: Values): Promise<Outcome> {
  const questionId = questionIdOf(values);
  const asked = questionId === null ? null : await ctx.deps.app.store.helpdesk.question(questionId);
  if (!asked || asked.userId !== ctx.user.id) return reply({ kind: 'text', text: text('helpdesk.handOver.notFound'), tone: 'warning' });
  // A second press of the same button finds the ticket already open rather than opening another.
  const earlier = (await ctx.deps.app.store.helpdesk.ticketsOfAsker(ctx.user.id)).find((t) => t.status === 'open' && t.question === asked.question.trim());
  if (earlier) {
    const view = await viewTicket(ctx.deps.app, ctx.user.id, earlier.id);
    if (view.ok) return reply({ kind: 'text', text: text('helpdesk.ticket.already', { ticketId: earlier.id }), tone: 'info' }, ticketCard(ctx, view.value));
  }
  const made = await handOverQuestion(ctx.deps.app, { askerId: ctx.user.id, questionId: asked.id, origin: ctx.turn.channel });
  if (!made.ok) {
    if (made.error.code === 'HELPDESK.ANSWER_NOT_FOUND') return reply({ kind: 'text', text: text('helpdesk.handOver.notFound'), tone: 'warning' });
    return errorReply(made.error);
  }
  const ticket = made.value;
  return reply(
    success(text('helpdesk.ticket.created', {
      coordinatorName: verbatim(await coordinatorNames(ctx, ticket)),
      coordinatorAuthority: verbatim(ticket.coordinatorAuthorityName),
      ticketId: ticket.id,
    })),
    ticketCard(ctx, ticket),
  );
}

const STATUS_TONE = { open: 'warning', answered: 'success' } as const;

/** One ticket: question, status and, once there is one, the answer with its language labelled. */
function ticketCard(ctx: TurnContext, t: TicketView): Block {
  const sections: { title: TextLike; body: TextLike; note?: TextLike }[] = [
    { title: text('helpdesk.ticket.question'), body: verbatim(t.question), note: text('helpdesk.ticket.writtenIn', { language: verbatim(languageName(t.questionLang, ctx.lang)) }) },
  ];
  if (t.answer) {
    sections.push({
      title: text('helpdesk.ticket.answer'),
      body: verbatim(t.answer),
      note: text('helpdesk.ticket.writtenIn', { language: verbatim(languageName(t.answerLang ?? ctx.lang, ctx.lang)) }),
    });
  }
  const fields = [
    { label: text('helpdesk.ticket.statusLabel'), value: text(`helpdesk.ticket.status.${t.status}`) },
    { label: text('helpdesk.ticket.from'), value: text('helpdesk.ticket.askedBy', { name: verbatim(t.askerName), authority: verbatim(t.askerAuthorityName) }) },
    { label: text('helpdesk.ticket.to'), value: verbatim(t.coordinatorAuthorityName) },
    { label: text('helpdesk.ticket.dates'), value: text('helpdesk.ticket.askedOn', { date: localDate(ctx, t.createdAt) }) },
  ];
  if (t.answeredAt) {
    fields.push({ label: text('helpdesk.ticket.answer'), value: text('helpdesk.ticket.answeredBy', { name: verbatim(t.answeredByName ?? '—'), date: localDate(ctx, t.answeredAt) }) });
  }
  const actions: Button[] = [];
  if (t.status === 'open' && mayAnswer(t, ctx.user)) {
    actions.push({ action: 'helpdesk.answer_ticket', label: text('helpdesk.ticket.answerAction'), value: { ticketId: t.id }, style: 'primary' });
  }
  actions.push(
    t.askerId === ctx.user.id
      ? { action: 'helpdesk.my_tickets', label: text('helpdesk.ticket.mine') }
      : { action: 'helpdesk.tickets', label: text('helpdesk.ticket.incoming') },
  );
  return {
    kind: 'card',
    title: text('helpdesk.ticket.title', { ticketId: t.id }),
    badge: { text: text(`helpdesk.ticket.status.${t.status}`), tone: STATUS_TONE[t.status] },
    fields,
    sections,
    actions,
  };
}

const short = (s: string, max = 160) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The asker's tickets (`helpdesk.my_tickets`) or, for coordinators, those handed to them (`helpdesk.tickets`). */
async function ticketList(ctx: TurnContext, as: 'asker' | 'coordinator'): Promise<Outcome> {
  const listed = await listTickets(ctx.deps.app, { userId: ctx.user.id, as });
  if (!listed.ok) return errorReply(listed.error);
  return reply({
    kind: 'list',
    title: text(as === 'asker' ? 'helpdesk.ticket.mine' : 'helpdesk.ticket.incoming'),
    empty: text('helpdesk.ticket.empty'),
    items: listed.value.map((t) => ({
      text: text('helpdesk.ticket.item', { ticketId: t.id, question: verbatim(short(t.question)) }),
      detail: text(as === 'asker' ? 'helpdesk.ticket.itemDetail' : 'helpdesk.ticket.itemDetailFrom', {
        status: text(`helpdesk.ticket.status.${t.status}`),
        date: localDate(ctx, t.createdAt),
        name: verbatim(t.askerName),
        authority: verbatim(t.askerAuthorityName),
      }),
      tone: t.status === 'open' ? 'warning' : 'success',
      actions: [
        t.status === 'open' && as === 'coordinator' && mayAnswer(t, ctx.user)
          ? { action: 'helpdesk.answer_ticket', label: text('helpdesk.ticket.answerAction'), value: { ticketId: t.id }, style: 'primary' as const }
          : { action: 'helpdesk.ticket', label: text('helpdesk.ticket.view'), value: { ticketId: t.id } },
      ],
    })),
  });
}

function answerForm(t: TicketView, value = ''): Form {
  return {
    kind: 'form',
    action: 'helpdesk.answer_submit',
    title: text('helpdesk.ticket.answerForm.title', { ticketId: t.id }),
    intro: text('helpdesk.ticket.answerForm.intro', { askerName: verbatim(t.askerName), askerAuthority: verbatim(t.askerAuthorityName) }),
    fields: [{
      name: 'answer',
      label: text('helpdesk.ticket.answerForm.field'),
      type: 'long-text',
      required: true,
      maxLength: MAX_TICKET_TEXT,
      value,
      hint: text('helpdesk.ticket.answerForm.hint'),
    }],
    submitLabel: text('helpdesk.ticket.answerForm.submit'),
    context: { ticketId: t.id },
    cancel: { action: 'form.cancel', label: text('bot.form.cancel') },
  };
}

async function openAnswerForm(ctx: TurnContext, values: Values): Promise<Outcome> {
  const found = await viewTicket(ctx.deps.app, ctx.user.id, ticketIdOf(values));
  if (!found.ok) return errorReply(found.error);
  const t = found.value;
  if (!mayAnswer(t, ctx.user)) return errorReply({ code: 'HELPDESK.NOT_COORDINATOR', params: { id: t.id } });
  if (t.status !== 'open') return reply({ kind: 'text', text: errorText({ code: 'HELPDESK.TICKET_ANSWERED', params: { id: t.id } }), tone: 'info' }, ticketCard(ctx, t));
  return reply(ticketCard(ctx, t), answerForm(t));
}

async function submitAnswer(ctx: TurnContext, values: Values): Promise<Outcome> {
  const ticketId = ticketIdOf(values);
  const typed = one(values, 'answer');
  const answered = await answerTicket(ctx.deps.app, { coordinatorId: ctx.user.id, ticketId, answer: typed, lang: ctx.lang, origin: ctx.turn.channel });
  if (!answered.ok) {
    const found = await viewTicket(ctx.deps.app, ctx.user.id, ticketId);
    // Only an answer that can still be given is worth the form again; "answered already" or "not yours" are final.
    if (found.ok && found.value.status === 'open' && answered.error.field) return formWithError(answerForm(found.value, typed.slice(0, MAX_TICKET_TEXT)), answered.error, 'answer');
    return errorReply(answered.error);
  }
  return reply(success(text('helpdesk.ticket.answerSent', { ticketId: answered.value.id, askerName: verbatim(answered.value.askerName) })), ticketCard(ctx, answered.value));
}

async function showTicket(ctx: TurnContext, values: Values): Promise<Outcome> {
  const found = await viewTicket(ctx.deps.app, ctx.user.id, ticketIdOf(values));
  return found.ok ? reply(ticketCard(ctx, found.value)) : errorReply(found.error);
}

/** What a free-text turn gets when the server runs without the knowledge base (some tests). */
const noHelpdesk = (): Outcome => reply({ kind: 'text', text: text('bot.notUnderstood') }, ...helpReply().reply.blocks);

/**
 * A free-text turn, with the turn's preface. The reply language is settled first, so that the
 * preface (the first-time checklist) speaks the language of the answer too.
 */
export async function helpdeskQuestion(ctx: TurnContext, question: string): Promise<Outcome> {
  const deps = ctx.deps.helpdesk;
  if (!deps) return withPreface(ctx, async () => noHelpdesk());
  const lang = questionLanguage(ctx, deps, question);
  if (ctx.deps.i18n.languages.includes(lang)) ctx.lang = lang;
  return withPreface(ctx, () => askHelpdesk(ctx, question, deps, lang));
}

/** Every "helpdesk.*" action; null for ids this dialogue does not know. */
export async function helpdeskAction(ctx: TurnContext, id: string, values: Values): Promise<Outcome | null> {
  switch (id) {
    case 'helpdesk.entry':
      return ctx.deps.helpdesk ? showEntry(ctx, ctx.deps.helpdesk, values) : noHelpdesk();
    case 'helpdesk.rate':
      return rate(ctx, values);
    case 'helpdesk.handover':
      return handOver(ctx, values);
    case 'helpdesk.handover_decline':
      return reply({ kind: 'text', text: text('helpdesk.handOver.declined') });
    case 'helpdesk.my_tickets':
      return ticketList(ctx, 'asker');
    case 'helpdesk.tickets':
      // Someone who answers no tickets is shown the ones they asked, not a refusal.
      return ticketList(ctx, isCoordinator(ctx) ? 'coordinator' : 'asker');
    case 'helpdesk.ticket':
      return showTicket(ctx, values);
    case 'helpdesk.answer_ticket':
      return openAnswerForm(ctx, values);
    case 'helpdesk.answer_submit':
      return submitAnswer(ctx, values);
    default:
      return null;
  }
}

/** The actions of the helpdesk, onboarding and training dialogues ("helpdesk.*", "onboarding.*", "training.*"), with the turn's preface. */
export async function supportAction(ctx: TurnContext, id: string, values: Values): Promise<Outcome | null> {
  const route = id.startsWith('helpdesk.') ? helpdeskAction : id.startsWith('onboarding.') ? onboardingAction : id.startsWith('training.') ? trainingAction : null;
  if (!route) return null;
  const preface = await turnPreface(ctx, { checklist: !id.startsWith('onboarding.') });
  const outcome = await route(ctx, id, values);
  return outcome && prefixed(preface, outcome);
}

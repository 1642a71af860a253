import { fail, ok, type Result } from './result.ts';
import { hasRole, type User } from './user.ts';

export const TICKET_STATUSES = ['open', 'answered'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Longest question or answer a ticket takes; longer text belongs in a request or an e-mail. */
export const MAX_TICKET_TEXT = 4_000;

/** A question the FAQ could not answer, handed over to the asker's coordinator. */
export interface Ticket {
  id: string;
  askerId: string;
  askerAuthorityId: string;
  /** The authority whose coordinators answer: the coordinating authority of the asker's. */
  coordinatorAuthorityId: string;
  question: string;
  questionLang: string;
  status: TicketStatus;
  /** Shown as written, with its language labelled; translation is not the helpdesk's job. */
  answer: string | null;
  answerLang: string | null;
  answeredBy: string | null;
  createdAt: string;
  answeredAt: string | null;
}

/** Ticket ids look like HD-2026-000042: year of creation and a running number. */
export const formatTicketId = (year: number, seq: number): string => `HD-${year}-${String(seq).padStart(6, '0')}`;

function checkText(text: string, empty: 'HELPDESK.QUESTION_EMPTY' | 'HELPDESK.ANSWER_EMPTY'): Result<string> {
  const trimmed = text.trim();
  if (!trimmed) return fail(empty, {}, empty === 'HELPDESK.QUESTION_EMPTY' ? 'question' : 'answer');
  if (trimmed.length > MAX_TICKET_TEXT) {
    return fail('REQUEST.TEXT_TOO_LONG', { max: MAX_TICKET_TEXT }, empty === 'HELPDESK.QUESTION_EMPTY' ? 'question' : 'answer');
  }
  return ok(trimmed);
}

/** A new ticket from an active user to the coordinators of their authority. */
export function openTicket(
  input: { id: string; question: string; lang: string },
  ctx: { asker: User; coordinatorAuthorityId: string; now: Date },
): Result<Ticket> {
  const question = checkText(input.question, 'HELPDESK.QUESTION_EMPTY');
  if (!question.ok) return question;
  return ok({
    id: input.id,
    askerId: ctx.asker.id,
    askerAuthorityId: ctx.asker.authorityId,
    coordinatorAuthorityId: ctx.coordinatorAuthorityId,
    question: question.value,
    questionLang: input.lang,
    status: 'open',
    answer: null,
    answerLang: null,
    answeredBy: null,
    createdAt: ctx.now.toISOString(),
    answeredAt: null,
  });
}

/** Whether a user may answer a ticket: a coordinator of the authority it was handed to. */
export const mayAnswer = (ticket: Ticket, user: User): boolean =>
  hasRole(user, 'coordinator') && user.authorityId === ticket.coordinatorAuthorityId;

/** The coordinator's answer; a ticket is answered once, a second answer is refused rather than lost. */
export function answerTicket(ticket: Ticket, by: User, answer: string, lang: string, now: Date): Result<Ticket> {
  if (!mayAnswer(ticket, by)) return fail('HELPDESK.NOT_COORDINATOR', { id: ticket.id });
  if (ticket.status !== 'open') return fail('HELPDESK.TICKET_ANSWERED', { id: ticket.id });
  const text = checkText(answer, 'HELPDESK.ANSWER_EMPTY');
  if (!text.ok) return text;
  return ok({ ...ticket, status: 'answered', answer: text.value, answerLang: lang, answeredBy: by.id, answeredAt: now.toISOString() });
}

/** A question reduced to what makes two askings the same: case, accents, spacing and end punctuation. */
export const normalizeQuestion = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, 500);

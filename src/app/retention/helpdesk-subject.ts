import type { RetentionStage } from '../../domain/retention.ts';
import type { AppDeps, Origin } from '../deps.ts';
import type { FaqQuestionRetained, TicketRecord } from '../ports/retention.repository.ts';
import { helpdeskStage } from './helpdesk-retention.ts';
import { mentions, nameKey } from './names.ts';

/** Why a helpdesk record belongs to a data subject: they wrote it (or rated its answer), or its text names them. */
export type HelpdeskMatch = 'asker' | 'text';

export interface SubjectTicket {
  ticket: TicketRecord;
  matched: HelpdeskMatch[];
  stage: RetentionStage;
}

export interface SubjectFaqQuestion {
  question: FaqQuestionRetained;
  matched: HelpdeskMatch[];
  stage: RetentionStage;
}

/** What the helpdesk keeps about a data subject (Art. 19 access). */
export interface SubjectHelpdesk {
  tickets: SubjectTicket[];
  faqQuestions: SubjectFaqQuestion[];
}

/**
 * The helpdesk records about a person: hand-over tickets and FAQ questions they asked as a user
 * of the bot (every user whose name is `name`, active or removed), the FAQ questions whose answer
 * they rated, and those whose texts name them (names of two words or more). Nothing for a name
 * with no letters.
 */
export async function helpdeskAbout(deps: AppDeps, name: string): Promise<SubjectHelpdesk> {
  const key = nameKey(name);
  if (!key) return { tickets: [], faqQuestions: [] };
  const now = deps.clock.now();
  const users = new Set((await deps.store.users.list()).filter((u) => nameKey(u.name) === key).map((u) => u.id));
  const why = (asked: boolean, texts: (string | null)[]): HelpdeskMatch[] => [
    ...(asked ? (['asker'] as const) : []),
    ...(texts.some((t) => t && mentions(t, key)) ? (['text'] as const) : []),
  ];
  const tickets: SubjectTicket[] = [];
  for (const ticket of await deps.store.retention.tickets()) {
    const matched = why(users.has(ticket.askerId), [ticket.question, ticket.answer]);
    if (matched.length > 0) tickets.push({ ticket, matched, stage: helpdeskStage(ticket.answeredAt, now) });
  }
  const faqQuestions: SubjectFaqQuestion[] = [];
  for (const question of await deps.store.retention.faqQuestions()) {
    const asked = (question.userId !== null && users.has(question.userId)) || (question.rating?.userId != null && users.has(question.rating.userId));
    const matched = why(asked, [question.question]);
    if (matched.length > 0) faqQuestions.push({ question, matched, stage: helpdeskStage(question.askedAt, now) });
  }
  return { tickets, faqQuestions };
}

export interface HelpdeskErasure {
  kind: 'helpdesk-ticket' | 'faq-question';
  id: string | number;
  status: string;
  /** Texts emptied: a ticket's question and answer, a FAQ question's text. */
  fields: number;
  /** Notifications whose copies of the ticket's texts and names were removed. */
  notifications: number;
}

/**
 * Erases a person's helpdesk records (Art. 19 erasure): tickets lose their question and answer,
 * and their notifications the copies of them; FAQ questions lose their text, who asked them and
 * who rated the answer (the rating itself stays for the report). Erased records leave the
 * helpdesk's lists. The audit trail records who did it, never the name; records erased before
 * are left alone, so a second erasure finds nothing.
 */
export async function eraseHelpdeskSubject(deps: AppDeps, name: string, by: { actorId: string; origin: Origin }): Promise<HelpdeskErasure[]> {
  const found = await helpdeskAbout(deps, name);
  const at = deps.clock.now().toISOString();
  const out: HelpdeskErasure[] = [];
  for (const { ticket } of found.tickets) {
    if (ticket.personalDataDeletedAt) continue;
    const done = await deps.store.transaction(async (tx) => {
      const erased = await tx.retention.eraseTicket(ticket.id, at);
      // Zero texts means someone erased it meanwhile.
      if (erased.fields === 0) return null;
      await tx.audit.append({ at, actorId: by.actorId, channel: by.origin, action: 'subject.erase', target: ticket.id, details: erased });
      return erased;
    });
    if (done) out.push({ kind: 'helpdesk-ticket', id: ticket.id, status: ticket.status, ...done });
  }
  const questions = found.faqQuestions.filter((q) => !q.question.personalDataDeletedAt).map((q) => q.question);
  if (questions.length > 0) {
    const erased = new Set(
      await deps.store.transaction(async (tx) => {
        const ids = await tx.retention.eraseFaqQuestions(questions.map((q) => q.id), at);
        if (ids.length > 0) {
          await tx.audit.append({ at, actorId: by.actorId, channel: by.origin, action: 'subject.erase', target: 'faq-questions', details: { count: ids.length } });
        }
        return ids;
      }),
    );
    for (const q of questions.filter((x) => erased.has(x.id))) {
      out.push({ kind: 'faq-question', id: q.id, status: q.answered ? 'answered' : 'unanswered', fields: q.question ? 1 : 0, notifications: 0 });
    }
  }
  return out;
}

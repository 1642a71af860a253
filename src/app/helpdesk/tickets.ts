import { answerTicket as decideAnswer, formatTicketId, mayAnswer, openTicket, type Ticket } from '../../domain/helpdesk.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { hasRole, type User } from '../../domain/user.ts';
import type { AppDeps, Origin } from '../deps.ts';
import type { UnitOfWork } from '../ports/repositories.ts';

/** A ticket with the names a list or card shows. */
export interface TicketView extends Ticket {
  askerName: string;
  askerAuthorityName: string;
  coordinatorAuthorityName: string;
  answeredByName: string | null;
}

export interface HandOver {
  askerId: string;
  /** The question as the user wrote it; or take it from an earlier FAQ question with `questionId`. */
  question?: string;
  questionId?: number;
  /** The language it is written in; defaults to the language of the FAQ record or the asker's. */
  lang?: string;
  origin: Origin;
}

async function view(tx: UnitOfWork, t: Ticket): Promise<TicketView> {
  const [asker, askerAuthority, coordinatorAuthority, answeredBy] = await Promise.all([
    tx.users.get(t.askerId),
    tx.authorities.get(t.askerAuthorityId),
    tx.authorities.get(t.coordinatorAuthorityId),
    t.answeredBy ? tx.users.get(t.answeredBy) : Promise.resolve(null),
  ]);
  return {
    ...t,
    askerName: asker?.name ?? t.askerId,
    askerAuthorityName: askerAuthority?.name ?? t.askerAuthorityId,
    coordinatorAuthorityName: coordinatorAuthority?.name ?? t.coordinatorAuthorityId,
    answeredByName: answeredBy?.name ?? null,
  };
}

/**
 * Hands a question the FAQ could not answer to the asker's coordinators: one ticket, and one
 * `helpdesk.ticket` notification per coordinator in the outbox, in the same transaction.
 */
export async function handOverQuestion(deps: AppDeps, input: HandOver): Promise<Result<TicketView>> {
  return deps.store.transaction(async (tx) => {
    const asker = await tx.users.get(input.askerId);
    if (!asker || !asker.active) return fail('USER.NOT_REGISTERED');
    const asked = input.questionId !== undefined ? await tx.helpdesk.question(input.questionId) : null;
    if (input.questionId !== undefined && (!asked || asked.userId !== asker.id)) {
      return fail('HELPDESK.ANSWER_NOT_FOUND', { id: input.questionId });
    }
    const authority = await tx.authorities.get(asker.authorityId);
    const coordinatorAuthorityId = authority?.coordinatorId ?? asker.authorityId;
    const coordinators = (await tx.users.ofAuthority(coordinatorAuthorityId)).filter(
      (u) => hasRole(u, 'coordinator') && u.id !== asker.id,
    );
    if (coordinators.length === 0) return fail('HELPDESK.NO_COORDINATOR');
    const now = deps.clock.now();
    const year = now.getUTCFullYear();
    const opened = openTicket(
      {
        id: 'probe',
        question: input.question ?? asked?.question ?? '',
        lang: input.lang ?? asked?.lang ?? asker.language ?? authority?.language ?? 'en',
      },
      { asker, coordinatorAuthorityId, now },
    );
    // Checked before a number is drawn, so refused questions leave no gaps in the ticket numbers.
    if (!opened.ok) return opened;
    const ticket: Ticket = { ...opened.value, id: formatTicketId(year, await tx.helpdesk.nextTicketNumber(year)) };
    await tx.helpdesk.insertTicket(ticket);
    for (const c of coordinators) await notify(tx, c, 'helpdesk.ticket', ticket, asker, authority?.name ?? asker.authorityId);
    await tx.audit.append({
      at: ticket.createdAt,
      actorId: asker.id,
      channel: input.origin,
      action: 'helpdesk.handover',
      target: ticket.id,
      details: { coordinatorAuthority: coordinatorAuthorityId, coordinators: coordinators.length },
    });
    return ok(await view(tx, ticket));
  });
}

async function notify(tx: UnitOfWork, to: User, kind: 'helpdesk.ticket' | 'helpdesk.answer', t: Ticket, from: User, fromAuthority: string) {
  await tx.outbox.add({
    key: `${t.id}:${kind}:${to.id}`,
    recipientId: to.id,
    kind,
    requestId: null,
    params:
      kind === 'helpdesk.ticket'
        ? { ticketId: t.id, askerName: from.name, askerAuthority: fromAuthority, question: t.question, questionLang: t.questionLang }
        : { ticketId: t.id, coordinatorName: from.name, question: t.question, answer: t.answer, answerLang: t.answerLang },
    createdAt: t.answeredAt ?? t.createdAt,
  });
}

export interface AnswerTicket {
  coordinatorId: string;
  ticketId: string;
  answer: string;
  /** The language the coordinator wrote in; the asker sees it labelled, untranslated. */
  lang: string;
  origin: Origin;
}

/** The coordinator's answer, relayed to the asker as a `helpdesk.answer` notification. */
export async function answerTicket(deps: AppDeps, input: AnswerTicket): Promise<Result<TicketView>> {
  return deps.store.transaction(async (tx) => {
    const coordinator = await tx.users.get(input.coordinatorId);
    if (!coordinator || !coordinator.active) return fail('USER.NOT_REGISTERED');
    const ticket = await tx.helpdesk.getTicket(input.ticketId);
    // Someone else's ticket reads as unknown, so ticket ids cannot be probed.
    if (!ticket || (!mayAnswer(ticket, coordinator) && ticket.askerId !== coordinator.id)) {
      return fail('HELPDESK.TICKET_NOT_FOUND', { id: input.ticketId });
    }
    const decided = decideAnswer(ticket, coordinator, input.answer, input.lang, deps.clock.now());
    if (!decided.ok) return decided;
    if (!(await tx.helpdesk.answerTicket(decided.value))) return fail('HELPDESK.TICKET_ANSWERED', { id: ticket.id });
    const asker = await tx.users.get(ticket.askerId);
    if (asker?.active) await notify(tx, asker, 'helpdesk.answer', decided.value, coordinator, '');
    await tx.audit.append({
      at: decided.value.answeredAt!,
      actorId: coordinator.id,
      channel: input.origin,
      action: 'helpdesk.answer',
      target: ticket.id,
      details: { lang: input.lang },
    });
    return ok(await view(tx, decided.value));
  });
}

export interface ListTickets {
  userId: string;
  /** The tickets the user asked, or (coordinators) the tickets handed to their authority. */
  as: 'asker' | 'coordinator';
}

/** Tickets with their status, for the asker or for the coordinators who answer them. */
export async function listTickets(deps: AppDeps, input: ListTickets): Promise<Result<TicketView[]>> {
  const user = await deps.store.users.get(input.userId);
  if (!user || !user.active) return fail('USER.NOT_REGISTERED');
  if (input.as === 'coordinator' && !hasRole(user, 'coordinator')) return fail('HELPDESK.NOT_COORDINATOR', { id: '' });
  const tickets =
    input.as === 'asker'
      ? await deps.store.helpdesk.ticketsOfAsker(user.id)
      : await deps.store.helpdesk.ticketsForCoordinators(user.authorityId);
  return ok(await Promise.all(tickets.map((t) => view(deps.store, t))));
}

/** One ticket, for its asker or a coordinator it was handed to. */
export async function viewTicket(deps: AppDeps, userId: string, ticketId: string): Promise<Result<TicketView>> {
  const user = await deps.store.users.get(userId);
  if (!user || !user.active) return fail('USER.NOT_REGISTERED');
  const ticket = await deps.store.helpdesk.getTicket(ticketId);
  if (!ticket || (ticket.askerId !== user.id && !mayAnswer(ticket, user))) return fail('HELPDESK.TICKET_NOT_FOUND', { id: ticketId });
  return ok(await view(deps.store, ticket));
}

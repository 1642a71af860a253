import { decide, sideOf, type Action, type Transition } from '../../domain/request.ts';
import { fail, type Result } from '../../domain/result.ts';
import type { AppDeps, Origin } from '../deps.ts';
import type { UnitOfWork } from '../ports/repositories.ts';
import { recipientsOf } from '../notifications/recipients.ts';

/** An action as a channel sends it: authorities by id. */
export type ActionInput =
  | Exclude<Action, { type: 'forward' }>
  | { type: 'forward'; to: string };

export interface ActOnRequest {
  actorId: string;
  requestId: string;
  action: ActionInput;
  /** The version the actor saw (on a card); a different stored version means the card is stale. */
  expectedVersion?: number;
  origin: Origin;
}

/**
 * Takes one lifecycle action: the domain guard decides, then the new state, its history event,
 * the notifications to the other side and the audit entry are written in one transaction.
 */
export async function actOnRequest(deps: AppDeps, input: ActOnRequest): Promise<Result<Transition>> {
  return deps.store.transaction(async (tx) => {
    const decided = await decideIn(tx, deps, input);
    if (!decided.ok) return decided;
    const { request, event } = decided.value;
    const saved = await tx.requests.update(request, request.version - 1);
    if (!saved) return fail('REQUEST.STALE', { id: request.id });
    await tx.history.append(event);
    await queueNotifications(tx, decided.value, input.actorId);
    await tx.audit.append({
      at: event.at,
      actorId: input.actorId,
      channel: input.origin,
      action: `request.${input.action.type}`,
      target: request.id,
      details: { status: request.status, version: request.version },
    });
    return decided;
  });
}

async function decideIn(tx: UnitOfWork, deps: AppDeps, input: ActOnRequest): Promise<Result<Transition>> {
  const actor = await tx.users.get(input.actorId);
  if (!actor || !actor.active) return fail('USER.NOT_REGISTERED');
  const request = await tx.requests.get(input.requestId);
  if (!request) return fail('REQUEST.NOT_FOUND', { id: input.requestId });
  if (input.expectedVersion !== undefined && input.expectedVersion !== request.version) {
    // Only someone party to the request learns that it changed.
    return sideOf(request, actor) !== null
      ? fail('REQUEST.STALE', { id: request.id, status: request.status })
      : fail('REQUEST.NOT_YOUR_AUTHORITY', { id: request.id });
  }
  const area = deps.areas.get(request.area);
  if (!area) return fail('REQUEST.UNKNOWN_AREA', { area: request.area });
  const requester = await tx.authorities.get(request.requesterAuthorityId);
  const responder = request.responderAuthorityId ? await tx.authorities.get(request.responderAuthorityId) : null;
  if (!requester) return fail('AUTHORITY.NOT_FOUND', { id: request.requesterAuthorityId });
  let action: Action;
  if (input.action.type === 'forward') {
    const to = await tx.authorities.get(input.action.to);
    if (!to) return fail('AUTHORITY.NOT_FOUND', { id: input.action.to }, 'authority');
    action = { type: 'forward', to };
  } else {
    action = input.action;
  }
  return decide(request, action, { actor, now: deps.clock.now(), area, requester, responder });
}

/** One outbox row per person on the sides the transition names, except the one who acted. */
export async function queueNotifications(tx: UnitOfWork, t: Transition, actorId: string): Promise<void> {
  if (t.request.training) return;
  const people = await recipientsOf(tx, t.request, t.notify);
  for (const person of people) {
    if (person.id === actorId) continue;
    await tx.outbox.add({
      key: `${t.request.id}:${t.event.type}:v${t.request.version}:${person.id}`,
      recipientId: person.id,
      kind: `request.${t.event.type}`,
      requestId: t.request.id,
      params: { ...t.event.details, actor: actorId },
      createdAt: t.event.at,
    });
  }
}

import { DateTime } from 'luxon';
import { decide, newDraft, type HistoryEvent, type Request } from '../../domain/request.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { formatTrainingId } from '../../domain/training.ts';
import { hasRole, type User } from '../../domain/user.ts';
import type { Authority } from '../../domain/authority.ts';
import type { Origin } from '../deps.ts';
import type { UnitOfWork } from '../ports/repositories.ts';
import { inbox, type Inbox } from '../requests/inbox.ts';
import { ensureTrainingPartner, type TrainingPartner } from './training-partner.ts';
import { textsIn, type TrainingDeps } from './training-script.ts';

export interface TrainingStatus {
  on: boolean;
  partner: Authority | null;
  /** The requests of the user's sandbox, oldest first. */
  requests: Request[];
  /** Whether the user has taken a training request through to closed. */
  completed: boolean;
}

const practiceAreas = (user: User): string[] => (hasRole(user, 'handler') ? user.areas : []);

async function trainee(tx: UnitOfWork, userId: string): Promise<Result<{ user: User; authority: Authority }>> {
  const user = await tx.users.get(userId);
  if (!user || !user.active) return fail('USER.NOT_REGISTERED');
  const authority = await tx.authorities.get(user.authorityId);
  if (!authority) return fail('AUTHORITY.NOT_FOUND', { id: user.authorityId });
  if (practiceAreas(user).length === 0) return fail('TRAINING.NO_AREA');
  return ok({ user, authority });
}

async function sandbox(tx: UnitOfWork, userId: string): Promise<Request[]> {
  const requests = await Promise.all((await tx.training.requestsOf(userId)).map((id) => tx.requests.get(id)));
  return requests.filter((r): r is Request => r !== null && r.training);
}

/** Writes a new training request and its history, and puts it into the user's sandbox. */
async function insertTraining(tx: UnitOfWork, request: Request, events: HistoryEvent[], owner: string, origin: Origin): Promise<void> {
  await tx.requests.insert(request);
  for (const e of events) await tx.history.append(e);
  await tx.training.link(request.id, owner, request.createdAt);
  await tx.audit.append({
    at: request.createdAt,
    actorId: owner,
    channel: origin,
    action: 'training.request',
    target: request.id,
    details: { area: request.area, status: request.status },
  });
}

/**
 * A fictitious request from the partner to the trainee's authority, already sent, so the trainee
 * practises the responder's side: check the deadline, accept, answer, answer the follow-up.
 */
async function incomingRequest(tx: UnitOfWork, deps: TrainingDeps, user: User, authority: Authority, partner: TrainingPartner, origin: Origin): Promise<Result<Request>> {
  const areaId = practiceAreas(user).find((a) => authority.areas.includes(a)) ?? practiceAreas(user)[0]!;
  const area = deps.areas.get(areaId);
  if (!area) return fail('REQUEST.UNKNOWN_AREA', { area: areaId });
  const now = deps.clock.now();
  const year = now.getUTCFullYear();
  const id = formatTrainingId(year, await tx.training.nextNumber(year));
  const made = newDraft({ id, area: areaId, training: true }, { actor: partner.official, now, area });
  if (!made.ok) return made;
  const { lang, texts } = textsIn(deps.training, user.language ?? authority.language);
  const ctx = { actor: partner.official, now, area, requester: partner.authority, responder: authority };
  const deadline = DateTime.fromJSDate(now).setZone(authority.timezone).plus({ days: area.defaultDeadlineDays }).toISODate()!;
  const drafted = decide(made.value.request, {
    type: 'update_draft',
    changes: {
      responderAuthorityId: authority.id,
      questions: area.questions.slice(0, 2),
      freeText: texts.incomingFreeText,
      freeTextLang: lang,
      subjectName: texts.incomingSubject,
      requestedDeadline: deadline,
    },
  }, ctx);
  if (!drafted.ok) return drafted;
  const sent = decide(drafted.value.request, { type: 'send' }, ctx);
  if (!sent.ok) return sent;
  await insertTraining(tx, sent.value.request, [made.value.event, drafted.value.event, sent.value.event], user.id, origin);
  return ok(sent.value.request);
}

/**
 * Switches training mode on for a user: makes sure their simulated partner exists and that a
 * fictitious incoming request waits in their sandbox (one at a time).
 */
export async function startTraining(deps: TrainingDeps, input: { userId: string; origin: Origin }): Promise<Result<TrainingStatus & { incoming: Request | null }>> {
  return deps.store.transaction(async (tx) => {
    const found = await trainee(tx, input.userId);
    if (!found.ok) return found;
    const { user, authority } = found.value;
    const partner = await ensureTrainingPartner(tx, deps, authority.country);
    const state = await tx.onboarding.state(user.id);
    const now = deps.clock.now().toISOString();
    await tx.onboarding.saveState({ ...state, trainingMode: true, trainingStartedAt: state.trainingStartedAt ?? now });
    const requests = await sandbox(tx, user.id);
    const waiting = requests.some(
      (r) => r.requesterAuthorityId === partner.authority.id && !['closed', 'withdrawn'].includes(r.status),
    );
    let incoming: Request | null = null;
    if (!waiting) {
      const made = await incomingRequest(tx, deps, user, authority, partner, input.origin);
      if (!made.ok) return made;
      incoming = made.value;
      requests.push(incoming);
    }
    return ok({ on: true, partner: partner.authority, requests, completed: requests.some((r) => r.status === 'closed'), incoming });
  });
}

/** Switches training mode off; the sandbox stays as it is until reset. */
export async function stopTraining(deps: TrainingDeps, userId: string): Promise<Result<{ on: false }>> {
  const user = await deps.store.users.get(userId);
  if (!user || !user.active) return fail('USER.NOT_REGISTERED');
  const state = await deps.store.onboarding.state(user.id);
  await deps.store.onboarding.saveState({ ...state, trainingMode: false });
  return ok({ on: false });
}

/** Whether training mode is on, the user's partner and sandbox. */
export async function trainingStatus(deps: TrainingDeps, userId: string): Promise<Result<TrainingStatus>> {
  const user = await deps.store.users.get(userId);
  if (!user || !user.active) return fail('USER.NOT_REGISTERED');
  const state = await deps.store.onboarding.state(user.id);
  const requests = await sandbox(deps.store, user.id);
  const partnerIds = new Set(await deps.store.training.partnerIds());
  const partnerId = requests.map((r) => (partnerIds.has(r.requesterAuthorityId) ? r.requesterAuthorityId : r.responderAuthorityId)).find((id) => id && partnerIds.has(id));
  return ok({
    on: state.trainingMode,
    partner: partnerId ? await deps.store.authorities.get(partnerId) : null,
    requests,
    completed: requests.some((r) => r.status === 'closed'),
  });
}

/**
 * A training draft addressed to the user's simulated partner, numbered apart from live requests;
 * the user completes and sends it with actOnRequest like any draft.
 */
export async function createTrainingDraft(deps: TrainingDeps, input: { actorId: string; area: string; origin: Origin }): Promise<Result<Request>> {
  return deps.store.transaction(async (tx) => {
    const found = await trainee(tx, input.actorId);
    if (!found.ok) return found;
    const { user, authority } = found.value;
    const now = deps.clock.now();
    const area = deps.areas.get(input.area);
    const probe = newDraft({ id: 'probe', area: input.area, training: true }, { actor: user, now, area });
    if (!probe.ok) return probe;
    const partner = await ensureTrainingPartner(tx, deps, authority.country);
    const year = now.getUTCFullYear();
    const id = formatTrainingId(year, await tx.training.nextNumber(year));
    const made = newDraft({ id, area: input.area, training: true }, { actor: user, now, area });
    if (!made.ok) return made;
    const addressed = decide(made.value.request, { type: 'update_draft', changes: { responderAuthorityId: partner.authority.id } }, {
      actor: user, now, area: area!, requester: authority, responder: null,
    });
    if (!addressed.ok) return addressed;
    await insertTraining(tx, addressed.value.request, [made.value.event, addressed.value.event], user.id, input.origin);
    return ok(addressed.value.request);
  });
}

/** The inbox of the user's own sandbox: training requests only, and only theirs. */
export async function trainingInbox(deps: TrainingDeps, userId: string): Promise<Result<Inbox>> {
  const all = await inbox(deps, userId, { training: true });
  if (!all.ok) return all;
  const mine = new Set(await deps.store.training.requestsOf(userId));
  const only = <T extends { request: Request }>(items: T[]) => items.filter((i) => mine.has(i.request.id));
  return ok({ needsAction: only(all.value.needsAction), waiting: only(all.value.waiting), drafts: only(all.value.drafts) });
}

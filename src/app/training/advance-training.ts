import { DateTime } from 'luxon';
import type { Request } from '../../domain/request.ts';
import { nextPartnerStep, PROPOSED_EXTRA_DAYS, trainingPartnerUserId, type PartnerStepType } from '../../domain/training.ts';
import { fixedClock } from '../ports/clock.ts';
import { actOnRequest, type ActionInput } from '../requests/act-on-request.ts';
import { textsIn, type TrainingDeps } from './training-script.ts';

/** One move the simulated partner made, for the trainee's next turn ("the partner accepted …"). */
export interface TrainingStep {
  requestId: string;
  /** Whose sandbox the request is in. */
  userId: string | null;
  step: PartnerStepType;
  at: string;
}

/** A request never needs more partner moves in one go than this (propose, accept, answer). */
const MAX_STEPS_PER_REQUEST = 4;

const OPEN_FOR_PARTNER: Request['status'][] = ['sent', 'accepted', 'further_info_requested', 'answered'];

const plusDays = (date: string, days: number) => DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;

/**
 * Lets the simulated partners take every step that is due by the clock: accept (sometimes after
 * proposing a new deadline), answer, ask for more information, close. Each step runs through
 * actOnRequest at the time it was due, so history reads as if the partner were a person, and is
 * caught up after a pause. Called by a job or on the trainee's next turn; idempotent.
 */
export async function advanceTraining(deps: TrainingDeps): Promise<TrainingStep[]> {
  const partners = new Set(await deps.store.training.partnerIds());
  if (partners.size === 0) return [];
  const now = deps.clock.now();
  const taken: TrainingStep[] = [];
  for (const listed of await deps.store.requests.list({ training: true, statuses: OPEN_FOR_PARTNER })) {
    const partnerId = [listed.responderAuthorityId, listed.requesterAuthorityId].find((id) => id && partners.has(id));
    if (!partnerId) continue;
    const partner = await deps.store.authorities.get(partnerId);
    if (!partner) continue;
    const owner = await deps.store.training.ownerOf(listed.id);
    const ownerUser = owner ? await deps.store.users.get(owner) : null;
    const ownerAuthority = ownerUser ? await deps.store.authorities.get(ownerUser.authorityId) : null;
    const { lang, texts } = textsIn(deps.training, ownerUser?.language ?? ownerAuthority?.language);
    let request: Request | null = listed;
    for (let i = 0; request && i < MAX_STEPS_PER_REQUEST; i++) {
      const step = nextPartnerStep(request, partnerId);
      if (!step || step.at > now) break;
      const at = fixedClock(step.at);
      const action = actionFor(step.type, request, texts, lang, at.now());
      let done = await actOnRequest({ ...deps, clock: at }, {
        actorId: trainingPartnerUserId(partner.country), requestId: request.id, action, origin: 'system',
      });
      let type = step.type;
      // The trainee let the requested deadline pass before the partner got to it: propose a fresh one instead.
      if (!done.ok && step.type === 'accept' && done.error.code === 'REQUEST.DEADLINE_IN_PAST') {
        type = 'propose_deadline';
        done = await actOnRequest({ ...deps, clock: at }, {
          actorId: trainingPartnerUserId(partner.country),
          requestId: request.id,
          action: { type: 'propose_deadline', date: plusDays(at.now().toISOString().slice(0, 10), PROPOSED_EXTRA_DAYS), reason: texts.deadlineReason },
          origin: 'system',
        });
      }
      if (!done.ok) break;
      taken.push({ requestId: request.id, userId: owner, step: type, at: step.at.toISOString() });
      request = done.value.request;
    }
  }
  return taken;
}

function actionFor(
  type: PartnerStepType,
  request: Request,
  texts: ReturnType<typeof textsIn>['texts'],
  lang: string,
  at: Date,
): ActionInput {
  switch (type) {
    case 'propose_deadline': {
      const base = request.requestedDeadline ?? at.toISOString().slice(0, 10);
      return { type, date: plusDays(base, PROPOSED_EXTRA_DAYS), reason: texts.deadlineReason };
    }
    case 'accept':
    case 'close':
      return { type };
    case 'answer': {
      const items: Record<string, string> = Object.fromEntries(request.questions.map((q) => [q, texts.answer]));
      if (request.freeText.trim() || request.questions.length === 0) items.free = texts.freeTextAnswer;
      return { type, items, lang };
    }
    case 'request_info':
      return { type, message: texts.infoRequest, lang };
  }
}

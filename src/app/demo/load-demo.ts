import { DateTime } from 'luxon';
import type { Authority } from '../../domain/authority.ts';
import type { Identity, Role } from '../../domain/user.ts';
import { fixedClock } from '../ports/clock.ts';
import type { AppDeps } from '../deps.ts';
import type { Store, UnitOfWork } from '../ports/repositories.ts';
import { addAuthority } from '../people/register-authority.ts';
import { addUser } from '../people/register-user.ts';
import { createDraft } from '../requests/create-draft.ts';
import { actOnRequest, type ActionInput } from '../requests/act-on-request.ts';

export interface DemoStep {
  action: ActionInput['type'];
  by: string;
  daysAfterStart?: number;
  to?: string;
  date_in_days_from_now?: number;
  reason?: string;
  items?: Record<string, string>;
  lang?: string;
  message?: string;
}

export interface DemoRequest {
  ref: string;
  area: string;
  by: string;
  to: string;
  questions: string[];
  freeText: string;
  freeTextLang: string;
  subjectName: string;
  deadlineInDays: number;
  startDaysAgo: number;
  steps: DemoStep[];
}

export interface DemoDataset {
  authorities: (Omit<Authority, 'dataReviewedAt'> & { dataReviewedAt?: string | null })[];
  users: { id: string; authorityId: string; name: string; language: string | null; roles: Role[]; areas: string[]; identities: Identity[] }[];
  requests: DemoRequest[];
}

export interface DemoOutcome {
  loaded: boolean;
  authorities: number;
  users: number;
  requests: number;
}

const SYSTEM = { id: 'demo', origin: 'system' as const };

/**
 * The store seen from inside one open transaction: the use cases' own transactions join it
 * instead of committing on their own, so everything they write lands together or not at all.
 */
const joined = (store: Store, tx: UnitOfWork): Store => ({ ...store, ...tx, transaction: (work) => work(tx) });

/**
 * Loads the demo dataset through the same use cases officials use, so demo requests carry
 * real history. Loads nothing when its first authority is already there (idempotent).
 * All of it is one transaction: a load that fails or is killed midway leaves an empty database,
 * which the next start (it checks for any authority) loads again, instead of a partial demo it
 * would take for a loaded one.
 */
export async function loadDemo(deps: AppDeps, data: DemoDataset): Promise<DemoOutcome> {
  return deps.store.transaction((tx) => loadAll({ ...deps, store: joined(deps.store, tx) }, data));
}

async function loadAll(deps: AppDeps, data: DemoDataset): Promise<DemoOutcome> {
  const first = data.authorities[0];
  if (!first || (await deps.store.authorities.get(first.id))) {
    return { loaded: false, authorities: 0, users: 0, requests: 0 };
  }
  const now = DateTime.fromJSDate(deps.clock.now());
  const must = <T>(what: string, r: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
    if (!r.ok) throw new Error(`demo dataset: ${what}: ${r.error.code}`);
    return r.value;
  };
  // Coordinating authorities first, so every coordinatorId points at an existing authority.
  const ordered = [...data.authorities].sort((a, b) => Number(!!a.coordinatorId) - Number(!!b.coordinatorId));
  for (const a of ordered) {
    must(`authority ${a.id}`, await addAuthority(deps, a, SYSTEM));
    if (a.dataReviewedAt) {
      await deps.store.transaction((tx) => tx.authorities.update({ ...a, dataReviewedAt: a.dataReviewedAt ?? null }));
    }
  }
  for (const u of data.users) must(`user ${u.id}`, await addUser(deps, u, SYSTEM));

  for (const r of data.requests) {
    const start = now.minus({ days: r.startDaysAgo });
    const at = (days = 0) => ({ ...deps, clock: fixedClock(start.plus({ days, minutes: 5 }).toJSDate()) });
    const draft = must(`request ${r.ref}`, await createDraft(at(), { actorId: r.by, area: r.area, origin: 'system' }));
    const changes = {
      responderAuthorityId: r.to,
      questions: r.questions,
      freeText: r.freeText,
      freeTextLang: r.freeTextLang,
      subjectName: r.subjectName,
      requestedDeadline: start.plus({ days: r.deadlineInDays }).toISODate(),
    };
    must(`request ${r.ref} draft`, await actOnRequest(at(), {
      actorId: r.by, requestId: draft.id, action: { type: 'update_draft', changes }, origin: 'system',
    }));
    for (const step of r.steps) {
      const action = stepAction(step, now);
      must(`request ${r.ref} ${step.action}`, await actOnRequest(at(step.daysAfterStart), {
        actorId: step.by, requestId: draft.id, action, origin: 'system',
      }));
    }
  }
  return { loaded: true, authorities: data.authorities.length, users: data.users.length, requests: data.requests.length };
}

function stepAction(step: DemoStep, now: DateTime): ActionInput {
  switch (step.action) {
    case 'forward':
      return { type: 'forward', to: step.to ?? '' };
    case 'propose_deadline':
      return {
        type: 'propose_deadline',
        date: now.plus({ days: step.date_in_days_from_now ?? 20 }).toISODate()!,
        reason: step.reason ?? '',
      };
    case 'answer':
      return { type: 'answer', items: step.items ?? {}, lang: step.lang ?? 'en' };
    case 'request_info':
      return { type: 'request_info', message: step.message ?? '', lang: step.lang ?? 'en' };
    case 'refer':
      return { type: 'refer', reason: step.reason ?? '' };
    case 'update_draft':
      return { type: 'update_draft', changes: {} };
    default:
      return { type: step.action };
  }
}

import type { Authority } from '../../domain/authority.ts';
import { onboardingChecklist as judge, type ChecklistItem } from '../../domain/onboarding.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { hasRole, holdsRights } from '../../domain/user.ts';
import type { AppDeps, Origin } from '../deps.ts';

export interface Onboarding {
  items: ChecklistItem[];
  done: number;
  total: number;
}

/** The new user's checklist, ticked from the data wherever the data can tell. */
export async function onboardingChecklist(deps: AppDeps, userId: string): Promise<Result<Onboarding>> {
  const user = await deps.store.users.get(userId);
  if (!user || !user.active) return fail('USER.NOT_REGISTERED');
  const authority = await deps.store.authorities.get(user.authorityId);
  const state = await deps.store.onboarding.state(user.id);
  const colleagues = (await deps.store.users.ofAuthority(user.authorityId)).filter((u) => u.id !== user.id);
  const handledAreas = hasRole(user, 'handler') ? user.areas : [];
  const backupsByArea = Object.fromEntries(handledAreas.map((a) => [a, colleagues.filter((c) => holdsRights(c, a)).length]));
  const sandbox = await Promise.all((await deps.store.training.requestsOf(user.id)).map((id) => deps.store.requests.get(id)));
  const completed = sandbox
    .filter((r) => r?.training && r.status === 'closed' && r.closedAt)
    .map((r) => r!.closedAt!)
    .sort()[0];
  const items = judge({
    now: deps.clock.now(),
    inboxOpenedAt: state.inboxOpenedAt,
    partnersViewedAt: state.partnersViewedAt,
    handledAreas,
    backupsByArea,
    dataReviewedAt: authority?.dataReviewedAt ?? null,
    trainingCompletedAt: completed ?? null,
    usersReviewedAt: (await deps.store.onboarding.usersReviewed(user.authorityId))?.at ?? null,
  });
  return ok({ items, done: items.filter((i) => i.done).length, total: items.length });
}

/** Records that the user looked at their inbox (the checklist's first item); the first time counts. */
export async function noteInboxOpened(deps: AppDeps, userId: string): Promise<void> {
  const state = await deps.store.onboarding.state(userId);
  if (state.inboxOpenedAt) return;
  await deps.store.onboarding.saveState({ ...state, inboxOpenedAt: deps.clock.now().toISOString() });
}

export interface PartnerArea {
  area: string;
  /** Authorities of other countries competent in the area, with how many live requests the user's authority exchanged with each. */
  authorities: { authority: Authority; exchanged: number }[];
}

/**
 * The foreign authorities the user will exchange information with: those of other countries
 * competent in the user's areas, the ones already worked with first. Viewing it ticks the checklist item.
 */
export async function partnerAuthorities(deps: AppDeps, userId: string): Promise<Result<PartnerArea[]>> {
  const user = await deps.store.users.get(userId);
  if (!user || !user.active) return fail('USER.NOT_REGISTERED');
  const own = await deps.store.authorities.get(user.authorityId);
  const areas = user.areas.length > 0 ? user.areas : own?.areas ?? [];
  const all = await deps.store.authorities.list();
  const requests = await deps.store.requests.list({ authorityId: user.authorityId, training: false });
  const exchanged = new Map<string, number>();
  for (const r of requests) {
    if (r.status === 'draft') continue;
    const other = r.requesterAuthorityId === user.authorityId ? r.responderAuthorityId : r.requesterAuthorityId;
    if (other) exchanged.set(`${r.area}:${other}`, (exchanged.get(`${r.area}:${other}`) ?? 0) + 1);
  }
  const result = areas.map((area) => ({
    area,
    authorities: all
      .filter((a) => a.country !== own?.country && a.areas.includes(area))
      .map((authority) => ({ authority, exchanged: exchanged.get(`${area}:${authority.id}`) ?? 0 }))
      .sort((a, b) => b.exchanged - a.exchanged || a.authority.country.localeCompare(b.authority.country) || a.authority.name.localeCompare(b.authority.name)),
  }));
  const state = await deps.store.onboarding.state(user.id);
  if (!state.partnersViewedAt) await deps.store.onboarding.saveState({ ...state, partnersViewedAt: deps.clock.now().toISOString() });
  return ok(result);
}

/**
 * A local admin confirms that users who no longer work with IMI were removed from the authority;
 * the checklist item stays ticked for a year.
 */
export async function confirmUsersReviewed(deps: AppDeps, input: { actorId: string; origin: Origin }): Promise<Result<{ authorityId: string; at: string }>> {
  return deps.store.transaction(async (tx) => {
    const actor = await tx.users.get(input.actorId);
    if (!actor || !actor.active) return fail('USER.NOT_REGISTERED');
    if (!hasRole(actor, 'local_admin')) return fail('ADMIN.FORBIDDEN');
    const at = deps.clock.now().toISOString();
    await tx.onboarding.confirmUsersReviewed(actor.authorityId, at, actor.id);
    await tx.audit.append({ at, actorId: actor.id, channel: input.origin, action: 'authority.users_reviewed', target: actor.authorityId, details: {} });
    return ok({ authorityId: actor.authorityId, at });
  });
}

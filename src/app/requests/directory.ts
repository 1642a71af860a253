import type { Authority } from '../../domain/authority.ts';
import type { AppDeps } from '../deps.ts';

/** Authorities that can receive a request of an area from the given authority: other countries, competent, live. */
export async function competentAuthorities(deps: AppDeps, area: string, from: Authority): Promise<Authority[]> {
  const all = await deps.store.authorities.list();
  return all.filter((a) => a.areas.includes(area) && a.country !== from.country && !isTrainingAuthority(a));
}

/** Authorities a responder may forward a request to: same country, competent, not itself. */
export async function forwardTargets(deps: AppDeps, area: string, from: Authority): Promise<Authority[]> {
  const all = await deps.store.authorities.list();
  return all.filter((a) => a.areas.includes(area) && a.country === from.country && a.id !== from.id && !isTrainingAuthority(a));
}

/** Simulated partners of the training mode never appear among real authorities. */
export const isTrainingAuthority = (a: Authority): boolean => a.id.startsWith('training-');

import { COUNTRIES } from '../../domain/authority.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { hasRole } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import { resolvePrincipal, type AdminActor } from '../admin/principal.ts';
import type { AuthorityScope } from '../ports/coordinator.repository.ts';

/** What a coordinator tool was asked to look at. */
export interface ScopeInput {
  /** The operator may name any coordinating authority; a coordinator always sees their own. */
  coordinatorAuthorityId?: string;
  country?: string;
}

/** The scope and the time zone "today" is read in for the person asking. */
export interface ResolvedScope {
  scope: AuthorityScope;
  timezone: string;
}

/**
 * Who may see which authorities: a coordinator sees the authorities their own authority
 * coordinates and nothing else, whatever they ask for; the operator at the command line sees
 * every authority, or those of one coordinator.
 */
export async function resolveScope(deps: AppDeps, input: ScopeInput, by: AdminActor): Promise<Result<ResolvedScope>> {
  const country = input.country?.trim().toUpperCase() || undefined;
  if (country && !(COUNTRIES as readonly string[]).includes(country)) {
    return fail('AUTHORITY.INVALID_COUNTRY', { country: input.country ?? '' }, 'country');
  }
  const principal = await resolvePrincipal(deps.store, by);
  if (!principal.ok) return principal;
  if (principal.value.kind === 'user') {
    const user = principal.value.user;
    if (!hasRole(user, 'coordinator')) return fail('SCOREBOARD.NOT_COORDINATOR');
    const own = await deps.store.authorities.get(user.authorityId);
    return ok({ scope: { coordinatorId: user.authorityId, country }, timezone: own?.timezone ?? 'UTC' });
  }
  const coordinatorId = input.coordinatorAuthorityId?.trim() || undefined;
  if (coordinatorId && !(await deps.store.authorities.get(coordinatorId))) {
    return fail('AUTHORITY.NOT_FOUND', { id: coordinatorId }, 'coordinator');
  }
  return ok({ scope: { coordinatorId, country }, timezone: 'UTC' });
}

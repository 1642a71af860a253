import { mayRegisterAuthority } from '../../domain/admin.ts';
import type { Authority } from '../../domain/authority.ts';
import { fail, type Result } from '../../domain/result.ts';
import type { AppDeps } from '../deps.ts';
import { addAuthority, type AuthorityInput } from '../people/register-authority.ts';
import { principalId, resolvePrincipal, type AdminActor } from './principal.ts';

/**
 * A coordinator registers a competent authority of their own country; it is coordinated by the
 * coordinator's authority. Areas are assigned here and later with updateAuthorityData.
 */
export async function registerCoordinatedAuthority(deps: AppDeps, input: AuthorityInput, by: AdminActor): Promise<Result<Authority>> {
  const principal = await resolvePrincipal(deps.store, by);
  if (!principal.ok) return principal;
  const country = (input.country ?? '').toUpperCase();
  let coordinatorId = input.coordinatorId ?? null;
  if (principal.value.kind === 'user') {
    const own = await deps.store.authorities.get(principal.value.user.authorityId);
    if (!mayRegisterAuthority(principal.value, own?.country ?? null, country)) return fail('ADMIN.FORBIDDEN');
    coordinatorId = principal.value.user.authorityId;
  }
  return addAuthority(deps, { ...input, country, coordinatorId }, { id: principalId(principal.value), origin: by.origin });
}

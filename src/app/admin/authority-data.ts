import { mayEditAuthority, mayViewAuthority } from '../../domain/admin.ts';
import type { Authority } from '../../domain/authority.ts';
import { fail, type Result } from '../../domain/result.ts';
import type { AppDeps } from '../deps.ts';
import { updateAuthority } from '../people/register-authority.ts';
import { authorityOrFail, principalId, resolvePrincipal, type AdminActor } from './principal.ts';

/** What a local admin keeps current; id, country and coordinator are the coordinators' business. */
export interface AuthorityDataChanges {
  name?: string;
  contact?: Authority['contact'];
  language?: string;
  timezone?: string;
  areas?: string[];
}

export interface UpdateAuthorityData {
  authorityId: string;
  changes?: AuthorityDataChanges;
  /** Confirms the data as current: sets dataReviewedAt to now. */
  confirm?: boolean;
}

/** An authority's data as its officials, local admins and coordinators may see it. */
export async function viewAuthorityData(deps: AppDeps, input: { authorityId: string }, by: AdminActor): Promise<Result<Authority>> {
  const principal = await resolvePrincipal(deps.store, by);
  if (!principal.ok) return principal;
  const authority = await authorityOrFail(deps.store, input.authorityId);
  if (!authority.ok) return authority;
  return mayViewAuthority(principal.value, authority.value) ? authority : fail('ADMIN.FORBIDDEN');
}

/**
 * Changes an authority's contact data, language, time zone or areas, and/or confirms the data
 * as current. Only its local admins and its coordinators may; the change itself goes through
 * the same validation as registration.
 */
export async function updateAuthorityData(deps: AppDeps, input: UpdateAuthorityData, by: AdminActor): Promise<Result<Authority>> {
  const principal = await resolvePrincipal(deps.store, by);
  if (!principal.ok) return principal;
  const authority = await authorityOrFail(deps.store, input.authorityId);
  if (!authority.ok) return authority;
  if (!mayEditAuthority(principal.value, authority.value)) return fail('ADMIN.FORBIDDEN');
  const c = input.changes ?? {};
  return updateAuthority(
    deps,
    {
      id: authority.value.id,
      name: c.name,
      contact: c.contact,
      language: c.language,
      timezone: c.timezone,
      areas: c.areas,
      dataReviewedAt: input.confirm ? deps.clock.now().toISOString() : undefined,
    },
    { id: principalId(principal.value), origin: by.origin },
  );
}

/** "Confirm data is current": records the review without changing anything else. */
export const confirmAuthorityData = (deps: AppDeps, input: { authorityId: string }, by: AdminActor): Promise<Result<Authority>> =>
  updateAuthorityData(deps, { authorityId: input.authorityId, confirm: true }, by);

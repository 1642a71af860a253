import {
  areasWithoutBackup,
  checkRoleChange,
  coordinates,
  isLastLocalAdmin,
  mayAdministerUsers,
  mayViewAuthority,
} from '../../domain/admin.ts';
import type { Authority } from '../../domain/authority.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { validateUser, type Role, type User } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import { authorityOrFail, principalId, resolvePrincipal, type AdminActor } from './principal.ts';

export interface RightsChange {
  userId: string;
  roles?: Role[];
  areas?: string[];
  language?: string | null;
  name?: string;
}

/**
 * Changes a colleague's roles, area rights, language or name. A local admin acts within their
 * own authority only, cannot hand out the coordinator role, and cannot take the last local
 * admin role away; a coordinator may do so for the authorities they coordinate.
 */
export async function changeUserRights(deps: AppDeps, input: RightsChange, by: AdminActor): Promise<Result<User>> {
  return deps.store.transaction(async (tx) => {
    const principal = await resolvePrincipal(tx, by);
    if (!principal.ok) return principal;
    const user = await tx.users.get(input.userId);
    if (!user || !user.active) return fail('USER.NOT_FOUND', { id: input.userId }, 'id');
    const authority = await tx.authorities.get(user.authorityId);
    if (!authority) return fail('AUTHORITY.NOT_FOUND', { id: user.authorityId });
    if (!mayAdministerUsers(principal.value, authority)) return fail('ADMIN.FORBIDDEN');
    const changed: User = {
      ...user,
      roles: input.roles ?? user.roles,
      areas: input.areas ?? user.areas,
      language: input.language === undefined ? user.language : input.language,
      name: input.name ?? user.name,
    };
    const roleCheck = checkRoleChange(principal.value, user.roles, changed.roles);
    if (!roleCheck.ok) return roleCheck;
    const losesAdmin = user.roles.includes('local_admin') && !changed.roles.includes('local_admin');
    if (losesAdmin && !coordinates(principal.value, authority) && isLastLocalAdmin(user, await tx.users.ofAuthority(authority.id))) {
      return fail('ADMIN.LAST_LOCAL_ADMIN', { name: user.name }, 'roles');
    }
    const valid = validateUser(changed, authority, deps.areas);
    if (!valid.ok) return valid;
    await tx.users.update(valid.value);
    await tx.audit.append({
      at: deps.clock.now().toISOString(),
      actorId: principalId(principal.value),
      channel: by.origin,
      action: 'user.change_rights',
      target: user.id,
      details: {
        roles: valid.value.roles.join(','),
        areas: valid.value.areas.join(','),
        rolesBefore: user.roles.join(','),
        areasBefore: user.areas.join(','),
      },
    });
    return ok(valid.value);
  });
}

export interface AuthorityStaff {
  authority: Authority;
  /** Active officials, by name. */
  users: User[];
  /** Areas where fewer than two officials hold rights: a backup colleague is missing. */
  areasWithoutBackup: string[];
}

/** The officials of an authority, for the admin dialogues to pick from. */
export async function authorityStaff(deps: AppDeps, input: { authorityId: string }, by: AdminActor): Promise<Result<AuthorityStaff>> {
  const principal = await resolvePrincipal(deps.store, by);
  if (!principal.ok) return principal;
  const authority = await authorityOrFail(deps.store, input.authorityId);
  if (!authority.ok) return authority;
  if (!mayViewAuthority(principal.value, authority.value)) return fail('ADMIN.FORBIDDEN');
  const users = await deps.store.users.ofAuthority(authority.value.id);
  return ok({ authority: authority.value, users, areasWithoutBackup: areasWithoutBackup(authority.value, users) });
}

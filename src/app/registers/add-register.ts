import { mayAdministerUsers } from '../../domain/admin.ts';
import { registerIdFrom, validateRegister, type RegisterEntry } from '../../domain/register.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { hasRole } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import { authorityOrFail, principalId, resolvePrincipal, type AdminActor } from '../admin/principal.ts';

export interface RegisterInput {
  /** Derived from country and name when not given. */
  id?: string;
  /** Defaults to the owning authority's country. */
  country?: string;
  areas: string[];
  /** In `lang`; merged with the names the entry already has in other languages. */
  name?: string;
  description?: string;
  /** The language of name and description; defaults to the actor's, else the authority's, else English. */
  lang?: string;
  url: string;
  free?: boolean;
  /** The authority that keeps the entry current; defaults to the actor's own. */
  ownerAuthorityId?: string | null;
}

/**
 * Adds a register to the directory or updates one. Local admins (and coordinators) act for
 * their own authority's registers of their own country; entries shipped with the directory
 * or kept by another authority are refused to them. The operator may change any entry.
 */
export async function addRegister(deps: AppDeps, input: RegisterInput, by: AdminActor): Promise<Result<{ entry: RegisterEntry; created: boolean }>> {
  return deps.store.transaction(async (tx) => {
    const principal = await resolvePrincipal(tx, by);
    if (!principal.ok) return principal;
    const p = principal.value;
    let ownerId = input.ownerAuthorityId ?? null;
    if (p.kind === 'user') {
      if (!hasRole(p.user, 'local_admin') && !hasRole(p.user, 'coordinator')) return fail('ADMIN.FORBIDDEN');
      ownerId ??= p.user.authorityId;
    }
    const owner = ownerId ? await authorityOrFail(tx, ownerId) : null;
    if (owner && !owner.ok) return owner;
    if (owner && !mayAdministerUsers(p, owner.value)) return fail('ADMIN.FORBIDDEN');
    const country = (input.country ?? owner?.value.country ?? '').toUpperCase();
    if (p.kind === 'user' && owner && country !== owner.value.country) return fail('ADMIN.FORBIDDEN');
    const lang = input.lang ?? (p.kind === 'user' ? p.user.language : null) ?? owner?.value.language ?? 'en';
    if (!input.id && !input.name?.trim()) return fail('REGISTER.NAME_REQUIRED', {}, 'name');
    const id = input.id ?? registerIdFrom(country, input.name ?? '');
    const existing = await tx.registers.get(id);
    if (existing && p.kind === 'user') {
      const keeper = existing.ownerAuthorityId ? await tx.authorities.get(existing.ownerAuthorityId) : null;
      if (!keeper || !mayAdministerUsers(p, keeper)) return fail('ADMIN.FORBIDDEN');
    }
    const now = deps.clock.now().toISOString();
    const withText = (texts: Record<string, string> | undefined, text: string | undefined) =>
      text === undefined ? { ...texts } : { ...texts, [lang]: text };
    const candidate: RegisterEntry = {
      id,
      country,
      areas: input.areas,
      name: withText(existing?.name, input.name),
      description: withText(existing?.description, input.description),
      url: input.url,
      free: input.free ?? existing?.free ?? true,
      ownerAuthorityId: owner?.value.id ?? existing?.ownerAuthorityId ?? null,
      updatedAt: now,
    };
    const valid = validateRegister(candidate, deps.areas);
    if (!valid.ok) return valid;
    await tx.registers.upsert(valid.value);
    await tx.audit.append({
      at: now,
      actorId: principalId(p),
      channel: by.origin,
      action: existing ? 'register.update' : 'register.add',
      target: id,
      details: { country, areas: valid.value.areas.join(','), owner: valid.value.ownerAuthorityId, url: valid.value.url },
    });
    return ok({ entry: valid.value, created: !existing });
  });
}

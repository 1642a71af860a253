import { fail, ok, type Result } from '../../domain/result.ts';
import { validateUser, type Identity, type Role, type User } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import type { Actor } from './register-authority.ts';

export interface UserInput {
  id: string;
  authorityId: string;
  name: string;
  language?: string | null;
  roles?: Role[];
  areas?: string[];
  identities?: Identity[];
}

/** Registers an official of an authority; every identity may belong to one user only. */
export async function addUser(deps: AppDeps, input: UserInput, by: Actor): Promise<Result<User>> {
  return deps.store.transaction(async (tx) => {
    if (await tx.users.get(input.id)) return fail('USER.ALREADY_EXISTS', { id: input.id }, 'id');
    const authority = await tx.authorities.get(input.authorityId);
    const candidate: User = {
      id: input.id,
      authorityId: input.authorityId,
      name: input.name,
      language: input.language ?? null,
      roles: input.roles ?? ['handler'],
      areas: input.areas ?? [],
      identities: input.identities ?? [{ channel: 'web', externalId: input.id }],
      active: true,
    };
    const valid = validateUser(candidate, authority, deps.areas);
    if (!valid.ok) return valid;
    for (const identity of valid.value.identities) {
      const owner = await tx.users.byIdentity(identity);
      if (owner) return fail('USER.IDENTITY_TAKEN', { identity: identity.externalId }, identity.channel);
    }
    await tx.users.insert(valid.value);
    await tx.audit.append({
      at: deps.clock.now().toISOString(),
      actorId: by.id,
      channel: by.origin,
      action: 'user.add',
      target: valid.value.id,
      details: { authority: valid.value.authorityId, roles: valid.value.roles.join(',') },
    });
    return ok(valid.value);
  });
}

import type { Authority } from '../../domain/authority.ts';
import type { Identity, User } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';

export interface Identified {
  user: User;
  authority: Authority;
}

/** The registered, active user behind a channel identity, with their authority; null for strangers. */
export async function identify(deps: AppDeps, identity: Identity): Promise<Identified | null> {
  const user = await deps.store.users.byIdentity(identity);
  if (!user) return null;
  const authority = await deps.store.authorities.get(user.authorityId);
  return authority ? { user, authority } : null;
}

/**
 * Whom a stranger should ask to be registered: the local admins and coordinators of the
 * authorities whose users share their Slack workspace or Teams tenant.
 */
export async function contactsForWorkspace(deps: AppDeps, channel: Identity['channel'], workspace: string): Promise<{ name: string; authority: string }[]> {
  const users = await deps.store.users.list();
  const prefix = `${workspace}:`;
  const authorityIds = new Set(
    users.filter((u) => u.active && u.identities.some((i) => i.channel === channel && i.externalId.startsWith(prefix))).map((u) => u.authorityId),
  );
  const contacts: { name: string; authority: string }[] = [];
  for (const id of authorityIds) {
    const authority = await deps.store.authorities.get(id);
    if (!authority) continue;
    const admins = users.filter((u) => u.active && u.authorityId === id && u.roles.includes('local_admin'));
    const coordinatorAuthority = authority.coordinatorId ? await deps.store.authorities.get(authority.coordinatorId) : null;
    const coordinators = coordinatorAuthority
      ? users.filter((u) => u.active && u.authorityId === coordinatorAuthority.id && u.roles.includes('coordinator'))
      : [];
    for (const u of admins) contacts.push({ name: u.name, authority: authority.name });
    for (const u of coordinators) contacts.push({ name: u.name, authority: coordinatorAuthority!.name });
  }
  return contacts;
}

import type { Authority } from '../../domain/authority.ts';
import { hasRole, type User } from '../../domain/user.ts';
import type { UnitOfWork } from '../ports/repositories.ts';
import type { ContactRole, LanguageKb, Placeholder } from './knowledge-base.ts';

/** The people who can really help a user, found in the database. */
export interface HelpContacts {
  user: User | null;
  authority: Authority | null;
  /** The coordinating authority of the user's (or the user's own when it coordinates itself). */
  coordinatorAuthority: Authority | null;
  coordinators: User[];
  /** The top of the user's coordination chain: the authority coordinated by nobody. */
  nationalAuthority: Authority | null;
  nationalCoordinators: User[];
  localAdmins: User[];
  helpdesk: string | null;
}

/** A person or office to turn to, as a card shows it. */
export interface ResolvedContact {
  role: ContactRole;
  /** Names of the people, joined; null when the data has none. */
  name: string | null;
  authority: string | null;
  /** E-mail and phone, or the helpdesk contact. */
  details: string | null;
}

const coordinatorsAt = async (tx: UnitOfWork, authorityId: string): Promise<User[]> =>
  (await tx.users.ofAuthority(authorityId)).filter((u) => hasRole(u, 'coordinator'));

export const contactLine = (a: Authority | null): string | null =>
  a ? [a.contact.email, a.contact.phone].filter(Boolean).join(', ') || null : null;

/** Looks up a user's coordinator, national coordinator, local admins and helpdesk. */
export async function resolveContacts(tx: UnitOfWork, userId: string | null): Promise<HelpContacts> {
  const user = userId ? await tx.users.get(userId) : null;
  const authority = user ? await tx.authorities.get(user.authorityId) : null;
  if (!user || !authority) {
    return {
      user, authority, coordinatorAuthority: null, coordinators: [], nationalAuthority: null,
      nationalCoordinators: [], localAdmins: [], helpdesk: null,
    };
  }
  const coordinatorAuthority = authority.coordinatorId ? await tx.authorities.get(authority.coordinatorId) : authority;
  // Coordination chains are short (area coordinator → national); the bound guards against a cycle in the data.
  let national = coordinatorAuthority ?? authority;
  for (let hops = 0; national.coordinatorId && national.coordinatorId !== national.id && hops < 5; hops++) {
    const up = await tx.authorities.get(national.coordinatorId);
    if (!up) break;
    national = up;
  }
  const localAdmins = (await tx.users.ofAuthority(authority.id)).filter((u) => hasRole(u, 'local_admin'));
  return {
    user,
    authority,
    coordinatorAuthority,
    coordinators: coordinatorAuthority ? await coordinatorsAt(tx, coordinatorAuthority.id) : [],
    nationalAuthority: national,
    nationalCoordinators: await coordinatorsAt(tx, national.id),
    localAdmins,
    helpdesk:
      authority.contact.helpdesk ?? coordinatorAuthority?.contact.helpdesk ?? national.contact.helpdesk ?? null,
  };
}

const names = (people: User[]): string | null => (people.length > 0 ? people.map((p) => p.name).join(', ') : null);

/** The contact an answer points to, filled from the data. */
export function contactFor(role: ContactRole, c: HelpContacts): ResolvedContact {
  switch (role) {
    case 'coordinator':
      return { role, name: names(c.coordinators), authority: c.coordinatorAuthority?.name ?? null, details: contactLine(c.coordinatorAuthority) };
    case 'national_coordinator':
      return { role, name: names(c.nationalCoordinators), authority: c.nationalAuthority?.name ?? null, details: contactLine(c.nationalAuthority) };
    case 'local_admin':
      return { role, name: names(c.localAdmins), authority: c.authority?.name ?? null, details: contactLine(c.authority) };
    case 'helpdesk':
      return { role, name: null, authority: null, details: c.helpdesk };
  }
}

/**
 * The values of an answer's placeholders: the asker's real people where the data has them,
 * the language's neutral wording ("your authority's IMI coordinator") where it has not.
 */
export function placeholderValues(
  c: HelpContacts,
  kb: LanguageKb,
  areaName: (areaId: string) => string,
): Record<string, string> {
  const known: Partial<Record<Placeholder, string | null>> = {
    userName: c.user?.name ?? null,
    authorityName: c.authority?.name ?? null,
    coordinatorName: names(c.coordinators) ?? c.coordinatorAuthority?.name ?? null,
    coordinatorAuthority: c.coordinatorAuthority?.name ?? null,
    coordinatorContact: contactLine(c.coordinatorAuthority),
    nationalCoordinatorName: names(c.nationalCoordinators) ?? c.nationalAuthority?.name ?? null,
    nationalCoordinatorAuthority: c.nationalAuthority?.name ?? null,
    nationalCoordinatorContact: contactLine(c.nationalAuthority),
    localAdmins: names(c.localAdmins),
    helpdesk: c.helpdesk,
    areas: c.user && c.user.areas.length > 0 ? c.user.areas.map(areaName).join(', ') : null,
  };
  const values: Record<string, string> = {};
  for (const [name, fallback] of Object.entries(kb.fallbacks)) values[name] = known[name as Placeholder] || fallback;
  for (const [name, word] of Object.entries(kb.commands)) values[`cmd.${name}`] = word;
  return values;
}

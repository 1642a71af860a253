import { fail, ok, type Result } from './result.ts';
import { isValidId, isValidLanguage, type Authority } from './authority.ts';
import type { AreaCatalog } from './area.ts';

export const ROLES = ['handler', 'local_admin', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];

export const CHANNELS = ['slack', 'teams', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];

/** How a person is known on one chat platform: Slack `team:user`, Teams `tenant:aadObjectId`, web login. */
export interface Identity {
  channel: Channel;
  externalId: string;
}

/** An official of one authority. */
export interface User {
  id: string;
  authorityId: string;
  name: string;
  /** The language the user chose; null until they choose, then platform locale and authority default apply. */
  language: string | null;
  roles: Role[];
  areas: string[];
  identities: Identity[];
  active: boolean;
}

export const hasRole = (user: User, role: Role): boolean => user.active && user.roles.includes(role);

/** Whether the user may send and handle requests of this area for their authority. */
export const holdsRights = (user: User, area: string): boolean => hasRole(user, 'handler') && user.areas.includes(area);

const IDENTITY_PATTERNS: Record<Channel, RegExp> = {
  slack: /^[A-Z0-9]+:[A-Z0-9]+$/,
  teams: /^[0-9a-fA-F-]+:[0-9a-fA-F-]+$/,
  web: /^[A-Za-z0-9._@-]+$/,
};

export const isValidIdentity = (i: Identity): boolean => IDENTITY_PATTERNS[i.channel].test(i.externalId);

export function validateUser(u: User, authority: Authority | null, areas: AreaCatalog): Result<User> {
  if (!isValidId(u.id)) return fail('USER.INVALID_ID', { id: u.id }, 'id');
  if (!authority) return fail('AUTHORITY.NOT_FOUND', { id: u.authorityId }, 'authority');
  if (!u.name.trim()) return fail('USER.NAME_REQUIRED', {}, 'name');
  if (u.language !== null && !isValidLanguage(u.language)) {
    return fail('USER.INVALID_LANGUAGE', { language: u.language }, 'lang');
  }
  const badRole = u.roles.find((r) => !(ROLES as readonly string[]).includes(r));
  if (badRole) return fail('USER.INVALID_ROLE', { role: badRole }, 'roles');
  const unknown = u.areas.find((a) => !areas.has(a));
  if (unknown) return fail('USER.UNKNOWN_AREA', { area: unknown }, 'areas');
  const foreign = u.areas.find((a) => !authority.areas.includes(a));
  if (foreign) return fail('USER.UNKNOWN_AREA', { area: foreign }, 'areas');
  const badIdentity = u.identities.find((i) => !isValidIdentity(i));
  if (badIdentity) return fail('USER.INVALID_IDENTITY', { identity: badIdentity.externalId }, badIdentity.channel);
  return ok({ ...u, name: u.name.trim() });
}

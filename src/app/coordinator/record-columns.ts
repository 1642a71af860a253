import type { Authority } from '../../domain/authority.ts';
import type { User } from '../../domain/user.ts';

/**
 * The columns of the authority and user files that `imi import` reads and `imi export` writes:
 * one set, so that an exported file imports again unchanged. Lists (areas, roles) hold their
 * items separated by "|" (or "," / ";" inside a quoted field).
 */
export const AUTHORITY_COLUMNS = ['id', 'name', 'country', 'language', 'timezone', 'areas', 'coordinator', 'email', 'phone', 'address', 'helpdesk'] as const;
export type AuthorityColumn = (typeof AUTHORITY_COLUMNS)[number];
export const REQUIRED_AUTHORITY_COLUMNS: AuthorityColumn[] = ['id', 'name', 'country'];

export const USER_COLUMNS = ['id', 'authority', 'name', 'language', 'roles', 'areas', 'slack', 'teams'] as const;
export type UserColumn = (typeof USER_COLUMNS)[number];
export const REQUIRED_USER_COLUMNS: UserColumn[] = ['id', 'authority', 'name'];

export const CONTACT_COLUMNS = ['email', 'phone', 'address', 'helpdesk'] as const;

/** One data line of a file: its line number (the header is line 1) and its cells by column. */
export interface RecordRow<C extends string> {
  line: number;
  cells: Partial<Record<C, string>>;
}

/** Splits a list cell; ids, areas and roles never contain the separators. */
export const splitList = (cell: string | undefined): string[] =>
  (cell ?? '').split(/[|,;]/).map((s) => s.trim()).filter(Boolean);

export const joinList = (items: string[]): string => items.join('|');

/** The field names of domain errors, as the column they come from. */
export const COLUMN_OF_FIELD: Record<string, string> = { lang: 'language', web: 'id' };

export function authorityCells(a: Authority): Record<AuthorityColumn, string> {
  return {
    id: a.id,
    name: a.name,
    country: a.country,
    language: a.language,
    timezone: a.timezone,
    areas: joinList(a.areas),
    coordinator: a.coordinatorId ?? '',
    email: a.contact.email ?? '',
    phone: a.contact.phone ?? '',
    address: a.contact.address ?? '',
    helpdesk: a.contact.helpdesk ?? '',
  };
}

export function userCells(u: User): Record<UserColumn, string> {
  const identity = (channel: 'slack' | 'teams') => u.identities.find((i) => i.channel === channel)?.externalId ?? '';
  return {
    id: u.id,
    authority: u.authorityId,
    name: u.name,
    language: u.language ?? '',
    roles: joinList(u.roles),
    areas: joinList(u.areas),
    slack: identity('slack'),
    teams: identity('teams'),
  };
}

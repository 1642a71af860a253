import type { Authority } from './authority.ts';
import { OPEN_STATUSES, type Request, type RequestStatus } from './request.ts';
import { fail, ok, type Result } from './result.ts';
import { hasRole, holdsRights, type Role, type User } from './user.ts';

/**
 * Who administers: an operator at the command line (trusted with everything, like a database
 * administrator) or an official acting in chat, whose roles decide what they may touch.
 */
export type Principal = { kind: 'operator'; id: string } | { kind: 'user'; user: User };

/** Whether the principal coordinates the authority: it is their own, or theirs is its coordinator. */
export function coordinates(p: Principal, authority: Pick<Authority, 'id' | 'coordinatorId'>): boolean {
  if (p.kind === 'operator') return true;
  if (!hasRole(p.user, 'coordinator')) return false;
  return authority.id === p.user.authorityId || authority.coordinatorId === p.user.authorityId;
}

/**
 * May register, change and remove the users of an authority: its local admins, and the
 * coordinators of it (who register the first official of a new authority).
 */
export function mayAdministerUsers(p: Principal, authority: Pick<Authority, 'id' | 'coordinatorId'>): boolean {
  if (p.kind === 'operator') return true;
  if (hasRole(p.user, 'local_admin') && p.user.authorityId === authority.id) return true;
  return coordinates(p, authority);
}

/** May change an authority's data (contact, languages, time zone, areas): the same people as its users. */
export const mayEditAuthority = mayAdministerUsers;

/** May read an authority's data: anyone who may edit it, and every official of it. */
export function mayViewAuthority(p: Principal, authority: Pick<Authority, 'id' | 'coordinatorId'>): boolean {
  if (p.kind === 'user' && p.user.active && p.user.authorityId === authority.id) return true;
  return mayAdministerUsers(p, authority);
}

/** May register an authority in a country: coordinators, for their own country only. */
export function mayRegisterAuthority(p: Principal, coordinatorCountry: string | null, country: string): boolean {
  if (p.kind === 'operator') return true;
  return hasRole(p.user, 'coordinator') && coordinatorCountry === country;
}

/**
 * Which roles the principal may hand out. The coordinator role carries sight of other
 * authorities, so a local admin cannot grant it (nor take it away).
 */
export function checkRoleChange(p: Principal, before: readonly Role[], after: readonly Role[]): Result<true> {
  if (p.kind === 'operator' || hasRole(p.user, 'coordinator')) return ok(true);
  if (before.includes('coordinator') !== after.includes('coordinator')) {
    return fail('ADMIN.ROLE_NOT_ALLOWED', { role: 'coordinator' }, 'roles');
  }
  return ok(true);
}

/** Whether the user is the only active local admin among the colleagues (which include the user). */
export const isLastLocalAdmin = (user: User, colleagues: readonly User[]): boolean =>
  hasRole(user, 'local_admin') && !colleagues.some((c) => c.id !== user.id && hasRole(c, 'local_admin'));

// ---- invitations -------------------------------------------------------------------------

export const DEFAULT_INVITATION_DAYS = 7;
export const MAX_INVITATION_DAYS = 30;

/** An invitation to join an authority; the code itself is never stored, only its hash. */
export interface Invitation {
  id: number;
  codeHash: string;
  authorityId: string;
  name: string;
  language: string | null;
  roles: Role[];
  areas: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedBy: string | null;
}

export const invitationExpiry = (now: Date, days = DEFAULT_INVITATION_DAYS): string =>
  new Date(now.getTime() + days * 86_400_000).toISOString();

/** Whether an invitation can still be redeemed at `now`; a used one stays used even after expiry. */
export function checkRedeemable(inv: Invitation, now: Date): Result<Invitation> {
  if (inv.usedAt) return fail('INVITE.USED');
  if (now.getTime() >= Date.parse(inv.expiresAt)) return fail('INVITE.EXPIRED', { expiresAt: inv.expiresAt });
  return ok(inv);
}

/** Codes are read aloud and typed by hand: case, spaces and dashes do not matter. */
export const normalizeInvitationCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Alphabet without letters and digits people confuse (0/O, 1/I/L), so a code survives being copied by eye. */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Turns random bytes into a code like "K7QM-3XWP-TR9D" (12 characters, about 59 bits). */
export function formatInvitationCode(bytes: Uint8Array): string {
  const chars = [...bytes.slice(0, 12)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8, 12)].map((g) => g.join('')).join('-');
}

/** A readable user id from a name: "Kovács Anna-Mária" → "kovacs.anna-maria". */
export function userIdFromName(name: string): string {
  const folded = foldAccents(name.toLowerCase());
  const id = folded
    .replace(/[^a-z0-9-]+/g, '.')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 56)
    .replace(/[.-]+$/g, '');
  return id || 'user';
}

/** Letters that Unicode decomposition does not reduce to a plain Latin one. */
const SPECIAL_LETTERS: Record<string, string> = { ß: 'ss', ł: 'l', đ: 'd', ø: 'o', æ: 'ae', œ: 'oe', þ: 'th', ð: 'd', ı: 'i' };

/** Lower-case text without accents, so "Gyógyszerész" and "gyogyszeresz" compare equal. */
export function foldAccents(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßłđøæœþðı]/g, (c) => SPECIAL_LETTERS[c] ?? c);
}

// ---- removal and reassignment ------------------------------------------------------------

/** Statuses in which a request still needs someone of the requesting authority: drafts and open ones. */
export const OPEN_WORK_STATUSES: RequestStatus[] = ['draft', ...OPEN_STATUSES];

/**
 * The requests a user leaves behind: real (not training) drafts and open requests they created.
 * Training requests are the user's own sandbox and stay with them.
 */
export const openWorkOf = (user: User, requests: readonly Request[]): Request[] =>
  requests.filter((r) => r.createdBy === user.id && !r.training && OPEN_WORK_STATUSES.includes(r.status));

/** The areas a successor must hold rights in to take over the work. */
export const areasOf = (work: readonly Request[]): string[] => [...new Set(work.map((r) => r.area))].sort();

/** Whether a colleague can take over: active handler of the same authority with rights in every area. */
export function checkSuccessor(removed: User, successor: User, areas: readonly string[]): Result<User> {
  const fits =
    successor.id !== removed.id &&
    successor.authorityId === removed.authorityId &&
    hasRole(successor, 'handler') &&
    areas.every((a) => holdsRights(successor, a));
  return fits ? ok(successor) : fail('USER.REASSIGN_INVALID', { name: successor.name, areas: areas.join(', ') }, 'reassignTo');
}

/** The colleagues who could take over, for the admin to choose from. */
export const eligibleSuccessors = (removed: User, colleagues: readonly User[], areas: readonly string[]): User[] =>
  colleagues.filter((c) => checkSuccessor(removed, c, areas).ok);

/**
 * Areas of an authority with fewer than two officials holding rights, so nobody stands in
 * when the one official is ill or away (the brochure asks for a backup colleague).
 */
export const areasWithoutBackup = (authority: Pick<Authority, 'areas'>, users: readonly User[]): string[] =>
  authority.areas.filter((a) => users.filter((u) => holdsRights(u, a)).length < 2);

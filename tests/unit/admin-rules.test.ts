import { describe, expect, it } from 'vitest';
import {
  checkRedeemable,
  checkRoleChange,
  checkSuccessor,
  formatInvitationCode,
  invitationExpiry,
  isLastLocalAdmin,
  mayAdministerUsers,
  normalizeInvitationCode,
  userIdFromName,
  type Invitation,
  type Principal,
} from '../../src/domain/admin.ts';
import { registerIdFrom, searchRegisters, type RegisterEntry } from '../../src/domain/register.ts';
import type { User } from '../../src/domain/user.ts';

const user = (id: string, authorityId: string, roles: User['roles'], areas: string[] = []): User => ({
  id, authorityId, name: id, language: null, roles, areas, identities: [], active: true,
});
const p = (u: User): Principal => ({ kind: 'user', user: u });

describe('who may administer whom', () => {
  const hu = { id: 'hu-a', coordinatorId: 'hu-nimic' };
  it('allows the local admin of the authority and its coordinator, nobody else', () => {
    expect(mayAdministerUsers(p(user('a', 'hu-a', ['local_admin'])), hu)).toBe(true);
    expect(mayAdministerUsers(p(user('b', 'hu-b', ['local_admin'])), hu)).toBe(false);
    expect(mayAdministerUsers(p(user('c', 'hu-a', ['handler'])), hu)).toBe(false);
    expect(mayAdministerUsers(p(user('d', 'hu-nimic', ['coordinator'])), hu)).toBe(true);
    expect(mayAdministerUsers(p(user('e', 'de-nimic', ['coordinator'])), hu)).toBe(false);
    expect(mayAdministerUsers(p({ ...user('f', 'hu-a', ['local_admin']), active: false }), hu)).toBe(false);
    expect(mayAdministerUsers({ kind: 'operator', id: 'cli' }, hu)).toBe(true);
  });

  it('keeps the coordinator role out of a local admin\'s hands, both ways', () => {
    const admin = p(user('a', 'hu-a', ['local_admin']));
    expect(checkRoleChange(admin, ['handler'], ['handler', 'local_admin']).ok).toBe(true);
    expect(checkRoleChange(admin, ['handler'], ['coordinator']).ok).toBe(false);
    expect(checkRoleChange(admin, ['coordinator'], ['handler']).ok).toBe(false);
  });

  it('knows the last local admin', () => {
    const a = user('a', 'x', ['local_admin']);
    expect(isLastLocalAdmin(a, [a, user('b', 'x', ['handler'])])).toBe(true);
    expect(isLastLocalAdmin(a, [a, user('b', 'x', ['local_admin'])])).toBe(false);
  });

  it('accepts as successor only an active handler of the same authority with rights in every area', () => {
    const gone = user('gone', 'x', ['handler'], ['pq', 'svc']);
    expect(checkSuccessor(gone, user('s', 'x', ['handler'], ['pq', 'svc']), ['pq', 'svc']).ok).toBe(true);
    expect(checkSuccessor(gone, user('s', 'x', ['handler'], ['pq']), ['pq', 'svc']).ok).toBe(false);
    expect(checkSuccessor(gone, user('s', 'y', ['handler'], ['pq', 'svc']), ['pq']).ok).toBe(false);
    expect(checkSuccessor(gone, user('s', 'x', ['local_admin'], ['pq']), ['pq']).ok).toBe(false);
  });
});

describe('invitation codes', () => {
  it('are readable, unambiguous and typed forgivingly', () => {
    const code = formatInvitationCode(new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]));
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(normalizeInvitationCode(` ${code.toLowerCase()} `)).toBe(code.replace(/-/g, ''));
  });

  it('expire at the end of their validity and stay used once used', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const inv = { expiresAt: invitationExpiry(now, 7), usedAt: null } as Invitation;
    expect(checkRedeemable(inv, new Date('2026-01-07T23:59:59Z')).ok).toBe(true);
    const late = checkRedeemable(inv, new Date('2026-01-08T00:00:00Z'));
    expect(late.ok ? null : late.error.code).toBe('INVITE.EXPIRED');
    const used = checkRedeemable({ ...inv, usedAt: '2026-01-02T00:00:00Z' }, now);
    expect(used.ok ? null : used.error.code).toBe('INVITE.USED');
  });
});

describe('ids from names', () => {
  it.each([
    ['Kovács Anna-Mária', 'kovacs.anna-maria'],
    ['Jürgen Straße', 'jurgen.strasse'],
    ['Łukasz Wiśniewski', 'lukasz.wisniewski'],
    ["  O'Brien, Seán ", 'o.brien.sean'],
    ['???', 'user'],
  ])('%s → %s', (name, id) => {
    expect(userIdFromName(name)).toBe(id);
  });

  it('derives register ids the same way', () => {
    expect(registerIdFrom('HU', 'Cégjegyzék – ingyenes')).toBe('hu-cegjegyzek-ingyenes');
  });
});

describe('register search', () => {
  const entry = (id: string, country: string, name: string, description = ''): RegisterEntry => ({
    id, country, areas: ['pq'], name: { en: name }, description: { en: description }, url: 'https://x.example', free: true, ownerAuthorityId: null, updatedAt: null,
  });
  const all = [entry('a', 'HU', 'Doctors register'), entry('b', 'DE', 'Company register', 'doctors of companies'), entry('c', 'HU', 'Lawyers')];

  it('ranks name matches above description matches', () => {
    expect(searchRegisters(all, { text: 'doctor' }).map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('needs every known word, but skips words that match nothing', () => {
    expect(searchRegisters(all, { text: 'the doctors of a company' }).map((e) => e.id)).toEqual(['b']);
    expect(searchRegisters(all, { text: 'HU' }).map((e) => e.id)).toEqual(['a', 'c']);
  });
});

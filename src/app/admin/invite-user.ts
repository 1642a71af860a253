import { createHash, randomBytes } from 'node:crypto';
import {
  DEFAULT_INVITATION_DAYS,
  MAX_INVITATION_DAYS,
  checkRoleChange,
  formatInvitationCode,
  invitationExpiry,
  mayAdministerUsers,
  normalizeInvitationCode,
  type Invitation,
} from '../../domain/admin.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { validateUser, type Role, type User } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import { authorityOrFail, principalId, resolvePrincipal, type AdminActor } from './principal.ts';

export interface InviteInput {
  authorityId: string;
  name: string;
  language?: string | null;
  roles?: Role[];
  areas?: string[];
  /** Days the code stays valid; 7 by default, at most 30. */
  validDays?: number;
}

export interface IssuedInvitation {
  /** The code to hand to the colleague; shown once, never stored. */
  code: string;
  expiresAt: string;
  invitation: Invitation;
}

/** Codes are hashed before they are stored or looked up. */
export const hashInvitationCode = (code: string): string =>
  createHash('sha256').update(normalizeInvitationCode(code)).digest('hex');

/**
 * Issues a single-use invitation for a colleague of an authority the actor administers.
 * The colleague redeems the code from Slack, Teams or the web chat to bind their identity.
 */
export async function inviteUser(deps: AppDeps, input: InviteInput, by: AdminActor): Promise<Result<IssuedInvitation>> {
  return deps.store.transaction(async (tx) => {
    const principal = await resolvePrincipal(tx, by);
    if (!principal.ok) return principal;
    const authority = await authorityOrFail(tx, input.authorityId);
    if (!authority.ok) return authority;
    if (!mayAdministerUsers(principal.value, authority.value)) return fail('ADMIN.FORBIDDEN');
    const roles = input.roles ?? ['handler'];
    const roleCheck = checkRoleChange(principal.value, [], roles);
    if (!roleCheck.ok) return roleCheck;
    // The future user is checked now, so a bad invitation is refused to the admin, not to the colleague.
    const probe: User = {
      id: 'invited',
      authorityId: authority.value.id,
      name: input.name,
      language: input.language ?? null,
      roles,
      // Without areas given, the colleague gets rights in everything the authority is competent for.
      areas: input.areas ?? authority.value.areas,
      identities: [],
      active: true,
    };
    const valid = validateUser(probe, authority.value, deps.areas);
    if (!valid.ok) return valid;
    const days = input.validDays ?? DEFAULT_INVITATION_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_INVITATION_DAYS) {
      return fail('INVITE.INVALID_DAYS', { max: MAX_INVITATION_DAYS }, 'days');
    }
    const now = deps.clock.now();
    const code = formatInvitationCode(randomBytes(12));
    const stored: Omit<Invitation, 'id'> = {
      codeHash: hashInvitationCode(code),
      authorityId: authority.value.id,
      name: valid.value.name,
      language: valid.value.language,
      roles: valid.value.roles,
      areas: valid.value.areas,
      createdBy: principalId(principal.value),
      createdAt: now.toISOString(),
      expiresAt: invitationExpiry(now, days),
      usedAt: null,
      usedBy: null,
    };
    const id = await tx.invitations.insert(stored);
    await tx.audit.append({
      at: stored.createdAt,
      actorId: stored.createdBy,
      channel: by.origin,
      action: 'user.invite',
      target: `invitation:${id}`,
      details: { authority: stored.authorityId, roles: stored.roles.join(','), expiresAt: stored.expiresAt },
    });
    return ok({ code, expiresAt: stored.expiresAt, invitation: { ...stored, id } });
  });
}

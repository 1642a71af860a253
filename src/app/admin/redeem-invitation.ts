import { checkRedeemable, userIdFromName } from '../../domain/admin.ts';
import { isValidLanguage } from '../../domain/authority.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { isValidIdentity, validateUser, type Identity, type User } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import type { UnitOfWork } from '../ports/repositories.ts';
import { hashInvitationCode } from './invite-user.ts';
import { inTransaction, rollback } from './principal.ts';

export interface RedeemInput {
  code: string;
  /** The chat identity of the person redeeming, as the channel knows them. */
  identity: Identity;
  /** The platform's locale of that person (e.g. "hu-HU"), used when the invitation named no language. */
  locale?: string | null;
}

export interface Redeemed {
  user: User;
  /** Who issued the invitation (a user id, or "cli"). */
  invitedBy: string;
}

/**
 * Turns an invitation code into a registered user bound to the redeeming chat identity.
 * A code works once and until it expires; an identity already bound to someone is refused.
 */
export async function redeemInvitation(deps: AppDeps, input: RedeemInput): Promise<Result<Redeemed>> {
  if (!isValidIdentity(input.identity)) {
    return fail('USER.INVALID_IDENTITY', { identity: input.identity.externalId.slice(0, 100) }, input.identity.channel);
  }
  return inTransaction(deps.store, async (tx) => {
    const invitation = await tx.invitations.byCodeHash(hashInvitationCode(input.code));
    if (!invitation) return fail('INVITE.NOT_FOUND');
    const now = deps.clock.now();
    const redeemable = checkRedeemable(invitation, now);
    if (!redeemable.ok) return redeemable;
    const owner = await tx.users.byIdentity(input.identity);
    if (owner) return fail('USER.IDENTITY_TAKEN', { identity: input.identity.externalId }, input.identity.channel);
    const authority = await tx.authorities.get(invitation.authorityId);
    const candidate: User = {
      id: await freeUserId(tx, userIdFromName(invitation.name)),
      authorityId: invitation.authorityId,
      name: invitation.name,
      language: invitation.language ?? languageOf(input.locale),
      roles: invitation.roles,
      areas: invitation.areas,
      identities: [input.identity],
      active: true,
    };
    const valid = validateUser(candidate, authority, deps.areas);
    if (!valid.ok) return valid;
    const at = now.toISOString();
    await tx.users.insert(valid.value);
    // A second redemption racing this one finds the code used; its user insert is undone.
    if (!(await tx.invitations.markUsed(invitation.id, at, valid.value.id))) rollback(fail('INVITE.USED'));
    await tx.audit.append({
      at,
      actorId: valid.value.id,
      channel: input.identity.channel,
      action: 'user.redeem_invitation',
      target: valid.value.id,
      details: { authority: valid.value.authorityId, invitation: invitation.id, invitedBy: invitation.createdBy },
    });
    const inviter = await tx.users.get(invitation.createdBy);
    if (inviter?.active) {
      await tx.outbox.add({
        key: `invitation:${invitation.id}:redeemed`,
        recipientId: inviter.id,
        kind: 'admin.invitation_redeemed',
        requestId: null,
        params: { name: valid.value.name, user: valid.value.id, authority: valid.value.authorityId },
        createdAt: at,
      });
    }
    return ok({ user: valid.value, invitedBy: invitation.createdBy });
  });
}

/** The base id, or the base with the first free number: anna.kovacs, anna.kovacs.2, … */
async function freeUserId(tx: UnitOfWork, base: string): Promise<string> {
  if (!(await tx.users.get(base))) return base;
  for (let n = 2; ; n++) {
    const id = `${base}.${n}`;
    if (!(await tx.users.get(id))) return id;
  }
}

/** "hu-HU" → "hu"; anything unusable → null (the authority's language then applies). */
function languageOf(locale: string | null | undefined): string | null {
  const base = (locale ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return isValidLanguage(base) ? base : null;
}

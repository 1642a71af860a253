import {
  areasOf,
  checkSuccessor,
  coordinates,
  eligibleSuccessors,
  isLastLocalAdmin,
  mayAdministerUsers,
  openWorkOf,
  type Principal,
} from '../../domain/admin.ts';
import type { Authority } from '../../domain/authority.ts';
import type { Request } from '../../domain/request.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import type { User } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import type { UnitOfWork } from '../ports/repositories.ts';
import { inTransaction, principalId, resolvePrincipal, rollback, type AdminActor } from './principal.ts';

export interface RemovalPlan {
  user: User;
  /** Drafts and open requests the user created, which a colleague must take over. */
  openWork: { id: string; status: Request['status']; area: string }[];
  /** The areas those requests are in: the successor needs rights in all of them. */
  areas: string[];
  /** Colleagues who could take the work over. */
  candidates: { id: string; name: string }[];
}

export interface RemoveUserInput {
  userId: string;
  /** The colleague who takes over the user's drafts and open requests; required when there are any. */
  reassignTo?: string;
}

export interface Removed {
  user: User;
  /** Ids of the requests now in the successor's name. */
  reassigned: string[];
  reassignedTo: string | null;
}

interface Target {
  principal: Principal;
  user: User;
  authority: Authority;
  colleagues: User[];
  work: Request[];
}

/** Loads the user to remove and checks the actor may remove them. */
async function loadTarget(tx: UnitOfWork, userId: string, by: AdminActor): Promise<Result<Target>> {
  const principal = await resolvePrincipal(tx, by);
  if (!principal.ok) return principal;
  const user = await tx.users.get(userId);
  if (!user || !user.active) return fail('USER.NOT_FOUND', { id: userId }, 'id');
  const authority = await tx.authorities.get(user.authorityId);
  if (!authority) return fail('AUTHORITY.NOT_FOUND', { id: user.authorityId });
  if (!mayAdministerUsers(principal.value, authority)) return fail('ADMIN.FORBIDDEN');
  const colleagues = await tx.users.ofAuthority(authority.id);
  // A local admin must not lock the authority out of its own administration; a coordinator can still step in.
  if (principal.value.kind === 'user' && !coordinates(principal.value, authority) && isLastLocalAdmin(user, colleagues)) {
    return fail('ADMIN.LAST_LOCAL_ADMIN', { name: user.name });
  }
  const work = openWorkOf(user, await tx.requests.list({ authorityId: authority.id }));
  return ok({ principal: principal.value, user, authority, colleagues, work });
}

/** What removing a user would involve, for the admin to choose a successor before confirming. */
export async function removalPlan(deps: AppDeps, input: { userId: string }, by: AdminActor): Promise<Result<RemovalPlan>> {
  const target = await loadTarget(deps.store, input.userId, by);
  if (!target.ok) return target;
  const { user, colleagues, work } = target.value;
  const areas = areasOf(work);
  return ok({
    user,
    openWork: work.map((r) => ({ id: r.id, status: r.status, area: r.area })),
    areas,
    candidates: eligibleSuccessors(user, colleagues, areas).map((c) => ({ id: c.id, name: c.name })),
  });
}

/**
 * Removes a user who no longer works with the system. Their drafts and open requests pass to
 * a colleague first (history event per request, notification to the colleague), then the user
 * is deactivated and their chat identities unbound, all in one transaction. The user row stays,
 * so the audit trail and request histories keep naming who did what.
 */
export async function removeUser(deps: AppDeps, input: RemoveUserInput, by: AdminActor): Promise<Result<Removed>> {
  return inTransaction(deps.store, async (tx) => {
    const target = await loadTarget(tx, input.userId, by);
    if (!target.ok) return target;
    const { principal, user, colleagues, work } = target.value;
    const at = deps.clock.now().toISOString();
    const actorId = principalId(principal);
    let successor: User | null = null;
    if (work.length > 0) {
      const picked = await pickSuccessor(tx, user, colleagues, work, input.reassignTo);
      if (!picked.ok) return picked;
      successor = picked.value;
      for (const r of work) {
        const moved: Request = { ...r, createdBy: successor.id, version: r.version + 1, updatedAt: at };
        if (!(await tx.requests.update(moved, r.version))) rollback(fail('REQUEST.STALE', { id: r.id }));
        await tx.history.append({ requestId: r.id, type: 'reassigned', actorId, at, details: { from: user.id, to: successor.id } });
      }
      await tx.outbox.add({
        key: `admin:reassigned:${user.id}:${successor.id}:${at}`,
        recipientId: successor.id,
        kind: 'admin.requests_reassigned',
        requestId: null,
        params: { count: work.length, requests: work.map((r) => r.id).join(', '), from: user.name, by: actorId },
        createdAt: at,
      });
    }
    const removed: User = { ...user, active: false, identities: [] };
    await tx.users.update(removed);
    await tx.audit.append({
      at,
      actorId,
      channel: by.origin,
      action: 'user.remove',
      target: user.id,
      details: {
        authority: user.authorityId,
        reassignedTo: successor?.id ?? null,
        requests: work.length,
        identitiesUnbound: user.identities.length,
      },
    });
    return ok({ user: removed, reassigned: work.map((r) => r.id), reassignedTo: successor?.id ?? null });
  });
}

async function pickSuccessor(
  tx: UnitOfWork,
  user: User,
  colleagues: User[],
  work: Request[],
  reassignTo: string | undefined,
): Promise<Result<User>> {
  const areas = areasOf(work);
  if (!reassignTo) {
    const candidates = eligibleSuccessors(user, colleagues, areas);
    if (candidates.length === 0) {
      return fail('USER.REASSIGN_NONE', { name: user.name, count: work.length, areas: areas.join(', ') }, 'reassignTo');
    }
    return fail('USER.REASSIGN_REQUIRED', { name: user.name, count: work.length, candidates: candidates.map((c) => c.id).join(', ') }, 'reassignTo');
  }
  const successor = await tx.users.get(reassignTo);
  if (!successor || !successor.active) return fail('USER.NOT_FOUND', { id: reassignTo }, 'reassignTo');
  return checkSuccessor(user, successor, areas);
}

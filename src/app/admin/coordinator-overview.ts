import { areasWithoutBackup } from '../../domain/admin.ts';
import type { Authority } from '../../domain/authority.ts';
import { todayIn } from '../../domain/deadlines.ts';
import { currentDeadline, OPEN_STATUSES, type Request } from '../../domain/request.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { hasRole } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import { resolvePrincipal, type AdminActor } from './principal.ts';

/** One coordinated authority as its coordinator sees it: counts only, no request contents. */
export interface CoordinatedAuthority {
  id: string;
  name: string;
  country: string;
  areas: string[];
  dataReviewedAt: string | null;
  users: number;
  localAdmins: number;
  /** Areas where fewer than two officials hold rights. */
  areasWithoutBackup: string[];
  /** Requests sent or received that are still open (sent, accepted, answered, further info requested). */
  open: number;
  /** Requests it received whose deadline has passed without an answer. */
  overdue: number;
}

/** Statuses in which the responder still owes an answer. */
const AWAITING_ANSWER: Request['status'][] = ['sent', 'accepted', 'further_info_requested'];

/**
 * The authorities a coordinator coordinates (those whose coordinator is the coordinator's
 * authority), with their open and overdue request counts. The operator may name any
 * coordinating authority, or none for every authority.
 */
export async function coordinatorOverview(
  deps: AppDeps,
  input: { coordinatorAuthorityId?: string },
  by: AdminActor,
): Promise<Result<CoordinatedAuthority[]>> {
  const principal = await resolvePrincipal(deps.store, by);
  if (!principal.ok) return principal;
  let coordinating: string | null = input.coordinatorAuthorityId ?? null;
  if (principal.value.kind === 'user') {
    if (!hasRole(principal.value.user, 'coordinator')) return fail('ADMIN.FORBIDDEN');
    const own = principal.value.user.authorityId;
    if (coordinating && coordinating !== own) return fail('ADMIN.FORBIDDEN');
    coordinating = own;
  } else if (coordinating && !(await deps.store.authorities.get(coordinating))) {
    return fail('AUTHORITY.NOT_FOUND', { id: coordinating }, 'coordinator');
  }
  const all = await deps.store.authorities.list();
  const coordinated = coordinating ? all.filter((a) => a.coordinatorId === coordinating && a.id !== coordinating) : all;
  const now = deps.clock.now();
  const rows: CoordinatedAuthority[] = [];
  for (const a of coordinated) rows.push(await summarize(deps, a, now));
  return ok(rows);
}

async function summarize(deps: AppDeps, a: Authority, now: Date): Promise<CoordinatedAuthority> {
  const users = await deps.store.users.ofAuthority(a.id);
  const open = await deps.store.requests.list({ authorityId: a.id, statuses: OPEN_STATUSES, training: false });
  const today = todayIn(now, a.timezone);
  const overdue = open.filter((r) => {
    const deadline = currentDeadline(r);
    return r.responderAuthorityId === a.id && AWAITING_ANSWER.includes(r.status) && deadline !== null && deadline < today;
  });
  return {
    id: a.id,
    name: a.name,
    country: a.country,
    areas: a.areas,
    dataReviewedAt: a.dataReviewedAt,
    users: users.length,
    localAdmins: users.filter((u) => hasRole(u, 'local_admin')).length,
    areasWithoutBackup: areasWithoutBackup(a, users),
    open: open.length,
    overdue: overdue.length,
  };
}

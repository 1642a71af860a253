import { ok, type Result } from '../../domain/result.ts';
import type { AppDeps } from '../deps.ts';
import type { AdminActor } from '../admin/principal.ts';
import type { RequestMetadata } from '../ports/coordinator.repository.ts';
import { authorityCells, userCells, type AuthorityColumn, type UserColumn } from './record-columns.ts';
import { resolveScope, type ScopeInput } from './scope.ts';

/**
 * A coordinator's records as files: the authorities they coordinate and those authorities'
 * active officials in the columns `imi import` reads back, and requests as metadata only
 * (ids, area, status, the two authorities, deadlines, times): never the person concerned,
 * the questions, the texts or the answers.
 */

export async function exportAuthorities(
  deps: AppDeps,
  input: ScopeInput,
  by: AdminActor,
): Promise<Result<Record<AuthorityColumn, string>[]>> {
  const resolved = await resolveScope(deps, input, by);
  if (!resolved.ok) return resolved;
  const ids = new Set((await deps.store.scoreboard.authorities(resolved.value.scope)).map((a) => a.id));
  const all = await deps.store.authorities.list();
  return ok(all.filter((a) => ids.has(a.id)).map(authorityCells));
}

export async function exportUsers(deps: AppDeps, input: ScopeInput, by: AdminActor): Promise<Result<Record<UserColumn, string>[]>> {
  const resolved = await resolveScope(deps, input, by);
  if (!resolved.ok) return resolved;
  const ids = new Set((await deps.store.scoreboard.authorities(resolved.value.scope)).map((a) => a.id));
  // Removed users are left out: their ids cannot be imported again.
  const users = (await deps.store.users.list()).filter((u) => u.active && ids.has(u.authorityId));
  return ok(users.map(userCells));
}

export async function exportRequests(deps: AppDeps, input: ScopeInput, by: AdminActor): Promise<Result<RequestMetadata[]>> {
  const resolved = await resolveScope(deps, input, by);
  if (!resolved.ok) return resolved;
  return ok(await deps.store.bulk.requestMetadata(resolved.value.scope));
}

/** The columns of a request export, in order. */
export const REQUEST_COLUMNS: (keyof RequestMetadata)[] = [
  'id', 'area', 'status', 'requester', 'responder', 'requestedDeadline', 'agreedDeadline',
  'createdAt', 'sentAt', 'acceptedAt', 'answeredAt', 'closedAt',
];

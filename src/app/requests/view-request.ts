import { visibleRequest } from '../../domain/personal-data.ts';
import type { HistoryEvent, Request } from '../../domain/request.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { retentionStage } from '../../domain/retention.ts';
import type { AppDeps } from '../deps.ts';

/** A request as one of its two authorities sees it: everything. */
export interface RequestView {
  request: Request;
  history: HistoryEvent[];
  side: 'requester' | 'responder';
  redacted: false;
  /** The personal data were erased (on a data subject's request); the request shows empty texts. */
  erased: boolean;
}

/**
 * A request as a coordinator of either authority sees it: metadata, and the personal data
 * only when the request was referred to the coordinators (`redacted` false then).
 */
export interface CoordinatorView {
  request: Request;
  history: HistoryEvent[];
  side: 'coordinator';
  redacted: boolean;
  erased: boolean;
}

/** Coordinators are only answered when the caller can show them a coordinator's view. */
export interface ViewOptions {
  coordinators: true;
}

/**
 * A request with its history, for the people of the two authorities involved and, with
 * `{ coordinators: true }`, their coordinators (Reg. 1024/2012 Art. 9); nobody else. Six months
 * after closure the request is blocked for everyone (Art. 14).
 */
export function viewRequest(deps: AppDeps, actorId: string, requestId: string): Promise<Result<RequestView>>;
export function viewRequest(
  deps: AppDeps,
  actorId: string,
  requestId: string,
  options: ViewOptions,
): Promise<Result<RequestView | CoordinatorView>>;
export async function viewRequest(
  deps: AppDeps,
  actorId: string,
  requestId: string,
  options?: ViewOptions,
): Promise<Result<RequestView | CoordinatorView>> {
  const actor = await deps.store.users.get(actorId);
  if (!actor || !actor.active) return fail('USER.NOT_REGISTERED');
  const request = await deps.store.requests.get(requestId);
  // Unknown and foreign requests answer alike, so ids of other authorities' requests cannot be probed.
  const notFound = fail<never>('REQUEST.NOT_FOUND', { id: requestId });
  if (!request) return notFound;
  const [requester, responder] = await Promise.all([
    deps.store.authorities.get(request.requesterAuthorityId),
    request.responderAuthorityId ? deps.store.authorities.get(request.responderAuthorityId) : Promise.resolve(null),
  ]);
  const visible = visibleRequest(request, actor, { requester, responder });
  if (!visible || (visible.access.kind === 'coordinator' && !options?.coordinators)) return notFound;
  // Only those who could see the request learn that it is blocked; the stored data may still await the daily run.
  if (retentionStage(request, deps.clock.now()) !== 'active') return fail('REQUEST.BLOCKED', { id: request.id });
  const erased = (await deps.store.retention.markers(request.id))?.personalDataDeletedAt != null;
  const history = await deps.store.history.of(requestId);
  if (visible.access.kind === 'party') {
    return ok({ request: visible.request, history, side: visible.access.side, redacted: false, erased });
  }
  return ok({ request: visible.request, history, side: 'coordinator', redacted: visible.redacted, erased });
}

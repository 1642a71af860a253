import { sideOf, type HistoryEvent, type Request } from '../../domain/request.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import type { AppDeps } from '../deps.ts';

export interface RequestView {
  request: Request;
  history: HistoryEvent[];
  side: 'requester' | 'responder';
}

/** A request with its history, for the people of the two authorities involved and nobody else. */
export async function viewRequest(deps: AppDeps, actorId: string, requestId: string): Promise<Result<RequestView>> {
  const actor = await deps.store.users.get(actorId);
  if (!actor || !actor.active) return fail('USER.NOT_REGISTERED');
  const request = await deps.store.requests.get(requestId);
  if (!request) return fail('REQUEST.NOT_FOUND', { id: requestId });
  const side = sideOf(request, actor);
  // Unknown and foreign requests answer alike, so ids of other authorities' requests cannot be probed.
  if (!side) return fail('REQUEST.NOT_FOUND', { id: requestId });
  if (request.status === 'draft' && side !== 'requester') return fail('REQUEST.NOT_FOUND', { id: requestId });
  return ok({ request, side, history: await deps.store.history.of(requestId) });
}

import { formatRequestId, newDraft, type Request } from '../../domain/request.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import type { AppDeps, Origin } from '../deps.ts';

export interface CreateDraft {
  actorId: string;
  area: string;
  training?: boolean;
  origin: Origin;
}

/** Opens a new draft request of the actor's authority in an area the actor holds rights in. */
export async function createDraft(deps: AppDeps, input: CreateDraft): Promise<Result<Request>> {
  return deps.store.transaction(async (tx) => {
    const actor = await tx.users.get(input.actorId);
    if (!actor || !actor.active) return fail('USER.NOT_REGISTERED');
    const now = deps.clock.now();
    const area = deps.areas.get(input.area);
    // Checked before a number is drawn, so refused drafts leave no gaps in the sequence.
    const probe = newDraft({ id: 'probe', area: input.area }, { actor, now, area });
    if (!probe.ok) return probe;
    const year = now.getUTCFullYear();
    const id = formatRequestId(year, await tx.requests.nextSequence(year));
    const made = newDraft({ id, area: input.area, training: input.training }, { actor, now, area });
    if (!made.ok) return made;
    await tx.requests.insert(made.value.request);
    await tx.history.append(made.value.event);
    await tx.audit.append({
      at: made.value.event.at,
      actorId: actor.id,
      channel: input.origin,
      action: 'request.create',
      target: id,
      details: { area: input.area, training: input.training ?? false },
    });
    return ok(made.value.request);
  });
}

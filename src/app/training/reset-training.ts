import { fail, ok, type Result } from '../../domain/result.ts';
import type { Origin } from '../deps.ts';
import type { TrainingDeps } from './training-script.ts';

/**
 * Empties a user's sandbox: deletes their training requests and the history of each. Live
 * requests cannot be touched (the store deletes only rows flagged as training).
 */
export async function resetTraining(deps: TrainingDeps, input: { userId: string; origin: Origin }): Promise<Result<{ deleted: number }>> {
  return deps.store.transaction(async (tx) => {
    const user = await tx.users.get(input.userId);
    if (!user || !user.active) return fail('USER.NOT_REGISTERED');
    const linked = await tx.training.requestsOf(user.id);
    // Training drafts made with createDraft({ training: true }) outside the sandbox are the user's too.
    const created = (await tx.requests.list({ training: true, authorityId: user.authorityId }))
      .filter((r) => r.createdBy === user.id)
      .map((r) => r.id);
    const deleted = await tx.training.deleteRequests([...new Set([...linked, ...created])]);
    await tx.audit.append({
      at: deps.clock.now().toISOString(),
      actorId: user.id,
      channel: input.origin,
      action: 'training.reset',
      target: user.id,
      details: { deleted },
    });
    return ok({ deleted });
  });
}

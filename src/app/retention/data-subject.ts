import type { HistoryEvent, Request } from '../../domain/request.ts';
import { retentionStage, type RetentionStage } from '../../domain/retention.ts';
import type { AppDeps, Origin } from '../deps.ts';
import type { RetentionMarkers } from '../ports/retention.repository.ts';
import { erasePersonalData } from './erase-personal-data.ts';
import { nameKey } from './names.ts';

// Re-exported for the callers that import it from here (tests/unit/security.test.ts among them).
export { nameKey };

/** The requests about a data subject; none for a name with no letters, never "every request without a name". */
async function requestsAbout(deps: AppDeps, name: string): Promise<Request[]> {
  const key = nameKey(name);
  if (!key) return [];
  // Names live in each request's JSON body, so the match is made here rather than in SQL.
  return (await deps.store.requests.list({})).filter((r) => r.subjectName && nameKey(r.subjectName) === key);
}

/** Everything kept about a data subject in one request (Art. 19 access). */
export interface SubjectRecord {
  request: Request;
  history: HistoryEvent[];
  retention: RetentionMarkers & { stage: RetentionStage };
}

/** Every request whose subject is `name` (accent- and case-insensitive), with its personal data and history. */
export async function exportSubject(deps: AppDeps, name: string): Promise<SubjectRecord[]> {
  const now = deps.clock.now();
  const out: SubjectRecord[] = [];
  for (const request of await requestsAbout(deps, name)) {
    const markers = (await deps.store.retention.markers(request.id)) ?? { blockedAt: null, personalDataDeletedAt: null };
    out.push({ request, history: await deps.store.history.of(request.id), retention: { ...markers, stage: retentionStage(request, now) } });
  }
  return out;
}

export interface SubjectErasure {
  id: string;
  status: Request['status'];
  fields: number;
  translations: number;
}

/**
 * Erases a data subject's personal data from every request about them (Art. 19 erasure), with
 * the cached translations of those texts; the audit trail records who did it, not the name.
 */
export async function eraseSubject(deps: AppDeps, name: string, by: { actorId: string; origin: Origin }): Promise<SubjectErasure[]> {
  const out: SubjectErasure[] = [];
  for (const found of await requestsAbout(deps, name)) {
    const done = await deps.store.transaction(async (tx) => {
      const request = await tx.requests.get(found.id);
      if (!request) return null;
      const at = deps.clock.now().toISOString();
      const erased = await erasePersonalData(tx, request, at);
      if (!erased) return null;
      await tx.audit.append({
        at,
        actorId: by.actorId,
        channel: by.origin,
        action: 'subject.erase',
        target: request.id,
        details: { fields: erased.fields, translations: erased.translations },
      });
      return { id: request.id, status: request.status, fields: erased.fields, translations: erased.translations };
    });
    if (done) out.push(done);
  }
  return out;
}

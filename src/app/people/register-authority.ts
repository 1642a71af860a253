import {
  DEFAULT_LANGUAGES,
  DEFAULT_TIMEZONES,
  validateAuthority,
  type Authority,
} from '../../domain/authority.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import type { AppDeps, Origin } from '../deps.ts';
import type { UnitOfWork } from '../ports/repositories.ts';

export interface AuthorityInput {
  id: string;
  name?: string;
  country?: string;
  language?: string;
  timezone?: string;
  areas?: string[];
  coordinatorId?: string | null;
  contact?: Authority['contact'];
  /** Set when a local admin confirms the data as current (updates only). */
  dataReviewedAt?: string | null;
}

export interface Actor {
  id: string;
  origin: Origin;
}

/** Registers a new competent authority; language and time zone default from its country. */
export async function addAuthority(deps: AppDeps, input: AuthorityInput, by: Actor): Promise<Result<Authority>> {
  return deps.store.transaction(async (tx) => {
    if (await tx.authorities.get(input.id)) return fail('AUTHORITY.ALREADY_EXISTS', { id: input.id }, 'id');
    const country = (input.country ?? '').toUpperCase();
    const candidate: Authority = {
      id: input.id,
      name: input.name ?? '',
      country,
      language: input.language ?? DEFAULT_LANGUAGES[country] ?? 'en',
      timezone: input.timezone ?? DEFAULT_TIMEZONES[country] ?? 'UTC',
      areas: input.areas ?? [],
      coordinatorId: input.coordinatorId ?? null,
      contact: input.contact ?? {},
      dataReviewedAt: input.dataReviewedAt ?? null,
    };
    return save(tx, deps, candidate, by, 'authority.add', (a) => tx.authorities.insert(a));
  });
}

/** Changes the given fields of an authority; what is not given stays as it was. */
export async function updateAuthority(deps: AppDeps, input: AuthorityInput, by: Actor): Promise<Result<Authority>> {
  return deps.store.transaction(async (tx) => {
    const current = await tx.authorities.get(input.id);
    if (!current) return fail('AUTHORITY.NOT_FOUND', { id: input.id }, 'id');
    const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const candidate: Authority = {
      ...current,
      ...defined,
      country: (input.country ?? current.country).toUpperCase(),
      contact: { ...current.contact, ...input.contact },
    };
    return save(tx, deps, candidate, by, 'authority.update', (a) => tx.authorities.update(a));
  });
}

async function save(
  tx: UnitOfWork,
  deps: AppDeps,
  candidate: Authority,
  by: Actor,
  action: string,
  write: (a: Authority) => Promise<void>,
): Promise<Result<Authority>> {
  const valid = validateAuthority(candidate, deps.areas);
  if (!valid.ok) return valid;
  const coordinatorId = valid.value.coordinatorId;
  if (coordinatorId && coordinatorId !== valid.value.id && !(await tx.authorities.get(coordinatorId))) {
    return fail('AUTHORITY.COORDINATOR_NOT_FOUND', { id: coordinatorId }, 'coordinator');
  }
  await write(valid.value);
  await tx.audit.append({
    at: deps.clock.now().toISOString(),
    actorId: by.id,
    channel: by.origin,
    action,
    target: valid.value.id,
    details: { country: valid.value.country, areas: valid.value.areas.join(',') },
  });
  return ok(valid.value);
}

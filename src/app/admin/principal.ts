import type { Principal } from '../../domain/admin.ts';
import type { Authority } from '../../domain/authority.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import type { Origin } from '../deps.ts';
import type { UnitOfWork } from '../ports/repositories.ts';

/** Who acts: a user id from a chat channel, or the operator at the command line. */
export interface AdminActor {
  id: string;
  origin: Origin;
}

/** The command line and the system run as the operator; the CLI is for people with shell access. */
export const CLI_ACTOR: AdminActor = { id: 'cli', origin: 'cli' };

const OPERATOR_ORIGINS: Origin[] = ['cli', 'system'];

/** Resolves an actor to a principal; a chat actor must be an active registered user. */
export async function resolvePrincipal(tx: UnitOfWork, by: AdminActor): Promise<Result<Principal>> {
  if (OPERATOR_ORIGINS.includes(by.origin)) return ok({ kind: 'operator', id: by.id });
  const user = await tx.users.get(by.id);
  if (!user || !user.active) return fail('USER.NOT_REGISTERED');
  return ok({ kind: 'user', user });
}

/** The id written to audit rows and history events for a principal. */
export const principalId = (p: Principal): string => (p.kind === 'operator' ? p.id : p.user.id);

/** Loads an authority the principal names, or the typed error for a missing one. */
export async function authorityOrFail(tx: UnitOfWork, id: string, field = 'authority'): Promise<Result<Authority>> {
  const authority = await tx.authorities.get(id);
  return authority ? ok(authority) : fail('AUTHORITY.NOT_FOUND', { id }, field);
}

/**
 * Thrown inside a transaction to undo the writes already made when a later step fails;
 * caught by `inTransaction`, which returns the failure as a result.
 */
class Rollback extends Error {
  constructor(readonly result: Result<never>) {
    super('rollback');
  }
}

/** Aborts the enclosing `inTransaction`: nothing it wrote is kept, and it returns this failure. */
export const rollback = (failure: Result<unknown>): never => {
  throw new Rollback(failure as Result<never>);
};

/** Runs work in one transaction; a `rollback(...)` inside undoes every write and becomes the result. */
export async function inTransaction<T>(
  store: { transaction<R>(work: (tx: UnitOfWork) => Promise<R>): Promise<R> },
  work: (tx: UnitOfWork) => Promise<Result<T>>,
): Promise<Result<T>> {
  try {
    return await store.transaction(work);
  } catch (err) {
    if (err instanceof Rollback) return err.result;
    throw err;
  }
}

import type { Request, NotifySide } from '../../domain/request.ts';
import { hasRole, holdsRights, type User } from '../../domain/user.ts';
import type { UnitOfWork } from '../ports/repositories.ts';

/**
 * The people who act for an authority in an area: its handlers with rights in the area,
 * or, where it has none, its local admins, so that nothing reaches nobody.
 */
export async function handlersOf(tx: UnitOfWork, authorityId: string, area: string): Promise<User[]> {
  const users = await tx.users.ofAuthority(authorityId);
  const handlers = users.filter((u) => holdsRights(u, area));
  return handlers.length > 0 ? handlers : users.filter((u) => hasRole(u, 'local_admin'));
}

/** The coordinators of an authority: users with the coordinator role at its coordinating authority. */
export async function coordinatorsOf(tx: UnitOfWork, authorityId: string): Promise<User[]> {
  const authority = await tx.authorities.get(authorityId);
  const coordinating = authority?.coordinatorId ?? authorityId;
  return (await tx.users.ofAuthority(coordinating)).filter((u) => hasRole(u, 'coordinator'));
}

/** Everyone on the named sides of a request, without duplicates. */
export async function recipientsOf(tx: UnitOfWork, request: Request, sides: NotifySide[]): Promise<User[]> {
  const found = new Map<string, User>();
  for (const side of sides) {
    const people =
      side === 'requester'
        ? await handlersOf(tx, request.requesterAuthorityId, request.area)
        : side === 'responder'
          ? request.responderAuthorityId
            ? await handlersOf(tx, request.responderAuthorityId, request.area)
            : []
          : [
              ...(await coordinatorsOf(tx, request.requesterAuthorityId)),
              ...(request.responderAuthorityId ? await coordinatorsOf(tx, request.responderAuthorityId) : []),
            ];
    for (const p of people) found.set(p.id, p);
  }
  return [...found.values()];
}

import { currentDeadline, sideOf, type Request } from '../../domain/request.ts';
import { daysBetween, todayIn } from '../../domain/deadlines.ts';
import { fail, ok, type Result } from '../../domain/result.ts';
import { holdsRights, type User } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';

export interface InboxItem {
  request: Request;
  side: 'requester' | 'responder';
  deadline: string | null;
  /** Days left to the current deadline (working days where the area counts them); negative when overdue. */
  daysLeft: number | null;
}

export interface Inbox {
  /** Waiting for this user's authority to act, most urgent first. */
  needsAction: InboxItem[];
  /** Waiting for the other authority. */
  waiting: InboxItem[];
  drafts: InboxItem[];
}

/** Whether the next step of a request lies with the given side. */
export function awaits(request: Request, side: 'requester' | 'responder'): boolean {
  if (side === 'responder') return ['sent', 'accepted', 'further_info_requested'].includes(request.status);
  return request.status === 'answered' || (request.status === 'sent' && request.proposedDeadline !== null);
}

/** The requests of the user's authority in the areas the user holds rights in, sorted by urgency. */
export async function inbox(deps: AppDeps, actorId: string, options: { training?: boolean } = {}): Promise<Result<Inbox>> {
  const actor = await deps.store.users.get(actorId);
  if (!actor || !actor.active) return fail('USER.NOT_REGISTERED');
  const authority = await deps.store.authorities.get(actor.authorityId);
  const today = todayIn(deps.clock.now(), authority?.timezone ?? 'UTC');
  const all = await deps.store.requests.list({ authorityId: actor.authorityId, training: options.training ?? false });
  const result: Inbox = { needsAction: [], waiting: [], drafts: [] };
  for (const request of all) {
    const item = inboxItem(request, actor, today, deps);
    if (!item) continue;
    if (request.status === 'draft') result.drafts.push(item);
    else if (awaits(request, item.side)) result.needsAction.push(item);
    else if (['sent', 'accepted', 'further_info_requested', 'answered'].includes(request.status)) result.waiting.push(item);
  }
  const byUrgency = (a: InboxItem, b: InboxItem) => (a.daysLeft ?? 1e9) - (b.daysLeft ?? 1e9) || a.request.id.localeCompare(b.request.id);
  result.needsAction.sort(byUrgency);
  result.waiting.sort(byUrgency);
  result.drafts.sort((a, b) => b.request.updatedAt.localeCompare(a.request.updatedAt));
  return ok(result);
}

/**
 * Days from today to a deadline, kept: every inbox and request card counts them (day by day
 * where working days count), and the pairs repeat from turn to turn within a day. Bounded.
 */
const counted = new Map<string, number>();
export function daysLeftUntil(today: string, deadline: string, workingDays: boolean): number {
  const key = `${today}|${deadline}|${workingDays}`;
  let days = counted.get(key);
  if (days === undefined) {
    days = daysBetween(today, deadline, workingDays);
    if (counted.size >= 10_000) counted.clear();
    counted.set(key, days);
  }
  return days;
}

function inboxItem(request: Request, actor: User, today: string, deps: AppDeps): InboxItem | null {
  const side = sideOf(request, actor);
  if (!side || !holdsRights(actor, request.area)) return null;
  const deadline = currentDeadline(request);
  const area = deps.areas.get(request.area);
  const daysLeft = deadline ? daysLeftUntil(today, deadline, area?.workingDays ?? false) : null;
  return { request, side, deadline, daysLeft };
}

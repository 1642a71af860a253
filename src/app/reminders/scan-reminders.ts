import type { Authority } from '../../domain/authority.ts';
import type { LegislativeArea } from '../../domain/area.ts';
import {
  dueAuthorityReminders,
  dueRequestReminders,
  localAdminsOf,
  nextWorkingInstant,
  type DueReminder,
  type ReminderPolicy,
  type ReminderRule,
} from '../../domain/reminders.ts';
import type { Request } from '../../domain/request.ts';
import type { User } from '../../domain/user.ts';
import type { AppDeps } from '../deps.ts';
import type { UnitOfWork } from '../ports/repositories.ts';
import { coordinatorsOf, handlersOf } from '../notifications/recipients.ts';
import { DEFAULT_REMINDER_POLICY, policyBook } from './reminder-policy.ts';
import { candidateBounds } from './candidate-bounds.ts';

/** One notification a scan put in the outbox. */
export interface QueuedReminder {
  /** The outbox row's key: the reminder's idempotency key plus the recipient. */
  outboxKey: string;
  reminderKey: string;
  rule: ReminderRule;
  requestId: string | null;
  authorityId: string;
  recipientId: string;
  /** When the recipient's working hours allow it to go out. */
  notBefore: string;
}

export interface ScanOutcome {
  queued: QueuedReminder[];
  /** Requests or authorities the scan could not handle; the others went ahead. */
  errors: { target: string; message: string }[];
}

/**
 * One reminder scan: derives what is due from the data as it is now and queues each reminder
 * once. Safe to run from several processes at once; a reminder whose key is already recorded
 * is skipped, and after downtime each rule yields its latest due reminder only.
 */
export async function scanReminders(deps: AppDeps, defaults: ReminderPolicy = DEFAULT_REMINDER_POLICY): Promise<ScanOutcome> {
  const now = deps.clock.now();
  const book = policyBook(defaults, await deps.store.reminders.settings());
  const authorities = new Map((await deps.store.authorities.list()).map((a) => [a.id, a]));
  const outcome: ScanOutcome = { queued: [], errors: [] };
  const issue = (due: DueReminder, subject: Subject) => issueReminder(deps, now, book, authorities, due, subject);

  const bounds = candidateBounds(now, [...authorities.values()], book.of, [...deps.areas.values()]);
  for (const id of bounds ? await deps.store.reminders.candidates(bounds) : []) {
    try {
      const request = await deps.store.requests.get(id);
      const responder = request?.responderAuthorityId ? authorities.get(request.responderAuthorityId) : undefined;
      const requester = request ? authorities.get(request.requesterAuthorityId) : undefined;
      const area = request ? deps.areas.get(request.area) : undefined;
      if (!request || !responder || !requester || !area) continue;
      const policy = book.of(responder.id);
      const due = dueRequestReminders({
        request,
        area,
        responderZone: responder.timezone,
        requesterZone: requester.timezone,
        // Evaluated for when it will be read: a Friday-night scan speaks as of Monday morning.
        asOf: nextWorkingInstant(now, responder.timezone, policy.workingHours),
        policy,
        proposal: await proposalOf(deps, request),
      });
      for (const d of due) outcome.queued.push(...(await issue(d, { request, area, authorityId: responder.id })));
    } catch (err) {
      outcome.errors.push({ target: id, message: err instanceof Error ? err.message : String(err) });
    }
  }

  const users = (await deps.store.users.list()).filter((u) => u.active);
  for (const authority of authorities.values()) {
    try {
      for (const d of dueAuthorityReminders(authority, users, now)) {
        const area = typeof d.params.area === 'string' ? deps.areas.get(d.params.area) : undefined;
        outcome.queued.push(...(await issue(d, { request: null, area, authorityId: authority.id })));
      }
    } catch (err) {
      outcome.errors.push({ target: authority.id, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return outcome;
}

/** When the current deadline proposal was made and when the requester last looked, if a proposal is open. */
async function proposalOf(deps: AppDeps, request: Request) {
  if (request.status !== 'sent' || !request.proposedDeadline) return null;
  const proposed = (await deps.store.history.of(request.id)).filter((e) => e.type === 'deadline_proposed').at(-1);
  if (!proposed) return null;
  return { at: proposed.at, seenAt: await deps.store.reminders.lastSeen(request.id, request.requesterAuthorityId) };
}

interface Subject {
  request: Request | null;
  area: LegislativeArea | undefined;
  /** The authority whose policy and data the reminder concerns. */
  authorityId: string;
}

async function audienceOf(tx: UnitOfWork, due: DueReminder, s: Subject): Promise<User[]> {
  const r = s.request;
  switch (due.audience) {
    case 'responder':
      return r?.responderAuthorityId ? handlersOf(tx, r.responderAuthorityId, r.area) : [];
    case 'requester':
      return r ? handlersOf(tx, r.requesterAuthorityId, r.area) : [];
    case 'responder_coordinators':
      return r?.responderAuthorityId ? coordinatorsOf(tx, r.responderAuthorityId) : [];
    case 'local_admins': {
      // Without a local admin, the coordinator who registers the authority's users is asked instead.
      const admins = localAdminsOf(await tx.users.ofAuthority(s.authorityId), s.authorityId);
      return admins.length > 0 ? admins : coordinatorsOf(tx, s.authorityId);
    }
  }
}

/** Rolls back an issuing transaction that found, after claiming the key, nothing to send. */
class NothingToSend extends Error {}

/**
 * Records the reminder under its key and queues one outbox row per recipient, in one
 * transaction. The key is written first: on sqlite a transaction that starts by writing waits
 * its turn for the lock, where one that read first would fail when another process wrote meanwhile.
 */
async function issueReminder(
  deps: AppDeps,
  now: Date,
  book: ReturnType<typeof policyBook>,
  authorities: Map<string, Authority>,
  due: DueReminder,
  s: Subject,
): Promise<QueuedReminder[]> {
  try {
    return await deps.store.transaction(async (tx) => {
      const recorded = await tx.reminders.record({
        key: due.key,
        rule: due.rule,
        requestId: s.request?.id ?? null,
        authorityId: s.authorityId,
        at: now.toISOString(),
      });
      if (!recorded) return [];
      if (s.request) {
        // A step taken since the scan read the request may have made the reminder moot.
        const fresh = await tx.requests.get(s.request.id);
        if (!fresh || fresh.version !== s.request.version) throw new NothingToSend();
      }
      const people = await audienceOf(tx, due, s);
      // Nobody to tell yet: leave the key free, so the reminder goes out once someone is there.
      if (people.length === 0) throw new NothingToSend();
      const queued: QueuedReminder[] = [];
      for (const person of people) {
        const zone = authorities.get(person.authorityId)?.timezone ?? 'UTC';
        const notBefore = nextWorkingInstant(now, zone, book.of(person.authorityId).workingHours).toISOString();
        const outboxKey = `${due.key}:${person.id}`;
        const added = await tx.outbox.add({
          key: outboxKey,
          recipientId: person.id,
          kind: `reminder.${due.rule}`,
          requestId: s.request?.id ?? null,
          params: { ...due.params, ...(s.area ? { area: s.area.id } : {}) },
          createdAt: now.toISOString(),
          notBefore,
        });
        if (added) {
          queued.push({
            outboxKey,
            reminderKey: due.key,
            rule: due.rule,
            requestId: s.request?.id ?? null,
            authorityId: s.authorityId,
            recipientId: person.id,
            notBefore,
          });
        }
      }
      return queued;
    });
  } catch (err) {
    if (err instanceof NothingToSend) return [];
    throw err;
  }
}

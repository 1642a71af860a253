import { fail, ok, type Result } from '../../domain/result.ts';
import {
  formatWorkingHours,
  validDaysBefore,
  validEscalationDelay,
  type ReminderPolicy,
  type WorkingHours,
} from '../../domain/reminders.ts';
import type { AppDeps, Origin } from '../deps.ts';
import { policyOf } from './reminder-policy.ts';

export interface ReminderSettingsChange {
  authorityId: string;
  /** Omitted: unchanged; null: back to the default. */
  daysBefore?: number[] | null;
  escalateAfterDays?: number | null;
  workingHours?: WorkingHours | null;
}

export interface ReminderSettingsView {
  authorityId: string;
  /** The authority's own values (null where it uses the default). */
  own: { daysBefore: number[] | null; escalateAfterDays: number | null; workingHours: string | null };
  /** What applies. */
  effective: { daysBefore: number[]; escalateAfterDays: number; workingHours: string };
}

const view = (authorityId: string, own: ReminderSettingsView['own'], p: ReminderPolicy): ReminderSettingsView => ({
  authorityId,
  own,
  effective: { daysBefore: p.daysBefore, escalateAfterDays: p.escalateAfterDays, workingHours: formatWorkingHours(p.workingHours) },
});

/** An authority's reminder settings and what applies to it. */
export async function reminderSettingsOf(deps: AppDeps, defaults: ReminderPolicy, authorityId: string): Promise<Result<ReminderSettingsView>> {
  if (!(await deps.store.authorities.get(authorityId))) return fail('AUTHORITY.NOT_FOUND', { id: authorityId }, 'authority');
  const own = (await deps.store.reminders.settings()).find((s) => s.authorityId === authorityId);
  const values = { daysBefore: own?.daysBefore ?? null, escalateAfterDays: own?.escalateAfterDays ?? null, workingHours: own?.workingHours ?? null };
  return ok(view(authorityId, values, policyOf(defaults, own)));
}

/**
 * Changes when an authority's people are reminded. Callers parse the values; out-of-range
 * ones are refused here as a programming error would be, so every channel gets the same limits.
 */
export async function changeReminderSettings(
  deps: AppDeps,
  defaults: ReminderPolicy,
  change: ReminderSettingsChange,
  by: { id: string; origin: Origin },
): Promise<Result<ReminderSettingsView>> {
  if (change.daysBefore && !validDaysBefore(change.daysBefore)) throw new RangeError('daysBefore out of range');
  if (change.escalateAfterDays && !validEscalationDelay(change.escalateAfterDays)) throw new RangeError('escalateAfterDays out of range');
  const saved = await deps.store.transaction(async (tx) => {
    if (!(await tx.authorities.get(change.authorityId))) return false;
    const current = (await tx.reminders.settings()).find((s) => s.authorityId === change.authorityId);
    const next = {
      authorityId: change.authorityId,
      daysBefore: change.daysBefore === undefined ? (current?.daysBefore ?? null) : change.daysBefore,
      escalateAfterDays: change.escalateAfterDays === undefined ? (current?.escalateAfterDays ?? null) : change.escalateAfterDays,
      workingHours:
        change.workingHours === undefined ? (current?.workingHours ?? null) : change.workingHours && formatWorkingHours(change.workingHours),
    };
    await tx.reminders.saveSettings(next);
    await tx.audit.append({
      at: deps.clock.now().toISOString(),
      actorId: by.id,
      channel: by.origin,
      action: 'reminders.settings',
      target: change.authorityId,
      details: { daysBefore: next.daysBefore?.join(',') ?? null, escalateAfterDays: next.escalateAfterDays, workingHours: next.workingHours },
    });
    return true;
  });
  if (!saved) return fail('AUTHORITY.NOT_FOUND', { id: change.authorityId }, 'authority');
  return reminderSettingsOf(deps, defaults, change.authorityId);
}

/**
 * Notes that a user opened a request. The conversation calls this when a request is shown,
 * so a deadline proposal the requester has looked at is not reminded about.
 */
export async function markRequestSeen(deps: AppDeps, userId: string, requestId: string): Promise<void> {
  await deps.store.reminders.markSeen(requestId, userId, deps.clock.now().toISOString());
}

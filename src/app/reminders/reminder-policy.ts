import {
  DEFAULT_DAYS_BEFORE,
  DEFAULT_ESCALATE_AFTER_DAYS,
  DEFAULT_WORKING_HOURS,
  parseWorkingHours,
  type ReminderPolicy,
} from '../../domain/reminders.ts';
import type { ReminderSettingsRecord } from '../ports/reminder.repository.ts';

/** The installation-wide reminder policy (from the environment); authorities may override each part. */
export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  daysBefore: DEFAULT_DAYS_BEFORE,
  escalateAfterDays: DEFAULT_ESCALATE_AFTER_DAYS,
  workingHours: DEFAULT_WORKING_HOURS,
};

/** An authority's policy: its own settings where it has them, the defaults elsewhere. */
export function policyOf(defaults: ReminderPolicy, own: ReminderSettingsRecord | undefined): ReminderPolicy {
  return {
    daysBefore: [...(own?.daysBefore ?? defaults.daysBefore)].sort((a, b) => b - a),
    escalateAfterDays: own?.escalateAfterDays ?? defaults.escalateAfterDays,
    workingHours: (own?.workingHours ? parseWorkingHours(own.workingHours) : null) ?? defaults.workingHours,
  };
}

/** Looks up policies by authority id; loaded once per scan, since there is at most one row per authority. */
export function policyBook(defaults: ReminderPolicy, records: ReminderSettingsRecord[]) {
  const own = new Map(records.map((r) => [r.authorityId, r]));
  const cache = new Map<string, ReminderPolicy>();
  return {
    of(authorityId: string): ReminderPolicy {
      let p = cache.get(authorityId);
      if (!p) cache.set(authorityId, (p = policyOf(defaults, own.get(authorityId))));
      return p;
    },
  };
}

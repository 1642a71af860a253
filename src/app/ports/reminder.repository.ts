import type { IsoDate } from '../../domain/deadlines.ts';
import type { Channel } from '../../domain/user.ts';
import type { OutboxStatus } from './records.ts';

/** Bounds of the reminder scan's candidate query; each one is answered through an indexed column. */
export interface ReminderCandidateQuery {
  /** Sent (not accepted) requests sent at or before this instant may be waiting too long for acceptance. */
  sentBefore: string;
  /** Open requests whose deadline falls on or before this date may have a deadline reminder due. */
  deadlineOnOrBefore: IsoDate;
  /** Sent requests with a deadline proposed at or before this instant may have an unseen proposal. */
  proposedBefore: string;
}

/** An authority's own reminder settings; null fields take the defaults. */
export interface ReminderSettingsRecord {
  authorityId: string;
  daysBefore: number[] | null;
  escalateAfterDays: number | null;
  /** As written, e.g. "Mon-Fri 08:00-18:00". */
  workingHours: string | null;
}

/** A reminder that was issued: recorded once under its idempotency key, whichever process got there first. */
export interface IssuedReminder {
  key: string;
  rule: string;
  requestId: string | null;
  authorityId: string;
  at: string;
}

export interface ReminderRepository {
  /** Ids of open, non-training requests that some request rule may concern; never every request. */
  candidates(q: ReminderCandidateQuery): Promise<string[]>;
  /** Records an issued reminder; false when its key was recorded before (by this or another process). */
  record(r: IssuedReminder): Promise<boolean>;
  /** Every authority's own settings (authorities without settings are absent). */
  settings(): Promise<ReminderSettingsRecord[]>;
  /** Replaces an authority's settings. */
  saveSettings(s: ReminderSettingsRecord): Promise<void>;
  /** Notes that a user looked at a request (for the unseen-proposal reminder). */
  markSeen(requestId: string, userId: string, at: string): Promise<void>;
  /** The last time anyone of an authority looked at a request, or null. */
  lastSeen(requestId: string, authorityId: string): Promise<string | null>;
  /** Delivery state of outbox rows by their keys. */
  outboxState(keys: string[]): Promise<{ key: string; status: OutboxStatus; channel: Channel | null }[]>;
}

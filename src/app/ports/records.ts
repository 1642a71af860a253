import type { Channel } from '../../domain/user.ts';

/** Who did what, when, from which channel; never holds personal data of requests. */
export interface AuditEntry {
  at: string;
  actorId: string;
  channel: Channel | 'cli' | 'system';
  action: string;
  target: string;
  details: Record<string, string | number | boolean | null>;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/** A notification to one user, written in the same transaction as the change that caused it. */
export interface NewNotification {
  /** Idempotency key: the same notification is never queued twice. */
  key: string;
  recipientId: string;
  /** i18n key of the message kind, e.g. "request.sent". */
  kind: string;
  requestId: string | null;
  params: Record<string, string | number | null>;
  createdAt: string;
  /** Not to be sent before this time (working hours of the recipient). */
  notBefore?: string;
}

export interface OutboxRow extends NewNotification {
  id: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  channel: Channel | null;
  deliveredAt: string | null;
}

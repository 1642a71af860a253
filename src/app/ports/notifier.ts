import type { Channel } from '../../domain/user.ts';
import type { OutboxRow } from './records.ts';

export type DeliveryOutcome =
  | { ok: true; channel: Channel }
  | {
      ok: false;
      /** False when trying again cannot help (no channel identity, user uninstalled the app). */
      retryable: boolean;
      reason: string;
      /** What the platform asked us to wait (HTTP 429 Retry-After), in milliseconds. */
      retryAfterMs?: number;
    };

/** Sends one queued notification to its recipient on the channel they use. */
export interface Notifier {
  /** Delivers the notification once; the outbox worker decides about retries. */
  deliver(notification: OutboxRow): Promise<DeliveryOutcome>;
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Notifier } from './app/ports/notifier.ts';
import type { Store } from './app/ports/repositories.ts';
import type { ConversationPort } from './conversation/types.ts';
import type { Mount } from './server.ts';

/**
 * Prometheus metrics of this process, served at GET /metrics. Counters count what this instance
 * did; with several instances Prometheus adds them up. The outbox backlog is read from the
 * database at each scrape, so every instance reports the same, shared figure.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'imi_process_' });

const turns = new Counter({
  name: 'imi_turns_total',
  help: 'Conversation turns handled, by channel.',
  labelNames: ['channel'] as const,
  registers: [registry],
});

const turnSeconds = new Histogram({
  name: 'imi_turn_duration_seconds',
  help: 'Time from a turn arriving to its reply being ready, by channel.',
  labelNames: ['channel'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const remindersSent = new Counter({
  name: 'imi_reminders_sent_total',
  help: 'Reminders delivered to their recipient, by rule.',
  labelNames: ['rule'] as const,
  registers: [registry],
});

const failures = new Counter({
  name: 'imi_failures_total',
  help: 'Failures by kind: turn (a turn threw), delivery (a notification attempt failed), http (a 5xx answer).',
  labelNames: ['kind'] as const,
  registers: [registry],
});

const outboxBacklog = new Gauge({
  name: 'imi_outbox_notifications',
  help: 'Notifications in the outbox that are pending or failed for good (read from the database at scrape).',
  labelNames: ['status'] as const,
  registers: [registry],
});

const leader = new Gauge({
  name: 'imi_scheduled_jobs_leader',
  help: '1 when this instance holds the lease of the scheduled jobs (reminder scan, retention), else 0.',
  registers: [registry],
});

/** The conversation with every turn counted and timed; welcome greetings are not turns. */
export function instrumentConversation(inner: ConversationPort): ConversationPort {
  return {
    welcome: (turn) => inner.welcome(turn),
    async handle(turn) {
      const end = turnSeconds.startTimer({ channel: turn.channel });
      try {
        return await inner.handle(turn);
      } catch (err) {
        failures.inc({ kind: 'turn' });
        throw err;
      } finally {
        end();
        turns.inc({ channel: turn.channel });
      }
    },
  };
}

/** The notifier with delivered reminders and failed attempts counted. */
export function instrumentNotifier(inner: Notifier): Notifier {
  return {
    async deliver(row) {
      try {
        const outcome = await inner.deliver(row);
        if (!outcome.ok) failures.inc({ kind: 'delivery' });
        else if (row.kind.startsWith('reminder.')) remindersSent.inc({ rule: row.kind.slice('reminder.'.length) });
        return outcome;
      } catch (err) {
        failures.inc({ kind: 'delivery' });
        throw err;
      }
    },
  };
}

let leading: (() => boolean) | null = null;

/** Lets imi_scheduled_jobs_leader follow this instance's leadership. */
export function trackLeadership(isLeading: () => boolean): void {
  leading = isLeading;
}

/** GET /metrics in the Prometheus text format; also counts 5xx answers of every route mounted after it. */
export function metricsMount(store: Pick<Store, 'outbox'>): Mount {
  return {
    mount(app) {
      app.use((_req, res, next) => {
        res.on('finish', () => {
          if (res.statusCode >= 500) failures.inc({ kind: 'http' });
        });
        next();
      });
      app.get('/metrics', async (_req, res) => {
        try {
          const backlog = await store.outbox.backlog();
          outboxBacklog.set({ status: 'pending' }, backlog.pending);
          outboxBacklog.set({ status: 'failed' }, backlog.failed);
        } catch {
          // The database is down: the scrape still answers, without a backlog figure it cannot know.
          outboxBacklog.reset();
        }
        leader.set(leading?.() ? 1 : 0);
        res.type(registry.contentType).send(await registry.metrics());
      });
    },
  };
}

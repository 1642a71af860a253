import type { DeliveryOutcome, Notifier } from '../app/ports/notifier.ts';
import type { OutboxRow } from '../app/ports/records.ts';
import type { UnitOfWork } from '../app/ports/repositories.ts';
import type { Channel, Identity, User } from '../domain/user.ts';
import { negotiateLanguage, type Translator } from '../i18n/i18n.ts';
import type { NotificationViewBuilder } from './notification-view.ts';
import { localize } from './render.ts';
import type { ChannelSender, RenderedReply } from './types.ts';

export interface NotificationDispatcherDeps {
  store: Pick<UnitOfWork, 'users' | 'authorities'>;
  i18n: Translator;
  view: NotificationViewBuilder;
  /** The channels that can reach people unprompted; a channel without a sender is never chosen. */
  senders: ChannelSender[];
}

/**
 * Renders a notification in its recipient's language: their own choice, else their authority's.
 * The dispatcher uses it to send, the web chat to show its feed.
 */
export function notificationRenderer(deps: Pick<NotificationDispatcherDeps, 'store' | 'i18n' | 'view'>) {
  return async (user: User, row: OutboxRow): Promise<RenderedReply> => {
    const authority = await deps.store.authorities.get(user.authorityId);
    const lang = negotiateLanguage(deps.i18n.languages, user.language, authority?.language);
    return localize(deps.i18n, lang, await deps.view(row, { user, lang }));
  };
}

/** Chat platforms first, where people see a message at once; the web feed waits until they look. */
const CHANNEL_ORDER: Channel[] = ['teams', 'slack', 'web'];

/** The user's reachable channels in order of preference, each with the sender and the identity to use. */
export function routesOf(user: User, senders: ChannelSender[]): { sender: ChannelSender; identity: Identity }[] {
  const routes: { sender: ChannelSender; identity: Identity }[] = [];
  for (const channel of CHANNEL_ORDER) {
    const sender = senders.find((s) => s.channel === channel);
    const identity = user.identities.find((i) => i.channel === channel);
    if (sender && identity) routes.push({ sender, identity });
  }
  return routes;
}

/**
 * The Notifier: renders a notification in the recipient's language and sends it on the first
 * channel that reaches them. A channel that refuses for good (the user left the workspace)
 * hands over to the next one; a passing failure is left to the outbox worker to retry.
 */
export function createNotificationDispatcher(deps: NotificationDispatcherDeps): Notifier {
  const render = notificationRenderer(deps);
  return {
    async deliver(row): Promise<DeliveryOutcome> {
      const user = await deps.store.users.get(row.recipientId);
      if (!user || !user.active) {
        return { ok: false, retryable: false, reason: `recipient ${row.recipientId} is not an active user` };
      }
      const routes = routesOf(user, deps.senders);
      if (routes.length === 0) {
        const known = user.identities.map((i) => i.channel).join(', ') || 'none';
        return {
          ok: false,
          retryable: false,
          reason: `no usable channel for ${user.id}: identities ${known}, senders ${deps.senders.map((s) => s.channel).join(', ') || 'none'}`,
        };
      }
      const rendered = await render(user, row);
      const refusals: string[] = [];
      for (const { sender, identity } of routes) {
        const sent = await sender.send(identity.externalId, rendered);
        if (sent.ok) return { ok: true, channel: sender.channel };
        if (sent.retryable) {
          return { ok: false, retryable: true, reason: `${sender.channel}: ${sent.reason}`, retryAfterMs: sent.retryAfterMs };
        }
        refusals.push(`${sender.channel}: ${sent.reason}`);
      }
      return { ok: false, retryable: false, reason: refusals.join('; ') };
    },
  };
}

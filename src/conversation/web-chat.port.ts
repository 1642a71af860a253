import type { ConversationDeps } from './turn-context.ts';
import type { RenderedReply, SignInChoice, WebChatPort } from './types.ts';

/** Renders one delivered notification for the web feed; provided by the notification views. */
export type FeedRenderer = (userId: string, notification: import('../app/ports/records.ts').OutboxRow) => Promise<RenderedReply>;

/** The web chat's sign-in list and feed, read through the store the conversation already has. */
export function webChatPort(deps: ConversationDeps, render: FeedRenderer | null): WebChatPort {
  const store = deps.app.store;
  const webUser = async (login: string) => {
    const user = await store.users.byIdentity({ channel: 'web', externalId: login });
    return user?.active ? user : null;
  };
  return {
    async signInChoices() {
      const [users, authorities] = await Promise.all([store.users.list(), store.authorities.list()]);
      const byId = new Map(authorities.map((a) => [a.id, a]));
      return users
        .filter((u) => u.active && u.identities.some((i) => i.channel === 'web'))
        .map((u): SignInChoice => {
          const a = byId.get(u.authorityId);
          return {
            login: u.identities.find((i) => i.channel === 'web')!.externalId,
            name: u.name,
            authority: a?.name ?? u.authorityId,
            country: a?.country ?? '',
            roles: u.roles,
            language: u.language,
          };
        });
    },
    async canSignIn(login) {
      return (await webUser(login)) !== null;
    },
    async feed(login, afterId) {
      const user = await webUser(login);
      if (!user || !render) return [];
      const mine = await store.outbox.deliveredTo(user.id, 'web', afterId, 50);
      const out = [];
      for (const n of mine) out.push({ id: n.id, at: n.deliveredAt ?? n.createdAt, reply: await render(user.id, n) });
      return out;
    },
  };
}

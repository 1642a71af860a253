import type { ConversationPort, RenderedReply, Turn } from '../../src/conversation/types.ts';
import type { Translator } from '../../src/i18n/i18n.ts';
import { homeView } from './blocks.slack.ts';
import { parseSlackExternalId, type LocaleCache } from './identity.slack.ts';
import { slackLabels, type SlackLog } from './labels.slack.ts';
import { classifySlackError, type WebClient } from './web-api.slack.ts';

export interface HomeTabDeps {
  conversation: ConversationPort;
  api: WebClient;
  i18n: Translator;
  locales: LocaleCache;
  log: SlackLog;
}

/**
 * The App Home tab: the user's inbox and onboarding, exactly what the chat commands `inbox`
 * and `onboarding` answer, republished whenever something of theirs may have changed.
 * Refreshes of one user never overlap; one asked for during a publish runs once after it.
 */
export class HomeTab {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly deps: HomeTabDeps) {}

  /** Republishes the user's home tab; resolves when it is up to date. */
  refresh(externalId: string): Promise<void> {
    const current = this.running.get(externalId);
    if (current) {
      this.again.add(externalId);
      return current;
    }
    const run = (async () => {
      do {
        this.again.delete(externalId);
        await this.publish(externalId);
      } while (this.again.has(externalId));
    })().finally(() => this.running.delete(externalId));
    this.running.set(externalId, run);
    return run;
  }

  private async publish(externalId: string): Promise<void> {
    const who = parseSlackExternalId(externalId);
    if (!who) return;
    const locale = await this.deps.locales.localeOf(who.teamId, who.userId);
    const turn: Turn = { channel: 'slack', externalId, workspace: who.teamId, ...(locale ? { locale } : {}) };
    const [inbox, onboarding] = await Promise.all([
      this.deps.conversation.handle({ ...turn, text: 'inbox' }),
      this.deps.conversation.handle({ ...turn, text: 'onboarding' }),
    ]);
    // A stranger gets the same "you are not registered" answer twice; show it once.
    const parts: RenderedReply[] = JSON.stringify(inbox) === JSON.stringify(onboarding) ? [inbox] : [inbox, onboarding];
    try {
      await this.deps.api.views.publish({ user_id: who.userId, view: homeView(parts, slackLabels(this.deps.i18n, inbox.lang)) });
    } catch (err) {
      this.deps.log.warn(`${classifySlackError(err).reason} (publishing the home tab of ${externalId})`);
    }
  }
}

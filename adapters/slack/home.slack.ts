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

/** Shortest time between two publishes of one user's tab. */
const MIN_INTERVAL_MS = 1000;

/**
 * The App Home tab: the user's inbox and onboarding, exactly what the chat commands `inbox`
 * and `onboarding` answer, republished whenever something of theirs may have changed.
 * Refreshes of one user never overlap; one asked for during a publish runs once after it.
 * A user's publishes are also spaced by MIN_INTERVAL_MS: every DM turn asks for a refresh, and a
 * publish costs two conversation turns plus views.publish (Tier 4), so a user typing quickly
 * got three turns of work per message and the next answer waited behind them. However many
 * requests arrive while one is waiting or publishing, they get one more publish after it.
 */
export class HomeTab {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** When each user's last publish started (recent ones only; pruned as the map grows). */
  private readonly lastStarted = new Map<string, number>();

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
        await this.spacing(externalId);
        this.lastStarted.set(externalId, Date.now());
        await this.publish(externalId);
      } while (this.again.has(externalId));
    })().finally(() => this.running.delete(externalId));
    this.running.set(externalId, run);
    return run;
  }

  private async spacing(externalId: string): Promise<void> {
    const wait = (this.lastStarted.get(externalId) ?? -Infinity) + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (this.lastStarted.size > 1000) {
      for (const [id, at] of this.lastStarted) if (at + MIN_INTERVAL_MS <= Date.now()) this.lastStarted.delete(id);
    }
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

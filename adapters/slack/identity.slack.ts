/**
 * Who a Slack user is for imi-bot: `team:user` is the identity an operator registers with
 * `imi user add --slack TEAM:USER`, and the Slack locale is a hint for the reply language.
 */

/** The Turn.externalId of a Slack user. */
export const slackExternalId = (teamId: string, userId: string): string => `${teamId}:${userId}`;

/** Splits a Slack externalId back into workspace and user; null when it is not one. */
export function parseSlackExternalId(externalId: string): { teamId: string; userId: string } | null {
  const m = /^([A-Z0-9]+):([A-Z0-9]+)$/.exec(externalId);
  return m ? { teamId: m[1]!, userId: m[2]! } : null;
}

/** Looks up a user's Slack locale (users.info with include_locale). */
export type LocaleLookup = (userId: string) => Promise<string | undefined>;

/**
 * Remembers each user's Slack locale for a while: users.info is rate limited (Tier 4) and the
 * locale rarely changes, but a user who switches Slack's language should be heard within the hour.
 */
export class LocaleCache {
  private readonly entries = new Map<string, { locale: string | undefined; until: number }>();
  private readonly inFlight = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly lookup: LocaleLookup,
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user's locale, or undefined when Slack does not tell (the reply language then falls back). */
  async localeOf(teamId: string, userId: string): Promise<string | undefined> {
    const key = slackExternalId(teamId, userId);
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.locale;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const p = this.lookup(userId)
      .then((locale) => {
        this.entries.set(key, { locale, until: this.now() + this.ttlMs });
        return locale;
      })
      // A failed lookup must not block the turn; try again on the next one.
      .catch(() => hit?.locale)
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }
}

/**
 * What a user typed, as plain text: Slack sends message and command text with its own markup
 * (`<@U123>` mentions, `<https://x|label>` links, `&lt;` escapes), which the conversation should not see.
 */
export function plainSlackText(text: string): string {
  return text
    .replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, '')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(?:subteam\^[A-Z0-9]+\|)?([^>|]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<([^>|]+)\|([^>]*)>/g, '$2')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

import { LogLevel, webApi, type Logger } from '@slack/bolt';

const { ErrorCode, WebClient } = webApi;
export type WebClient = InstanceType<typeof webApi.WebClient>;

/**
 * The one place Slack Web API errors are translated (CONVENTIONS 10), and the client every
 * Slack call goes through. The client's own retries are off so the send queue alone decides
 * when a call is repeated: two retry layers would post a message twice or wait twice as long.
 */

export interface SlackApiSettings {
  botToken: string;
  /** Web API base URL; a local fake in tests. */
  apiUrl: string;
}

/** A WebClient that never retries on its own and reports a 429 as an error with its Retry-After. */
export function createSlackClient(settings: SlackApiSettings, logger?: Logger): WebClient {
  return new WebClient(settings.botToken, {
    slackApiUrl: settings.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
    ...(logger ? { logger } : { logLevel: LogLevel.WARN }),
  });
}

export type SlackFailure =
  /** HTTP 429: nothing was done; the same call may be repeated after the wait. */
  | { kind: 'rate_limited'; retryAfterMs: number; reason: string }
  /** The bot token no longer works: every further call fails the same way until an operator acts. */
  | { kind: 'auth'; reason: string }
  /** This user or conversation cannot be reached any more (deactivated, DM closed, app removed). */
  | { kind: 'gone'; reason: string }
  /** Network trouble or a Slack outage: trying later may work. */
  | { kind: 'transient'; reason: string }
  /** Slack refused the call itself (bad blocks, missing scope): repeating it cannot help. */
  | { kind: 'rejected'; reason: string };

const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'no_permission', 'org_login_required', 'ekm_access_denied']);
const GONE_ERRORS = new Set(['user_not_found', 'user_disabled', 'channel_not_found', 'is_archived', 'cannot_dm_bot', 'user_not_visible', 'messages_tab_disabled', 'not_in_channel', 'team_access_not_granted']);
const TRANSIENT_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/** Classifies anything a Web API call threw. */
export function classifySlackError(err: unknown): SlackFailure {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string; needed?: string }; statusCode?: number; message?: string };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return { kind: 'rate_limited', retryAfterMs: Math.max(0, (e.retryAfter ?? 1) * 1000), reason: `slack rate limited (Retry-After ${e.retryAfter ?? 1}s)` };
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? 'unknown_error';
      if (AUTH_ERRORS.has(code)) {
        return { kind: 'auth', reason: `slack ${code}: the bot token is invalid or was revoked; check SLACK_BOT_TOKEN and reinstall the app` };
      }
      if (GONE_ERRORS.has(code)) return { kind: 'gone', reason: `slack ${code}` };
      if (TRANSIENT_ERRORS.has(code)) return { kind: 'transient', reason: `slack ${code}` };
      if (code === 'missing_scope') return { kind: 'rejected', reason: `slack missing_scope ${e.data?.needed ?? ''}: add it in the app manifest and reinstall`.trim() };
      return { kind: 'rejected', reason: `slack ${code}` };
    }
    case ErrorCode.HTTPError:
      return (e.statusCode ?? 500) >= 500
        ? { kind: 'transient', reason: `slack HTTP ${e.statusCode}` }
        : { kind: 'rejected', reason: `slack HTTP ${e.statusCode}` };
    case ErrorCode.RequestError:
      return { kind: 'transient', reason: `slack request failed: ${e.message ?? 'network error'}` };
    default:
      return { kind: 'transient', reason: `slack call failed: ${e?.message ?? String(err)}` };
  }
}

/** Thrown by the send queue when a call failed for good or waited longer than it may. */
export class SlackCallError extends Error {
  constructor(readonly failure: SlackFailure) {
    super(failure.reason);
  }
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Serialises writes per Slack conversation (so a user's messages keep their order) and honours
 * Retry-After: a 429 pauses every conversation until the wait is over, then the same call is made
 * again. A 429 means Slack did nothing, so repeating cannot duplicate a message; any other failure
 * is handed back untouched, never repeated here.
 */
export class SlackSendQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private pausedUntil = 0;

  constructor(
    /** Longest total wait for one call before it is handed back as rate limited (to the outbox's backoff). */
    private readonly maxWaitMs = 60_000,
    private readonly sleep: (ms: number) => Promise<void> = realSleep,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `call` after everything queued before on `conversation`; throws SlackCallError on failure. */
  run<T>(conversation: string, call: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversation) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.attempt(call));
    const tail = mine.catch(() => undefined);
    this.tails.set(conversation, tail);
    void tail.then(() => {
      if (this.tails.get(conversation) === tail) this.tails.delete(conversation);
    });
    return mine;
  }

  /** Resolves when nothing is queued any more. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  private async attempt<T>(call: () => Promise<T>): Promise<T> {
    let waited = 0;
    for (;;) {
      const pause = this.pausedUntil - this.now();
      if (pause > 0) {
        if (waited + pause > this.maxWaitMs) {
          throw new SlackCallError({ kind: 'rate_limited', retryAfterMs: pause, reason: `slack rate limited for ${Math.ceil(pause / 1000)}s more` });
        }
        waited += pause;
        await this.sleep(pause);
        continue;
      }
      try {
        return await call();
      } catch (err) {
        const failure = classifySlackError(err);
        if (failure.kind !== 'rate_limited') throw new SlackCallError(failure);
        // Slack sends Retry-After in whole seconds; 0 still means "not now", so wait a little.
        this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.max(failure.retryAfterMs, 250));
      }
    }
  }
}

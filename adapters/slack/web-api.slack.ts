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
 * After this long without a 429 one more call a second is allowed, so a limit that was raised, or
 * learned while another sender shared it, is found again; one 429 now and then is the price.
 */
const PACING_PROBE_MS = 30_000;
/** Kept this far under what got through, for the calls that reach Slack later than they started. */
const PACING_MARGIN = 0.97;
/** Fewer successes than this in the second before a 429 say nothing about the limit (another sender used it up). */
const PACING_MIN_SAMPLE = 5;

/**
 * Serialises writes per Slack conversation (so a user's messages keep their order) and honours
 * Retry-After: a 429 pauses every conversation until the wait is over, then the same call is made
 * again. A 429 means Slack did nothing, so repeating cannot duplicate a message; any other failure
 * is handed back untouched, never repeated here.
 *
 * After a 429 no more calls start in any one second than Slack let through in the second before
 * it. Bursting into the limit and waiting out each Retry-After (whole seconds, counted from the
 * 429, not from when the limit resets) leaves part of every second unused; calls held to the
 * limit keep it in use.
 */
export class SlackSendQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private pausedUntil = 0;
  /** Start times of the calls of the last second, oldest first. */
  private readonly started: number[] = [];
  /** Start times of the successful calls of the last second, oldest first. */
  private readonly succeeded: number[] = [];
  /** Calls that may start in any one second; 0 while no 429 was seen lately. */
  private perSecond = 0;
  private lastLimitedAt = -Infinity;
  private lastRaisedAt = -Infinity;
  /** When calls could start again after the last 429. */
  private resumedAt = -Infinity;

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
    const tooLong = (pause: number) =>
      new SlackCallError({ kind: 'rate_limited', retryAfterMs: pause, reason: `slack rate limited for ${Math.ceil(pause / 1000)}s more` });
    for (;;) {
      const pause = this.pausedUntil - this.now();
      if (pause > 0) {
        if (waited + pause > this.maxWaitMs) throw tooLong(pause);
        waited += pause;
        await this.sleep(pause);
        continue;
      }
      const slot = this.slot();
      if (slot > 0) {
        if (waited + slot > this.maxWaitMs) throw tooLong(slot);
        waited += slot;
        await this.sleep(slot);
        continue;
      }
      const started = this.now();
      try {
        const result = await call();
        this.succeeded.push(started);
        trim(this.succeeded, this.now());
        return result;
      } catch (err) {
        const failure = classifySlackError(err);
        if (failure.kind !== 'rate_limited') throw new SlackCallError(failure);
        this.limited(failure.retryAfterMs);
      }
    }
  }

  /** Starts a call now if the learned limit allows it (returns 0), else returns how long until it does. */
  private slot(): number {
    const now = this.now();
    if (this.perSecond > 0 && now - Math.max(this.lastLimitedAt, this.lastRaisedAt) > PACING_PROBE_MS) {
      this.perSecond++;
      this.lastRaisedAt = now;
    }
    trim(this.started, now);
    if (this.perSecond > 0 && this.started.length >= this.perSecond) {
      // Free when the call that filled the second is a second old.
      return Math.max(1, this.started[this.started.length - this.perSecond]! + 1000 - now);
    }
    this.started.push(now);
    return 0;
  }

  private limited(retryAfterMs: number): void {
    const now = this.now();
    // Slack sends Retry-After in whole seconds; 0 still means "not now", so wait a little.
    this.pausedUntil = Math.max(this.pausedUntil, now + Math.max(retryAfterMs, 250));
    // The calls in flight when the limit is reached all come back 429 together: learn once from them.
    if (now - this.lastLimitedAt >= 1000) {
      // What got through in the last second, but not before the last pause ended: a wait as long
      // as Retry-After outlasts the limit's period, so what came before counted against an earlier one.
      const from = Math.max(now - 1000, this.resumedAt);
      const allowed = this.succeeded.filter((at) => at >= from).length;
      // Held to perSecond already, more cannot have got through; a 429 all the same means fewer may.
      const known = this.perSecond > 0 ? Math.min(allowed, this.perSecond) : allowed;
      const learned = Math.floor((allowed >= PACING_MIN_SAMPLE ? known : this.perSecond) * PACING_MARGIN);
      if (learned > 0) this.perSecond = learned;
    }
    this.lastLimitedAt = now;
    this.resumedAt = this.pausedUntil;
  }
}

/** Drops the times more than a second before `now` from the front of a list in time order. */
function trim(times: number[], now: number): void {
  let drop = 0;
  while (drop < times.length && times[drop]! <= now - 1000) drop++;
  if (drop > 0) times.splice(0, drop);
}

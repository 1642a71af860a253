import { parseRatePolicy, takeToken, type Bucket, type RatePolicy } from '../../domain/rate-limit.ts';

export type TurnPermit = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts chat turns per user so that one user (or a runaway script) cannot flood the bot. */
export interface TurnLimiter {
  /** Takes one turn for `key` (channel and user); refused while the user's bucket is empty. */
  take(key: string): TurnPermit;
}

/** Buckets kept at most; beyond it full buckets are dropped first (they hold no information). */
const MAX_KEYS = 10_000;

/**
 * A limiter with one token bucket per key, in this process's memory: a restart or a second
 * instance starts afresh, which is fine for politeness limits. `policy` null means no limit.
 */
export function createTurnLimiter(policy: RatePolicy | null, now: () => number = Date.now, maxKeys = MAX_KEYS): TurnLimiter {
  const buckets = new Map<string, Bucket>();
  const prune = (at: number) => {
    for (const [key, b] of buckets) if (b.tokens + ((at - b.at) * policy!.perMinute) / 60_000 >= policy!.burst) buckets.delete(key);
    // Still too many busy keys: forget the longest-untouched ones (Map keeps insertion order).
    for (const key of buckets.keys()) {
      if (buckets.size < maxKeys) break;
      buckets.delete(key);
    }
  };
  return {
    take(key) {
      if (!policy) return { allowed: true };
      const at = now();
      const taken = takeToken(buckets.get(key), at, policy);
      buckets.delete(key);
      if (buckets.size >= maxKeys) prune(at);
      buckets.set(key, taken.bucket);
      return taken.allowed ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) };
    },
  };
}

/** The turn rate from IMI_TURN_RATE ("30" or "30,10" = per minute, burst; "off"); a bad value stops the process with its name. */
export function turnRateFromEnv(env: NodeJS.ProcessEnv = process.env): RatePolicy | null {
  const policy = parseRatePolicy(env.IMI_TURN_RATE);
  if (policy === 'invalid') {
    throw new Error(`IMI_TURN_RATE="${env.IMI_TURN_RATE}" is not valid: give turns per minute and optionally a burst, like "30" or "30,10", or "off"`);
  }
  return policy;
}

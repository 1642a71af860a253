/** How many turns a user may take: a steady rate per minute and a burst allowance on top. */
export interface RatePolicy {
  perMinute: number;
  burst: number;
}

export const DEFAULT_TURN_RATE: RatePolicy = { perMinute: 30, burst: 10 };

/** A token bucket: tokens left and when they were counted (ms since the epoch). */
export interface Bucket {
  tokens: number;
  at: number;
}

export type Take = { allowed: true; bucket: Bucket } | { allowed: false; bucket: Bucket; retryAfterMs: number };

/** The bucket as it stands at `now`: refilled at the steady rate, never above the burst. */
export function refill(bucket: Bucket | undefined, now: number, policy: RatePolicy): Bucket {
  if (!bucket) return { tokens: policy.burst, at: now };
  const elapsed = Math.max(0, now - bucket.at);
  return { tokens: Math.min(policy.burst, bucket.tokens + (elapsed * policy.perMinute) / 60_000), at: Math.max(now, bucket.at) };
}

/** Takes one token if there is one; otherwise says how long until there is. */
export function takeToken(bucket: Bucket | undefined, now: number, policy: RatePolicy): Take {
  const current = refill(bucket, now, policy);
  if (current.tokens >= 1) return { allowed: true, bucket: { ...current, tokens: current.tokens - 1 } };
  const retryAfterMs = Math.ceil(((1 - current.tokens) * 60_000) / policy.perMinute);
  return { allowed: false, bucket: current, retryAfterMs };
}

/**
 * Reads a turn-rate setting: "30" (per minute, default burst), "30,10" (per minute, burst), or
 * "off"/"0" for no limit. Undefined or empty gives the default. Returns null for no limit and
 * 'invalid' for anything else, so the caller can name the setting in its error.
 */
export function parseRatePolicy(value: string | undefined): RatePolicy | null | 'invalid' {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return DEFAULT_TURN_RATE;
  if (v === 'off' || v === '0') return null;
  const m = /^(\d{1,6})(?:\s*[,/]\s*(\d{1,6}))?$/.exec(v);
  if (!m) return 'invalid';
  const perMinute = Number(m[1]);
  const burst = m[2] === undefined ? DEFAULT_TURN_RATE.burst : Number(m[2]);
  if (perMinute < 1 || burst < 1) return 'invalid';
  return { perMinute, burst };
}

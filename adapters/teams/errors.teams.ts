/**
 * Bot Framework connector errors, translated once for the whole adapter. The connector client
 * already retries 429/5xx a few times in-process (honouring Retry-After); what reaches us here is
 * what it gave up on, and the outbox worker decides about later attempts from this verdict.
 */

export interface TeamsFailure {
  retryable: boolean;
  reason: string;
  /** How long the platform asked us to wait, or a jittered backoff when it asked without saying. */
  retryAfterMs?: number;
  /** The stored conversation reference no longer reaches the user (app uninstalled, user blocked the bot). */
  addressGone: boolean;
}

/** Network failures that say nothing about the message itself. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'REQUEST_SEND_ERROR']);

/** Delay for a 429 that came without Retry-After: a few seconds, spread so senders do not retry in lockstep. */
export function throttleBackoffMs(random: () => number = Math.random): number {
  const base = 5_000;
  return Math.round(base + base * random());
}

function header(err: Record<string, unknown>, name: string): string | undefined {
  const response = err.response as { headers?: unknown } | undefined;
  const headers = response?.headers as { get?: (n: string) => string | undefined } | Record<string, string> | undefined;
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const found = Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  return typeof found?.[1] === 'string' ? found[1] : undefined;
}

/** Retry-After in milliseconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function describe(err: Record<string, unknown>): string {
  const code = typeof err.code === 'string' ? err.code : '';
  const message = typeof err.message === 'string' ? err.message : '';
  const text = [code, message].filter(Boolean).join(': ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** What a failed send to Teams means for delivery. */
export function translateTeamsError(error: unknown, now = Date.now(), random: () => number = Math.random): TeamsFailure {
  if (error === null || typeof error !== 'object') {
    return { retryable: true, reason: `unexpected failure: ${String(error)}`, addressGone: false };
  }
  const err = error as Record<string, unknown>;
  const status = typeof err.statusCode === 'number' ? err.statusCode : undefined;
  const detail = describe(err);
  const retryAfterMs = parseRetryAfter(header(err, 'retry-after'), now);
  const withWait = retryAfterMs !== undefined ? { retryAfterMs } : {};

  if (status === undefined) {
    const code = typeof err.code === 'string' ? err.code : '';
    if (NETWORK_CODES.has(code)) return { retryable: true, reason: `Bot Framework not reachable (${detail})`, addressGone: false };
    // Unforeseen (a token service hiccup, a bug): retried like a 5xx, as the outbox worker does for throws.
    return { retryable: true, reason: `unexpected failure: ${detail || 'unknown error'}`, addressGone: false };
  }
  if (status === 429) {
    return { retryable: true, reason: `throttled by Teams (429 ${detail})`, retryAfterMs: retryAfterMs ?? throttleBackoffMs(random), addressGone: false };
  }
  if (status === 403) {
    return { retryable: false, reason: `Teams refused (403 ${detail}): the user blocked or uninstalled the bot`, addressGone: true };
  }
  if (status === 404) {
    return { retryable: false, reason: `Teams conversation not found (404 ${detail}): the user uninstalled the bot`, addressGone: true };
  }
  if (status === 401) {
    // Our own credentials: fixing MicrosoftAppId/MicrosoftAppPassword makes later attempts succeed.
    return { retryable: true, reason: `Bot Framework rejected the bot's credentials (401 ${detail})`, ...withWait, addressGone: false };
  }
  if (status === 412 || status === 502 || status === 504 || status >= 500) {
    return { retryable: true, reason: `Teams is temporarily unavailable (${status} ${detail})`, ...withWait, addressGone: false };
  }
  return { retryable: false, reason: `Teams rejected the message (${status} ${detail})`, addressGone: false };
}

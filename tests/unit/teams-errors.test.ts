import { describe, expect, it } from 'vitest';
import { parseRetryAfter, throttleBackoffMs, translateTeamsError } from '../../adapters/teams/errors.teams.ts';

const NOW = Date.parse('2026-11-25T10:00:00Z');

/** The shape of the RestError the Bot Framework connector client throws (statusCode, code, response.headers.get). */
function restError(statusCode: number, headers: Record<string, string> = {}, code = 'Refused') {
  const err = new Error('refused by the service') as Error & Record<string, unknown>;
  err.name = 'RestError';
  err.code = code;
  err.statusCode = statusCode;
  Object.defineProperty(err, 'response', {
    enumerable: false,
    value: { status: statusCode, headers: { get: (n: string) => headers[n.toLowerCase()] } },
  });
  return err;
}

describe('translateTeamsError', () => {
  it('429 with Retry-After in seconds: retryable after that wait', () => {
    expect(translateTeamsError(restError(429, { 'retry-after': '3' }, 'Throttled'), NOW)).toEqual({
      retryable: true,
      reason: 'throttled by Teams (429 Throttled: refused by the service)',
      retryAfterMs: 3000,
      addressGone: false,
    });
  });

  it('429 with Retry-After as an HTTP date: the time until then', () => {
    const f = translateTeamsError(restError(429, { 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }), NOW);
    expect(f.retryAfterMs).toBe(30_000);
  });

  it('429 without Retry-After: a jittered backoff', () => {
    expect(translateTeamsError(restError(429), NOW, () => 0.5).retryAfterMs).toBe(7500);
    expect(throttleBackoffMs(() => 0)).toBe(5000);
    expect(throttleBackoffMs(() => 0.999)).toBe(9995);
  });

  it.each([412, 502, 504, 500, 503])('%i is retryable and keeps the address', (status) => {
    const f = translateTeamsError(restError(status), NOW);
    expect(f).toMatchObject({ retryable: true, addressGone: false });
    expect(f.reason).toContain(String(status));
    expect(f.retryAfterMs).toBeUndefined();
  });

  it('a 5xx with Retry-After passes the wait on', () => {
    expect(translateTeamsError(restError(503, { 'retry-after': '2' }), NOW).retryAfterMs).toBe(2000);
  });

  it('403: the user blocked or uninstalled the bot, not retryable, address gone', () => {
    const f = translateTeamsError(restError(403, {}, 'BotDisabledByAdmin'), NOW);
    expect(f).toMatchObject({ retryable: false, addressGone: true });
    expect(f.reason).toContain('403 BotDisabledByAdmin');
  });

  it('404: the conversation is gone, not retryable, address gone', () => {
    const f = translateTeamsError(restError(404, {}, 'ConversationNotFound'), NOW);
    expect(f).toMatchObject({ retryable: false, addressGone: true });
    expect(f.reason).toContain('uninstalled');
  });

  it('401: our credentials, retryable once fixed, address kept', () => {
    const f = translateTeamsError(restError(401), NOW);
    expect(f).toMatchObject({ retryable: true, addressGone: false });
    expect(f.reason).toContain('credentials');
  });

  it('other 4xx: the message itself was refused, not retryable', () => {
    expect(translateTeamsError(restError(400, {}, 'BadArgument'), NOW)).toMatchObject({ retryable: false, addressGone: false });
    expect(translateTeamsError(restError(413), NOW)).toMatchObject({ retryable: false, addressGone: false });
  });

  it('network failures are retryable', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(translateTeamsError(err, NOW)).toMatchObject({ retryable: true, addressGone: false, reason: expect.stringContaining('not reachable') });
    expect(translateTeamsError(Object.assign(new Error('x'), { code: 'REQUEST_SEND_ERROR' }), NOW).retryable).toBe(true);
  });

  it('anything unforeseen is retried, like a throw in the outbox worker', () => {
    expect(translateTeamsError(new Error('AADSTS7000215: invalid client secret'), NOW)).toMatchObject({
      retryable: true,
      reason: 'unexpected failure: AADSTS7000215: invalid client secret',
    });
    expect(translateTeamsError('boom', NOW)).toMatchObject({ retryable: true, reason: 'unexpected failure: boom' });
    expect(translateTeamsError({}, NOW).reason).toBe('unexpected failure: unknown error');
  });

  it('reads headers given as a plain object too', () => {
    const err = { statusCode: 429, code: 'Throttled', message: 'slow down', response: { headers: { 'Retry-After': '4' } } };
    expect(translateTeamsError(err, NOW).retryAfterMs).toBe(4000);
  });

  it('keeps reasons short enough for the outbox', () => {
    const err = Object.assign(restError(400), { message: 'm'.repeat(1000) });
    expect(translateTeamsError(err, NOW).reason.length).toBeLessThan(260);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and dates, ignores nonsense, never goes below zero', () => {
    expect(parseRetryAfter('1.5', NOW)).toBe(1500);
    expect(parseRetryAfter(' 10 ', NOW)).toBe(10_000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', NOW)).toBe(0);
  });
});

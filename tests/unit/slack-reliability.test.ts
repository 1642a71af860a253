import { describe, expect, it } from 'vitest';
import { LocaleCache, parseSlackExternalId, plainSlackText, slackExternalId } from '../../adapters/slack/identity.slack.ts';
import { signSlackRequest, verifySlackSignature } from '../../adapters/slack/signature.slack.ts';
import { SlackCallError, SlackSendQueue, classifySlackError } from '../../adapters/slack/web-api.slack.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_764_100_000;
const body = 'token=xyz&team_id=T0DEMOHU&command=%2Fimi&text=inbox';

describe('Slack request signatures', () => {
  const signed = signSlackRequest(SECRET, body, NOW);

  it('accepts a request signed with the secret within the 5-minute window', () => {
    expect(verifySlackSignature(SECRET, signed, body, NOW)).toEqual({ ok: true });
    expect(verifySlackSignature(SECRET, signed, body, NOW + 300)).toEqual({ ok: true });
  });

  it('matches Slack’s documented example signature', () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack
    const example = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const headers = { 'x-slack-request-timestamp': '1531420618', 'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' };
    expect(verifySlackSignature('8f742231b10e8888abcd99yyyzzz85a5', headers, example, 1531420618)).toEqual({ ok: true });
  });

  it.each([
    ['a wrong secret', signSlackRequest('another-secret', body, NOW), NOW, 'signature mismatch'],
    ['a changed body', signSlackRequest(SECRET, `${body}x`, NOW), NOW, 'signature mismatch'],
    ['a stale timestamp', signed, NOW + 301, 'timestamp outside the 5-minute window'],
    ['a timestamp from the future', signed, NOW - 301, 'timestamp outside the 5-minute window'],
    ['no signature', { 'x-slack-request-timestamp': String(NOW) }, NOW, 'signature headers missing'],
    ['no timestamp', { 'x-slack-signature': signed['x-slack-signature'] }, NOW, 'signature headers missing'],
    ['a malformed signature', { ...signed, 'x-slack-signature': 'v0' }, NOW, 'signature malformed'],
    ['another signature version', { ...signed, 'x-slack-signature': signed['x-slack-signature']!.replace('v0=', 'v1=') }, NOW, 'signature malformed'],
    ['a non-numeric timestamp', { ...signed, 'x-slack-request-timestamp': 'soon' }, NOW, 'timestamp invalid'],
  ])('refuses %s', (_what, headers, now, reason) => {
    expect(verifySlackSignature(SECRET, headers as Record<string, string>, body, now as number)).toEqual({ ok: false, reason });
  });
});

const rateLimited = (retryAfter: number) => Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter });
const platform = (error: string) => Object.assign(new Error(error), { code: 'slack_webapi_platform_error', data: { ok: false, error } });

/** A clock that only moves when the queue sleeps: waits are counted, never slept. */
function virtualTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('the send queue', () => {
  it('repeats a call after a 429 only when Retry-After has passed, and returns its result once', async () => {
    const t = virtualTime();
    const q = new SlackSendQueue(60_000, t.sleep, t.now);
    let attempts = 0;
    const result = await q.run('D1', async () => {
      attempts++;
      if (attempts <= 2) throw rateLimited(2);
      return 'posted';
    });
    expect(result).toBe('posted');
    expect(attempts).toBe(3);
    expect(t.sleeps).toEqual([2000, 2000]);
  });

  it('keeps each conversation’s messages in order through a 429', async () => {
    const t = virtualTime();
    const q = new SlackSendQueue(60_000, t.sleep, t.now);
    const sent: string[] = [];
    let limited = false;
    const post = (text: string) =>
      q.run('A', async () => {
        if (!limited && text === 'a2') {
          limited = true;
          throw rateLimited(1);
        }
        sent.push(text);
      });
    await Promise.all([post('a1'), post('a2'), post('a3')]);
    expect(sent).toEqual(['a1', 'a2', 'a3']);
  });

  it('pauses every conversation after a 429 on one of them', async () => {
    const t = virtualTime();
    const q = new SlackSendQueue(60_000, t.sleep, t.now);
    let limited = false;
    const onA = q.run('A', async () => {
      if (!limited) {
        limited = true;
        throw rateLimited(2);
      }
      return t.now();
    });
    while (!limited) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const onB = q.run('B', async () => t.now());
    expect(await onB).toBeGreaterThanOrEqual(2000);
    expect(await onA).toBeGreaterThanOrEqual(2000);
  });

  it('hands a call back as rate limited when the waits would exceed its budget', async () => {
    const t = virtualTime();
    const q = new SlackSendQueue(5_000, t.sleep, t.now);
    const failure = await q.run('D1', async () => Promise.reject(rateLimited(30))).catch((e: SlackCallError) => e.failure);
    expect(failure).toMatchObject({ kind: 'rate_limited' });
    expect((failure as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
  });

  it('never repeats a call that failed for another reason', async () => {
    const q = new SlackSendQueue();
    let attempts = 0;
    const err = await q.run('D1', async () => {
      attempts++;
      throw platform('channel_not_found');
    }).catch((e: unknown) => e);
    expect(attempts).toBe(1);
    expect(err).toBeInstanceOf(SlackCallError);
    expect((err as SlackCallError).failure).toEqual({ kind: 'gone', reason: 'slack channel_not_found' });
  });
});

describe('Slack errors', () => {
  it.each([
    [rateLimited(3), { kind: 'rate_limited', retryAfterMs: 3000 }],
    [platform('invalid_auth'), { kind: 'auth' }],
    [platform('token_revoked'), { kind: 'auth' }],
    [platform('account_inactive'), { kind: 'auth' }],
    [platform('user_not_found'), { kind: 'gone' }],
    [platform('internal_error'), { kind: 'transient' }],
    [platform('invalid_blocks'), { kind: 'rejected' }],
    [Object.assign(new Error('x'), { code: 'slack_webapi_http_error', statusCode: 503 }), { kind: 'transient' }],
    [Object.assign(new Error('x'), { code: 'slack_webapi_http_error', statusCode: 404 }), { kind: 'rejected' }],
    [Object.assign(new Error('ECONNREFUSED'), { code: 'slack_webapi_request_error' }), { kind: 'transient' }],
    [new Error('anything else'), { kind: 'transient' }],
  ])('classifies %s', (err, expected) => {
    expect(classifySlackError(err)).toMatchObject(expected);
  });

  it('tells the operator what to do about a revoked token', () => {
    expect(classifySlackError(platform('token_revoked')).reason).toMatch(/token_revoked.*SLACK_BOT_TOKEN/);
  });
});

describe('Slack identities and text', () => {
  it('joins and splits team:user', () => {
    expect(slackExternalId('T0DEMOHU', 'U0ANNA')).toBe('T0DEMOHU:U0ANNA');
    expect(parseSlackExternalId('T0DEMOHU:U0ANNA')).toEqual({ teamId: 'T0DEMOHU', userId: 'U0ANNA' });
    expect(parseSlackExternalId('anna.kovacs')).toBeNull();
  });

  it('turns Slack’s markup back into what the user typed', () => {
    expect(plainSlackText('<@U0IMIBOT> language hu')).toBe('language hu');
    expect(plainSlackText('is &lt;b&gt; &amp; <https://example.org|this> ok in <#C0GEN|general>?')).toBe('is <b> & this ok in #general?');
    expect(plainSlackText('see <https://example.org>')).toBe('see https://example.org');
  });

  it('asks Slack for a user’s locale once per hour, and not again while a lookup is under way', async () => {
    let now = 0;
    const asked: string[] = [];
    const cache = new LocaleCache(async (user) => {
      asked.push(user);
      return 'hu-HU';
    }, 3_600_000, () => now);
    const [a, b] = await Promise.all([cache.localeOf('T1', 'U1'), cache.localeOf('T1', 'U1')]);
    expect([a, b]).toEqual(['hu-HU', 'hu-HU']);
    now = 3_599_999;
    await cache.localeOf('T1', 'U1');
    expect(asked).toEqual(['U1']);
    now = 3_600_001;
    await cache.localeOf('T1', 'U1');
    expect(asked).toEqual(['U1', 'U1']);
  });

  it('goes on without a locale when the lookup fails', async () => {
    const cache = new LocaleCache(async () => Promise.reject(new Error('users:read missing')));
    expect(await cache.localeOf('T1', 'U1')).toBeUndefined();
  });
});

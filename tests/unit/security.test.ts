import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { productionProblem, readConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { parseRatePolicy, takeToken, type RatePolicy } from '../../src/domain/rate-limit.ts';
import { blockingCutoff, retentionStage } from '../../src/domain/retention.ts';
import { createTurnLimiter, turnRateFromEnv } from '../../src/app/security/turn-limiter.ts';
import { nameKey } from '../../src/app/retention/data-subject.ts';
import { createTurnGate } from '../../src/conversation/turn-rate-gate.ts';
import { createTranslator } from '../../src/i18n/i18n.ts';

const POLICY: RatePolicy = { perMinute: 30, burst: 10 };

describe('turn rate: a token bucket per user', () => {
  it('allows a burst, then one turn per two seconds at 30 a minute, and says how long to wait', () => {
    let bucket;
    const t0 = 1_000_000;
    for (let i = 0; i < 10; i++) {
      const taken = takeToken(bucket, t0, POLICY);
      expect(taken.allowed).toBe(true);
      bucket = taken.bucket;
    }
    const refused = takeToken(bucket, t0, POLICY);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 2000 });
    expect(takeToken(refused.bucket, t0 + 1999, POLICY).allowed).toBe(false);
    expect(takeToken(refused.bucket, t0 + 2000, POLICY).allowed).toBe(true);
  });

  it('never lets more through than the burst plus the steady rate, whatever the timing', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 5_000 }), { minLength: 1, maxLength: 300 }), (gaps) => {
        let bucket;
        let now = 0;
        let allowed = 0;
        for (const gap of gaps) {
          now += gap;
          const taken = takeToken(bucket, now, POLICY);
          bucket = taken.bucket;
          if (taken.allowed) allowed++;
        }
        expect(allowed).toBeLessThanOrEqual(POLICY.burst + Math.floor((now * POLICY.perMinute) / 60_000));
      }),
    );
  });

  it('reads IMI_TURN_RATE: default, "N", "N,B", off; anything else is refused with the variable named', () => {
    expect(parseRatePolicy(undefined)).toEqual({ perMinute: 30, burst: 10 });
    expect(parseRatePolicy('60')).toEqual({ perMinute: 60, burst: 10 });
    expect(parseRatePolicy('60, 20')).toEqual({ perMinute: 60, burst: 20 });
    expect(parseRatePolicy('off')).toBeNull();
    expect(parseRatePolicy('0')).toBeNull();
    for (const bad of ['fast', '-1', '30,0', '1e3', '30,10,5']) expect(parseRatePolicy(bad)).toBe('invalid');
    expect(() => turnRateFromEnv({ IMI_TURN_RATE: 'fast' })).toThrow(/IMI_TURN_RATE="fast"/);
  });

  it('keeps users apart and forgets idle ones when it holds too many', () => {
    let now = 0;
    const limiter = createTurnLimiter({ perMinute: 6, burst: 2 }, () => now, 3);
    expect([limiter.take('web:a'), limiter.take('web:a'), limiter.take('web:a')].map((p) => p.allowed)).toEqual([true, true, false]);
    expect(limiter.take('web:b').allowed).toBe(true);
    expect(limiter.take('web:a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    for (const key of ['c', 'd', 'e', 'f']) limiter.take(`web:${key}`);
    now += 10_000;
    expect(limiter.take('web:a').allowed).toBe(true);
    expect(createTurnLimiter(null).take('x')).toEqual({ allowed: true });
  });

  it('answers a user over the limit politely, in their language, and lets the turn through otherwise', async () => {
    const i18n = await createTranslator();
    const gate = createTurnGate(i18n, createTurnLimiter({ perMinute: 1, burst: 1 }, () => 0));
    const turn = { channel: 'web' as const, externalId: 'anna.kovacs' };
    expect(gate.check(turn, 'hu')).toBeNull();
    for (const lang of ['en', 'hu', 'de', 'fr']) {
      const reply = gate.check(turn, lang)!;
      expect(reply.lang).toBe(lang);
      expect(reply.blocks).toEqual([{ kind: 'text', text: i18n.t(lang, 'security.rateLimited', { count: 60 }), tone: 'warning' }]);
      expect(reply.blocks[0]!.kind === 'text' && reply.blocks[0].text).toContain('60');
    }
    expect(gate.check({ channel: 'slack', externalId: 'anna.kovacs' }, 'en')).toBeNull();
  });
});

describe('retention dates', () => {
  it('blocks at six months and deletes at three years after closure, to the millisecond', () => {
    const closed = { status: 'closed' as const, closedAt: '2026-01-20T10:00:00.000Z' };
    expect(retentionStage(closed, new Date('2026-07-20T09:59:59.999Z'))).toBe('active');
    expect(retentionStage(closed, new Date('2026-07-20T10:00:00.000Z'))).toBe('blocked');
    expect(retentionStage(closed, new Date('2029-01-20T09:59:59.999Z'))).toBe('blocked');
    expect(retentionStage(closed, new Date('2029-01-20T10:00:00.000Z'))).toBe('erasable');
    expect(retentionStage({ status: 'withdrawn', closedAt: closed.closedAt }, new Date('2026-08-01T00:00:00Z'))).toBe('blocked');
    // An open request is never blocked, whatever its dates.
    expect(retentionStage({ status: 'answered', closedAt: null }, new Date('2040-01-01T00:00:00Z'))).toBe('active');
    // Month ends: closed on 31 August, blocked on the last day of February.
    expect(retentionStage({ status: 'closed', closedAt: '2026-08-31T12:00:00.000Z' }, new Date('2027-02-28T12:00:00.000Z'))).toBe('blocked');
  });

  it('pre-selects, by closure date, every request due for blocking', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), fc.nat({ max: 400 * 86_400_000 }), (closedAt, after) => {
        const now = new Date(closedAt.getTime() + after);
        const due = retentionStage({ status: 'closed', closedAt: closedAt.toISOString() }, now) !== 'active';
        if (due) expect(closedAt.toISOString() <= blockingCutoff(now)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('data subject names', () => {
  it('match whatever the accents, case, punctuation and word order', () => {
    expect(nameKey('KOVÁCS Anna')).toBe(nameKey('anna kovacs'));
    expect(nameKey('Jürgen Müller-Lüdenscheidt')).toBe(nameKey('muller ludenscheidt JURGEN'));
    expect(nameKey('Łukasz Wałęsa')).toBe(nameKey('Lukasz Walesa'));
    expect(nameKey('Strauß')).toBe(nameKey('Strauss'));
    expect(nameKey('Anna Kovács')).not.toBe(nameKey('Anna Kovács-Tóth'));
    expect(nameKey(' - ')).toBe('');
  });
});

describe('production start-up settings', () => {
  const prod = (env: Record<string, string>) => {
    const full = { NODE_ENV: 'production', ...env };
    return productionProblem(readConfig(full), full);
  };
  const teams = { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'secret' };

  it('refuses what production cannot run safely without, naming the variable', () => {
    expect(prod({ WEB_CHAT: 'on', ...teams })).toMatch(/SESSION_SECRET/);
    expect(prod({ WEB_CHAT: 'on', SESSION_SECRET: 'short', ...teams })).toMatch(/SESSION_SECRET/);
    expect(prod({})).toMatch(/MicrosoftAppId/);
    expect(prod({ ...teams, SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/SLACK_SIGNING_SECRET/);
    expect(prod({ ...teams, SLACK_SIGNING_SECRET: 'abc' })).toMatch(/SLACK_BOT_TOKEN/);
  });

  it('accepts complete settings, and anything outside production', () => {
    expect(prod({ ...teams })).toBeNull();
    expect(prod({ ...teams, WEB_CHAT: 'on', SESSION_SECRET: 'x'.repeat(32), SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toBeNull();
    expect(productionProblem(readConfig({}), {})).toBeNull();
  });
});

describe('logs', () => {
  function capture() {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    return { log: createLogger({ destination, level: 'debug' }), lines };
  }

  it('redact credentials, cookies, signatures and the personal data of requests', async () => {
    const { log, lines } = capture();
    log.info(
      {
        req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'imi_session=anna.x', 'x-slack-signature': 'v0=deadbeef' } },
        config: { slack: { botToken: 'xoxb-123-456', signingSecret: 'shh' }, teams: { appPassword: 'pw' } },
        request: { id: 'IMI-2026-000001', status: 'sent', subjectName: 'Kovács Anna', freeText: 'born 1984 in Győr', answers: [{ items: { q: 'x' } }] },
        referral: { reason: 'Anna disagrees' },
      },
      'turn for xoxb-999-abc with Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl from postgres://imi:hunter2@db/imi',
    );
    log.error({ err: new Error('Slack said invalid_auth for token=xoxb-555-def') }, 'delivery failed');
    const out = lines.join('\n');
    for (const secret of ['abc.def.ghi', 'anna.x', 'deadbeef', 'xoxb-123', 'shh', '"pw"', 'Kovács', 'Győr', 'disagrees', 'xoxb-999', 'hunter2', 'xoxb-555', 'c2lnbmF0dXJl']) {
      expect(out, secret).not.toContain(secret);
    }
    const first = JSON.parse(lines[0]!);
    expect(first.request).toMatchObject({ id: 'IMI-2026-000001', status: 'sent', subjectName: '[redacted]' });
    expect(first.msg).toContain('postgres://imi:[redacted]@db/imi');
    expect(JSON.parse(lines[1]!).err.message).toContain('[redacted]');
  });
});

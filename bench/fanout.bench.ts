import fs from 'node:fs';
import { freePort, median, quantile, ratioResult, round, startAndWait, stop, type Benchmark } from './lib.ts';
import { tempDatabaseUrl } from '../tests/support/temp-db.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackCall } from '../tests/support/fake-slack.ts';
import { openStore } from '../src/store/knex-store.ts';
import type { Authority } from '../src/domain/authority.ts';
import type { Request } from '../src/domain/request.ts';
import type { User } from '../src/domain/user.ts';

/** Calls per second per method that the fake Slack allows, as Slack limits each method per workspace. */
const LIMIT = 50;
/** Every Web API method a delivery may call: each gets its own limit, as on Slack. */
const LIMITED_METHODS = ['chat.postMessage', 'conversations.open', 'views.publish', 'users.info'];
const TEAM = 'T0BENCH';
/** Handlers per responding authority: everyone of them is told of a request sent to it. */
const HANDLERS = 20;
const AREA = 'professional-qualifications';
const REQUEST_ID = /IMI-\d{4}-\d{6}/;

/** A requesting authority, and `authorities` responding ones with HANDLERS Slack users each, in one workspace. */
async function seedPeople(databaseUrl: string, authorities: number): Promise<void> {
  const store = openStore(databaseUrl);
  try {
    await store.migrate();
    const at = new Date().toISOString();
    const langs = ['hu', 'de', 'fr', 'en'];
    await store.transaction(async (tx) => {
      const authority = (id: string, country: string, language: string): Authority => ({
        id,
        name: `Bench ${id}`,
        country,
        language,
        timezone: 'Europe/Budapest',
        areas: [AREA],
        coordinatorId: null,
        contact: {},
        // Reviewed now, so the start-up reminder scan queues no data-review reminders of its own.
        dataReviewedAt: at,
      });
      await tx.authorities.insert(authority('bench-req', 'AT', 'de'));
      await tx.users.insert({ id: 'bench-sender', authorityId: 'bench-req', name: 'Bench Sender', language: null, roles: ['handler'], areas: [AREA], identities: [], active: true });
      for (let a = 0; a < authorities; a++) {
        const id = `bench-resp-${a}`;
        await tx.authorities.insert(authority(id, 'HU', langs[a % langs.length]!));
        for (let h = 0; h < HANDLERS; h++) {
          const n = a * HANDLERS + h;
          const user: User = {
            id: `bench-u${n}`,
            authorityId: id,
            name: `Handler ${n}`,
            language: null,
            roles: ['handler'],
            areas: [AREA],
            identities: [{ channel: 'slack', externalId: `${TEAM}:U${String(n).padStart(6, '0')}` }],
            active: true,
          };
          await tx.users.insert(user);
        }
      }
    });
  } finally {
    await store.close();
  }
}

/**
 * What production queues when `count / HANDLERS` requests are sent: each request and one
 * `request.sent` row per handler of its responder, with the key act-on-request gives it, written
 * in one transaction into the running server's database, as a bulk action would. Not measured.
 */
async function sendRequests(databaseUrl: string, count: number, authorities: number): Promise<void> {
  const store = openStore(databaseUrl);
  try {
    const now = new Date();
    const at = now.toISOString();
    const deadline = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    const year = now.getUTCFullYear();
    await store.transaction(async (tx) => {
      const handlers = new Map<string, User[]>();
      for (let r = 0; r < count / HANDLERS; r++) {
        const responder = `bench-resp-${r % authorities}`;
        const request: Request = {
          id: `IMI-${year}-${String(r + 1).padStart(6, '0')}`,
          area: AREA,
          requesterAuthorityId: 'bench-req',
          responderAuthorityId: responder,
          createdBy: 'bench-sender',
          questions: ['pq-legally-established'],
          freeText: '',
          freeTextLang: 'de',
          subjectName: `Subject ${r}`,
          requestedDeadline: deadline,
          proposedDeadline: null,
          agreedDeadline: null,
          status: 'sent',
          answers: [],
          infoRequests: [],
          referral: null,
          training: false,
          version: 2,
          createdAt: at,
          updatedAt: at,
          sentAt: at,
          acceptedAt: null,
          answeredAt: null,
          closedAt: null,
        };
        await tx.requests.insert(request);
        if (!handlers.has(responder)) handlers.set(responder, await tx.users.ofAuthority(responder));
        for (const person of handlers.get(responder)!) {
          await tx.outbox.add({
            key: `${request.id}:sent:v${request.version}:${person.id}`,
            recipientId: person.id,
            kind: 'request.sent',
            requestId: request.id,
            params: { actor: 'bench-sender' },
            createdAt: at,
          });
        }
      }
    });
  } finally {
    await store.close();
  }
}

/** CPU time a process used so far, in ms (utime + stime from /proc; clock ticks are 10 ms on Linux). */
const cpuMs = (pid: number): number => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/** The notification a posted message carries: its DM channel and the request it is about. */
const messageKey = (c: FakeSlackCall): string => `${String(c.args.channel)}:${REQUEST_ID.exec(JSON.stringify([c.args.text, c.args.blocks]))?.[0] ?? '?'}`;

async function waitForDeliveries(fake: FakeSlack, expected: number, stallMs: number, ctx: { log(l: string): void }): Promise<void> {
  // Only the calls that came in since the last look are read: rereading thousands of them ten
  // times a second would take the processor the server is being measured on.
  const seen = new Set<string>();
  let read = 0;
  let lastChange = Date.now();
  for (;;) {
    const before = seen.size;
    for (; read < fake.calls.length; read++) {
      const c = fake.calls[read]!;
      if (c.method === 'chat.postMessage' && c.status === 200 && c.response.ok === true) seen.add(messageKey(c));
    }
    if (seen.size >= expected) return;
    if (seen.size !== before) lastChange = Date.now();
    else if (Date.now() - lastChange > stallMs) {
      ctx.log(`fan-out: no new delivery for ${stallMs / 1000} s at ${seen.size}/${expected}; counting the rest as lost`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Notification fan-out: `count` queued notifications delivered by the real server's outbox
 * worker through a fake Slack that allows LIMIT calls per second per method and answers the
 * rest with 429 + Retry-After. Baseline is the limit itself: a sender that keeps it saturated
 * scores 1.0.
 */
export const fanoutBench: Benchmark = {
  name: 'notification fan-out',
  async run(ctx) {
    const count = ctx.quick ? 300 : 10_000;
    const authorities = ctx.quick ? 3 : 10;
    const databaseUrl = tempDatabaseUrl('bench-fanout');
    await seedPeople(databaseUrl, authorities);
    const fake = await startFakeSlack();
    for (const method of LIMITED_METHODS) fake.limitRate(method, LIMIT);
    const port = await freePort();
    const env: Record<string, string> = {
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      IMI_DEMO: '0',
      IMI_TURN_RATE: 'off',
      SLACK_SIGNING_SECRET: 'bench-signing-secret',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_API_URL: fake.apiUrl,
      // Quick mode cannot afford the default 5-second tick before the first run; full mode uses the default.
      ...(ctx.quick ? { IMI_DELIVERY_CRON: '* * * * * *' } : {}),
    };
    let child;
    let cpu = NaN;
    try {
      ({ child } = await startAndWait(['--import', 'tsx', 'src/main.ts'], env, `http://127.0.0.1:${port}/healthz`));
      // Notifications arrive while the server runs, as they do in production, not in its first second.
      await sendRequests(databaseUrl, count, authorities);
      const cpuBefore = cpuMs(child.pid!);
      // A sender making no progress for this long has stopped (a 429 asks for a second or so, a retry for 10 s).
      await waitForDeliveries(fake, count, ctx.quick ? 8_000 : 30_000, ctx);
      cpu = cpuMs(child.pid!) - cpuBefore;
      // Whatever is still in flight (a duplicate, a home tab) has a moment to arrive.
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      if (child) await stop(child);
      await fake.close();
    }

    const posts = fake.calls.filter((c) => c.method === 'chat.postMessage');
    const delivered = fake.ok('chat.postMessage');
    const keys = delivered.map(messageKey);
    const distinct = new Set(keys).size;
    const lostMessages = Math.max(0, count - distinct);
    const duplicates = keys.length - distinct;
    const refused = fake.calls.filter((c) => c.status === 429);
    const first = posts[0]?.at ?? NaN;
    const last = delivered.at(-1)?.at ?? NaN;
    const seconds = (last - first) / 1000;
    // The first window's allowance goes out at once; what follows is paced by the limit. Counting
    // it out makes a sender that keeps the limiter saturated score exactly LIMIT per second.
    const rate = distinct > LIMIT && seconds > 0 ? (distinct - LIMIT) / seconds : 0;
    const perSecond = new Map<number, number>();
    for (const c of delivered) perSecond.set(Math.floor((c.at! - first) / 1000), (perSecond.get(Math.floor((c.at! - first) / 1000)) ?? 0) + 1);
    const windows = [...Array(Math.max(0, Math.floor((last - first) / 1000)))].map((_, i) => perSecond.get(i) ?? 0);
    const gaps = delivered.slice(1).map((c, i) => c.at! - delivered[i]!.at!);
    const worst = gaps.indexOf(Math.max(...gaps));

    const store = openStore(databaseUrl);
    let outbox: Record<string, number> = {};
    try {
      const rows: { status: string; n: unknown }[] = await store.db('outbox').groupBy('status').select('status').count({ n: '*' });
      outbox = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    } finally {
      await store.close();
    }
    const notDelivered = (outbox.pending ?? 0) + (outbox.failed ?? 0);
    const lost = Math.max(lostMessages, notDelivered);
    const byMethod = LIMITED_METHODS.map((m) => `${m} ${fake.ok(m).length} ok/${refused.filter((c) => c.method === m).length} 429`).join(', ');
    ctx.log(`fan-out: ${distinct}/${count} delivered in ${round(seconds, 1)} s (${round(rate, 1)}/s, limit ${LIMIT}/s); outbox ${JSON.stringify(outbox)}`);
    ctx.log(`fan-out: per-second deliveries median ${median(windows)}, p1 ${round(quantile(windows, 0.01), 0)}; longest gap ${round(gaps[worst] ?? 0, 0)} ms (after ${round(((delivered[worst]?.at ?? first) - first) / 1000, 1)} s), p99 gap ${round(quantile(gaps, 0.99), 0)} ms`);
    ctx.log(`fan-out: ${byMethod}`);
    ctx.log(`fan-out: server CPU ${round(cpu / Math.max(1, distinct), 1)} ms per notification (${round(cpu / 1000, 1)} s in all)`);
    return [
      // Not higherIsBetter: the ratio wanted is achieved / limit, which ratioResult gives as value / baseline.
      ratioResult({
        name: `fan-out rate, ${count} Slack notifications`,
        value: round(rate, 1),
        unit: 'msg/s',
        baseline: LIMIT,
        target: { on: 'ratio', min: 0.9 },
        note:
          `achieved / the fake's limit of ${LIMIT} calls/s per method; per-second median ${median(windows)}` +
          // The first 429 comes before the limit is known, and its Retry-After (a whole second) is a sixth of a quick run.
          (ctx.quick ? '; quick: learning the limit weighs ~15% in 300 messages, judge by the full run' : ''),
      }),
      { name: 'fan-out lost notifications', value: lost, unit: 'msgs', baseline: null, ratio: null, target: { on: 'value', max: 0 }, note: `outbox ${JSON.stringify(outbox)}` },
      { name: 'fan-out duplicated notifications', value: duplicates, unit: 'msgs', baseline: null, ratio: null, target: { on: 'value', max: 0 } },
      {
        name: 'fan-out server CPU per notification',
        value: round(cpu / Math.max(1, distinct), 1),
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: null,
        note: `1000 / this is the most one core can send per second, whatever the limit; machine load does not change it much`,
      },
      { name: 'fan-out 429 answers', value: refused.length, unit: 'calls', baseline: null, ratio: null, target: null, note: byMethod },
    ];
  },
};

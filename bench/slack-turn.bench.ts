import type { ChildProcess } from 'node:child_process';
import { freePort, quantile, ratioResult, round, startAndWait, stop, type Benchmark } from './lib.ts';
import { postToSlackEndpoint, startFakeSlack, type FakeSlack, type FakeSlackCall } from '../tests/support/fake-slack.ts';
import { dmEvent, type SlackUser } from '../tests/support/slack-payloads.ts';
import { tempDatabaseUrl } from '../tests/support/temp-db.ts';

const SECRET = 'bench-signing-secret-0123456789abcdef';
const TOKEN = 'xoxb-bench-token';
/** A demo user linked to Slack (data/demo.json), so our server answers with a real inbox. */
const ANNA: SlackUser = { team: 'T0DEMOHU', user: 'U0ANNA' };
const DM = `D${ANNA.user.slice(1)}`;
const TEXT = 'inbox';
const REPLY_TIMEOUT_MS = 15_000;

/** Resolves with the time the fake Slack received each chat.postMessage, one turn at a time. */
function watchPosts(fake: FakeSlack) {
  let waiting: { channel: string; resolve: (at: number) => void } | null = null;
  let strays = 0;
  // The fake records calls in an array and only offers polling (25 ms steps, too coarse for a
  // latency figure); hooking the array's push hears each call the moment its request ended.
  const calls = fake.calls;
  calls.push = (...items: FakeSlackCall[]): number => {
    const at = performance.now();
    const n = Array.prototype.push.apply(calls, items);
    for (const c of items) {
      if (c.method !== 'chat.postMessage' || c.status !== 200) continue;
      if (waiting && waiting.channel === c.args.channel) {
        const w = waiting;
        waiting = null;
        w.resolve(at);
      } else strays++;
    }
    return n;
  };
  return {
    next(channel: string): Promise<number> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no chat.postMessage to ${channel} within ${REPLY_TIMEOUT_MS} ms`)), REPLY_TIMEOUT_MS);
        waiting = {
          channel,
          resolve: (at) => {
            clearTimeout(timer);
            resolve(at);
          },
        };
      });
    },
    strays: () => strays,
  };
}

/**
 * Message turn through Slack: a signed message.im event posted to /slack/events until the reply's
 * chat.postMessage reaches the fake Slack, for our server and for a bare Bolt echo app on the same
 * receiver, measured alternately in the same run. Turns are sequential, so each figure is one
 * turn's latency with whatever the previous turn left running in the background.
 */
export const slackTurnBench: Benchmark = {
  name: 'slack message turn',
  async run(ctx) {
    const warmup = 10;
    const turns = ctx.quick ? 40 : 1000;
    const chunk = ctx.quick ? 10 : 50;
    const fake = await startFakeSlack();
    const posts = watchPosts(fake);
    const slackEnv = { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: fake.apiUrl };
    const children: ChildProcess[] = [];
    try {
      const [oursPort, barePort] = await Promise.all([freePort(), freePort()]);
      // Both start at once: start-up is measured elsewhere, and this keeps quick mode quick.
      const started = await Promise.allSettled([
        startAndWait(
          ['--import', 'tsx', 'src/main.ts'],
          { PORT: String(oursPort), DATABASE_URL: tempDatabaseUrl('bench-slack'), IMI_CRON: '0', IMI_TURN_RATE: 'off', ...slackEnv },
          `http://127.0.0.1:${oursPort}/healthz`,
        ),
        startAndWait(['--import', 'tsx', 'bench/fixtures/bare-bolt.ts'], { PORT: String(barePort), ...slackEnv }, `http://127.0.0.1:${barePort}/healthz`),
      ]);
      for (const s of started) if (s.status === 'fulfilled') children.push(s.value.child);
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      const startMs = Math.max(...started.map((s) => (s.status === 'fulfilled' ? s.value.ms : 0)));

      const turn = async (url: string): Promise<number> => {
        const event = dmEvent(ANNA, TEXT);
        const replied = posts.next(DM);
        const sent = performance.now();
        const res = await postToSlackEndpoint(url, SECRET, { json: event });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
        return (await replied) - sent;
      };
      const targets = { ours: `http://127.0.0.1:${oursPort}/slack/events`, bare: `http://127.0.0.1:${barePort}/slack/events` };
      const ms = { ours: [] as number[], bare: [] as number[] };
      for (const who of ['ours', 'bare'] as const) for (let i = 0; i < warmup; i++) await turn(targets[who]);
      // Alternating chunks, so background load from other work on the machine hits both alike.
      for (let done = 0; done < turns; done += chunk) {
        for (const who of ['ours', 'bare'] as const) {
          for (let i = 0; i < Math.min(chunk, turns - done); i++) ms[who].push(await turn(targets[who]));
        }
        fake.calls.length = 0;
      }
      const stat = (xs: number[], q: number) => round(quantile(xs, q), 1);
      ctx.log(
        `slack: ${turns} turns each; ours p50 ${stat(ms.ours, 0.5)} / p99 ${stat(ms.ours, 0.99)} ms, ` +
          `bare Bolt p50 ${stat(ms.bare, 0.5)} / p99 ${stat(ms.bare, 0.99)} ms; ${posts.strays()} unmatched posts; both up in ${round(startMs, 0)} ms`,
      );
      return [
        ratioResult({
          name: 'slack message turn (p50)',
          value: stat(ms.ours, 0.5),
          unit: 'ms',
          baseline: stat(ms.bare, 0.5),
          target: { on: 'ratio', max: 1.5 },
          note: 'signed message.im event to the reply chat.postMessage; baseline: bare Bolt echo on ExpressReceiver',
        }),
        ratioResult({ name: 'slack message turn (p99)', value: stat(ms.ours, 0.99), unit: 'ms', baseline: stat(ms.bare, 0.99), target: null }),
      ];
    } finally {
      await Promise.all(children.map(stop));
      await fake.close();
    }
  },
};

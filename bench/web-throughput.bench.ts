import fs from 'node:fs';
import { freePort, median, quantile, ratioResult, round, startAndWait, stop, type Benchmark, type Result } from './lib.ts';
import { tempDatabaseUrl } from '../tests/support/temp-db.ts';

const rssKb = (pid: number): number => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
};

/** CPU seconds a process has used so far, all of its threads (the sqlite thread pool too); Linux USER_HZ is 100. */
const cpuSeconds = (pid: number): number => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const CONCURRENCY = 50;
/** What the users type, in turn: a list, a static reply, a request card, a form. */
const TEXTS = ['inbox', 'help', 'IMI-2026-000003', 'language'];

/** One stretch of load: how many turns were answered in how long, with each turn's latency. */
interface Phase {
  turns: number;
  seconds: number;
  failures: number;
  latencies: number[];
  /** CPU seconds the server spent meanwhile: unlike turns/s, hardly moved by other load on the machine. */
  cpu: number;
}

/** Until a number of turns has been sent, or until a time is up (quick mode: a fixed budget). */
type Limit = { turns: number } | { seconds: number };

/**
 * The client loop, the same for our server and the baseline: every user sends a turn, waits for
 * the whole answer, sends the next one. A turn counts as failed unless it is answered with a 200.
 */
async function drive(base: string, cookies: string[], limit: Limit, pid: number): Promise<Phase> {
  const cpuBefore = cpuSeconds(pid);
  const latencies: number[] = [];
  let sent = 0;
  let failures = 0;
  const started = performance.now();
  const more = 'turns' in limit ? () => sent < limit.turns : () => performance.now() - started < limit.seconds * 1000;
  await Promise.all(
    cookies.map(async (cookie) => {
      while (more()) {
        const text = TEXTS[sent++ % TEXTS.length]!;
        const t0 = performance.now();
        try {
          const res = await fetch(`${base}/api/chat/turn`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie },
            body: JSON.stringify({ text }),
          });
          await res.arrayBuffer();
          if (res.status !== 200) failures++;
        } catch {
          // A dropped connection is a failed turn too, not the end of the benchmark.
          failures++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { turns: latencies.length, seconds: (performance.now() - started) / 1000, failures, latencies, cpu: cpuSeconds(pid) - cpuBefore };
}

const rate = (p: Phase) => p.turns / p.seconds;
/** Server CPU milliseconds per turn over several phases. */
const cpuPerTurn = (phases: Phase[]) => (1000 * phases.reduce((s, p) => s + p.cpu, 0)) / phases.reduce((n, p) => n + p.turns, 0);

/** Server CPU per turn against the baseline's; /proc counts in 10 ms ticks, so a baseline too short to register has no ratio. */
function cpuResult(ours: number, bare: number): Result {
  const r = {
    name: 'web chat server CPU per turn',
    value: round(ours, 2),
    unit: 'ms',
    target: null,
    note: 'CPU time of the server process (all threads) per turn; steadier than turns/s on a busy machine',
  };
  return bare > 0 ? ratioResult({ ...r, baseline: round(bare, 2) }) : { ...r, baseline: null, ratio: null };
}

/**
 * Sustained web chat turns per second with 50 concurrent users, against a bare express app
 * answering the same POSTs in the same run; turn latency p50/p99; and whether the server's
 * memory grows with turns (full mode: 100k turns).
 */
export const webThroughputBench: Benchmark = {
  name: 'web chat throughput',
  async run(ctx) {
    // Rounds alternate between our server and the baseline, so a burst of load elsewhere on the machine hits both.
    const rounds = ctx.quick ? 3 : 5;
    const oursLimit: Limit = ctx.quick ? { seconds: 0.4 } : { turns: 20_000 };
    const bareLimit: Limit = ctx.quick ? { seconds: 0.2 } : { seconds: 4 };
    // Most of quick mode's budget goes to warming up: a cold process measures the JIT, not the turn.
    const warmUp: Limit = ctx.quick ? { seconds: 0.8 } : { turns: 2_000 };
    const bareWarmUp: Limit = ctx.quick ? { seconds: 0.25 } : { turns: 2_000 };
    const [port, barePort] = [await freePort(), await freePort()];
    const base = `http://127.0.0.1:${port}`;
    const bareBase = `http://127.0.0.1:${barePort}`;
    const started = await Promise.allSettled([
      startAndWait(
        ['--import', 'tsx', 'src/main.ts'],
        { PORT: String(port), DATABASE_URL: tempDatabaseUrl('bench-web'), IMI_CRON: '0', IMI_TURN_RATE: 'off' },
        `${base}/healthz`,
      ),
      startAndWait(['--import', 'tsx', 'bench/fixtures/bare-express-chat.ts'], { PORT: String(barePort) }, `${bareBase}/healthz`),
    ]);
    const [ours, bare] = started;
    if (ours.status === 'rejected' || bare.status === 'rejected') {
      // The one that did start must not outlive the benchmark.
      await Promise.all(started.map((s) => (s.status === 'fulfilled' ? stop(s.value.child) : undefined)));
      throw (ours.status === 'rejected' ? ours.reason : (bare as PromiseRejectedResult).reason) as Error;
    }
    const child = ours.value.child;
    const barePid = bare.value.child.pid!;
    try {
      const users = (await (await fetch(`${base}/api/chat/users`)).json()) as { login: string }[];
      const cookies: string[] = [];
      for (let i = 0; i < CONCURRENCY; i++) {
        const res = await fetch(`${base}/api/chat/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: users[i % users.length]!.login }),
        });
        cookies.push(res.headers.get('set-cookie')!.split(';')[0]!);
      }
      // Warm up first, so the "before" figure is the steady state, not the cold process.
      await drive(base, cookies, warmUp, child.pid!);
      await drive(bareBase, cookies, bareWarmUp, barePid);
      const before = rssKb(child.pid!);
      const mine: Phase[] = [];
      const theirs: Phase[] = [];
      for (let r = 0; r < rounds; r++) {
        mine.push(await drive(base, cookies, oursLimit, child.pid!));
        theirs.push(await drive(bareBase, cookies, bareLimit, barePid));
        ctx.log(`round ${r + 1}/${rounds}: ours ${round(rate(mine.at(-1)!), 0)} turns/s, bare express ${round(rate(theirs.at(-1)!), 0)} posts/s`);
      }
      const after = rssKb(child.pid!);
      const turns = mine.reduce((n, p) => n + p.turns, 0);
      const failures = mine.reduce((n, p) => n + p.failures, 0);
      if (theirs.some((p) => p.failures > 0)) throw new Error('the bare express baseline failed requests');
      const latencies = mine.flatMap((p) => p.latencies);
      const bareLatencies = theirs.flatMap((p) => p.latencies);
      ctx.log(`web chat: ${turns} turns, RSS ${before} → ${after} kB, ${failures} failures`);
      const results: Result[] = [
        ratioResult({
          name: 'web chat turns/s (50 users, median of rounds)',
          value: round(median(mine.map(rate)), 0),
          unit: 'turns/s',
          baseline: round(median(theirs.map(rate)), 0),
          higherIsBetter: true,
          target: null,
          note: 'baseline: bare express echoing the same POSTs; ratio = baseline / ours',
        }),
        cpuResult(cpuPerTurn(mine), cpuPerTurn(theirs)),
        ratioResult({
          name: 'web chat turn latency p50 (50 users)',
          value: round(quantile(latencies, 0.5), 1),
          unit: 'ms',
          baseline: round(quantile(bareLatencies, 0.5), 1),
          target: null,
        }),
        ratioResult({
          name: 'web chat turn latency p99 (50 users)',
          value: round(quantile(latencies, 0.99), 1),
          unit: 'ms',
          baseline: round(quantile(bareLatencies, 0.99), 1),
          target: null,
        }),
        { name: 'web chat failed turns', value: failures, unit: 'turns', baseline: null, ratio: null, target: { on: 'value', max: 0 } },
        {
          name: `server RSS growth over ${turns} turns`,
          value: round(after / 1024, 1),
          unit: 'MB',
          baseline: round(before / 1024, 1),
          ratio: round(after / before, 3),
          target: { on: 'ratio', max: 1.25 },
          note: 'after / before, after warm-up',
        },
      ];
      return results;
    } finally {
      await Promise.all([stop(child), stop(bare.value.child)]);
    }
  },
};

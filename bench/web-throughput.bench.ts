import fs from 'node:fs';
import { freePort, round, startAndWait, stop, type Benchmark } from './lib.ts';
import { tempDatabaseUrl } from '../tests/support/temp-db.ts';

const rssKb = (pid: number): number => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
};

/** Sustained web chat turns per second with 50 concurrent users, and whether memory grows with turns. */
export const webThroughputBench: Benchmark = {
  name: 'web chat throughput',
  async run(ctx) {
    const turns = ctx.quick ? 2_000 : 100_000;
    const concurrency = 50;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child } = await startAndWait(
      ['--import', 'tsx', 'src/main.ts'],
      { PORT: String(port), DATABASE_URL: tempDatabaseUrl('bench-web'), IMI_CRON: '0', IMI_TURN_RATE: 'off' },
      `${base}/healthz`,
    );
    try {
      const users = (await (await fetch(`${base}/api/chat/users`)).json()) as { login: string }[];
      const cookies: string[] = [];
      for (let i = 0; i < concurrency; i++) {
        const res = await fetch(`${base}/api/chat/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ login: users[i % users.length]!.login }),
        });
        cookies.push(res.headers.get('set-cookie')!.split(';')[0]!);
      }
      const texts = ['inbox', 'help', 'IMI-2026-000003', 'language'];
      let next = 0;
      let failures = 0;
      const runTurns = async (count: number) => {
        const target = next + count;
        await Promise.all(
          cookies.map(async (cookie) => {
            while (next < target) {
              const n = next++;
              const res = await fetch(`${base}/api/chat/turn`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', cookie },
                body: JSON.stringify({ text: texts[n % texts.length] }),
              });
              if (!res.ok) failures++;
              await res.arrayBuffer();
            }
          }),
        );
      };
      // Warm up first, so the "before" figure is the steady state, not the cold process.
      await runTurns(Math.min(1000, turns / 4));
      const before = rssKb(child.pid!);
      const started = performance.now();
      await runTurns(turns);
      const seconds = (performance.now() - started) / 1000;
      const after = rssKb(child.pid!);
      ctx.log(`web chat: ${turns} turns in ${round(seconds, 1)} s, RSS ${before} → ${after} kB, ${failures} failures`);
      return [
        { name: 'web chat turns/s (50 users)', value: round(turns / seconds, 0), unit: 'turns/s', baseline: null, ratio: null, target: null },
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
    } finally {
      await stop(child);
    }
  },
};

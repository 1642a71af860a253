import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { freePort, median, quantile, ratioResult, round, startAndWait, stop, type Benchmark, type Result } from './lib.ts';
import { tempDatabaseUrl } from '../tests/support/temp-db.ts';

const OURS = ['--import', 'tsx', 'src/main.ts'];
const BARE = ['--import', 'tsx', 'bench/fixtures/bare-express.ts'];

/** A demo official with a web login (data/demo.json) and a question from the FAQ (data/faq/en.json). */
const WEB_LOGIN = 'anna.kovacs';
const QUESTION = 'How do I log in?';

/**
 * CPU time the process has used so far (all its threads: tsx transforms modules on a thread of
 * its own), in ms; null where /proc is missing. Unlike the wall time, this hardly depends on
 * what else the machine runs, so its ratio is the steadier figure on a busy machine.
 */
function cpuMs(child: ChildProcess): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

interface Start {
  ms: number;
  cpu: number | null;
}

/** Starts a process, waits for its /healthz, stops it; the time to healthy and the CPU it took. */
async function timeStart(args: string[], env: Record<string, string>, then?: (base: string) => Promise<void>): Promise<Start> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const { child, ms } = await startAndWait(args, { PORT: String(port), ...env }, `${base}/healthz`);
  try {
    const cpu = cpuMs(child);
    await then?.(base);
    return { ms, cpu };
  } finally {
    await stop(child);
  }
}

/** Signs in to the web chat and asks the helpdesk a question; throws unless both answer 200. */
async function askInWebChat(base: string): Promise<void> {
  const session = await fetch(`${base}/api/chat/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: WEB_LOGIN }),
  });
  if (!session.ok) throw new Error(`web chat sign-in answered ${session.status}`);
  const cookie = session.headers.get('set-cookie')?.split(';')[0] ?? '';
  const turn = await fetch(`${base}/api/chat/turn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ text: QUESTION }),
  });
  await turn.arrayBuffer();
  if (!turn.ok) throw new Error(`web chat turn answered ${turn.status}`);
}

/**
 * Process start to a healthy /healthz, against a bare express app started the same way (node +
 * tsx) in the same run. The measured case is a restart on a migrated database with the demo data
 * in it, which is what operators wait for; the first start on an empty database (migrations and
 * the demo load) is reported beside it, and in full mode also the time to the first helpdesk
 * answer, which includes what the server loads only after it is healthy.
 */
export const startupBench: Benchmark = {
  name: 'start-up',
  async run(ctx) {
    const rounds = ctx.quick ? 2 : 9;
    const databaseUrl = tempDatabaseUrl('bench-start');
    const env = { DATABASE_URL: databaseUrl, IMI_CRON: '0', IMI_TURN_RATE: 'off' };

    // The first start migrates and loads the demo dataset, and leaves the database every later start uses.
    const cold = await timeStart(OURS, env);
    ctx.log(`first start on an empty database: ${round(cold.ms, 0)} ms`);

    const ours: Start[] = [];
    const bare: Start[] = [];
    // Alternating, so a burst of load elsewhere on the machine hits both.
    for (let i = 0; i < rounds; i++) {
      ours.push(await timeStart(OURS, env));
      bare.push(await timeStart(BARE, {}));
      ctx.log(`start-up ${i + 1}/${rounds}: ours ${round(ours.at(-1)!.ms, 0)} ms, bare express ${round(bare.at(-1)!.ms, 0)} ms`);
    }
    const wall = (xs: Start[]) => xs.map((s) => s.ms);
    const bareMedian = round(median(wall(bare)), 0);
    const results: Result[] = [
      ratioResult({
        name: 'start-up to healthy (median)',
        value: round(median(wall(ours)), 0),
        unit: 'ms',
        baseline: bareMedian,
        target: { on: 'value', max: 1500 },
        note: 'restart on a migrated demo database; ratio vs bare express',
      }),
      ratioResult({ name: 'start-up to healthy (p99)', value: round(quantile(wall(ours), 0.99), 0), unit: 'ms', baseline: round(quantile(wall(bare), 0.99), 0), target: null }),
      ratioResult({
        name: 'first start on an empty database (migrations + demo load)',
        value: round(cold.ms, 0),
        unit: 'ms',
        baseline: bareMedian,
        target: null,
      }),
    ];
    const oursCpu = ours.map((s) => s.cpu).filter((c): c is number => c !== null);
    const bareCpu = bare.map((s) => s.cpu).filter((c): c is number => c !== null);
    if (oursCpu.length > 0 && bareCpu.length > 0) {
      results.push(
        ratioResult({
          name: 'start-up CPU time to healthy (median)',
          value: round(median(oursCpu), 0),
          unit: 'ms',
          baseline: round(median(bareCpu), 0),
          target: null,
          note: 'all threads; steadier than wall time on a busy machine',
        }),
      );
    }

    if (!ctx.quick) {
      const answered: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await timeStart(OURS, env, async (base) => {
          await askInWebChat(base);
          answered.push(performance.now() - t0);
        });
      }
      ctx.log(`start-up to the first helpdesk answer: ${answered.map((ms) => round(ms, 0)).join(', ')} ms`);
      results.push({
        name: 'start-up to first helpdesk answer in the web chat (median)',
        value: round(median(answered), 0),
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: null,
        note: 'includes the conversation and the FAQ index, which load after /healthz',
      });
    }
    return results;
  },
};

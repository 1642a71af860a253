import fs from 'node:fs';
import os from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { freePort, round, startAndWait, stop, type Benchmark, type Result } from './lib.ts';
import { closeDatabases, createPostgresDatabase, postgresAdminUrl, postgresProblem } from '../tests/support/databases.ts';

const TICKS = 100; // /proc reports CPU time in clock ticks of 1/100 s on Linux

/** CPU seconds a process used so far (user + system), from /proc; 0 when it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds of every PostgreSQL server process on this machine (a local server only). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuSeconds(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Busy and total CPU ticks of the whole machine so far, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = values.map(Number);
  const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - n[3]! - n[4]!, total };
}

interface Phase {
  turnsPerSecond: number;
  failures: number;
  /** Share of the machine's CPU time during the run: servers, PostgreSQL, this load generator, anything else. */
  cpu: { servers: number; postgres: number; client: number; other: number };
}

/** Web chat turns from `users` sessions spread round-robin over `bases`, all at once. */
async function drive(bases: string[], children: ChildProcess[], users: string[], turns: number, concurrency: number): Promise<Phase> {
  const cookies: { base: string; cookie: string }[] = [];
  for (let i = 0; i < concurrency; i++) {
    const base = bases[i % bases.length]!;
    const res = await fetch(`${base}/api/chat/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: users[i % users.length] }),
    });
    cookies.push({ base, cookie: res.headers.get('set-cookie')!.split(';')[0]! });
  }
  const texts = ['inbox', 'help', 'IMI-2026-000003', 'language'];
  let next = 0;
  let failures = 0;
  const run = async (count: number) => {
    const target = next + count;
    await Promise.all(
      cookies.map(async ({ base, cookie }) => {
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
  await run(Math.min(500, turns / 4));
  failures = 0;
  const cpuBefore = { servers: children.reduce((s, c) => s + cpuSeconds(c.pid!), 0), postgres: postgresCpuSeconds(), client: process.cpuUsage(), machine: machineTicks() };
  const started = performance.now();
  await run(turns);
  const seconds = (performance.now() - started) / 1000;
  const machine = machineTicks();
  const available = (machine.total - cpuBefore.machine.total) / TICKS;
  const share = (x: number) => round((100 * x) / available, 0);
  const servers = share(children.reduce((s, c) => s + cpuSeconds(c.pid!), 0) - cpuBefore.servers);
  const postgres = share(postgresCpuSeconds() - cpuBefore.postgres);
  const used = process.cpuUsage(cpuBefore.client);
  const client = share((used.user + used.system) / 1e6);
  const busy = share((machine.busy - cpuBefore.machine.busy) / TICKS);
  return { turnsPerSecond: turns / seconds, failures, cpu: { servers, postgres, client, other: Math.max(0, busy - servers - postgres - client) } };
}

/**
 * Web chat turn throughput on PostgreSQL with one instance, then two instances on the same
 * database behind a round-robin client. Reports the scaling ratio (no target) and where the CPU
 * went, which says what the bottleneck is on this machine. Skips with a note without PostgreSQL.
 */
export const pgScalingBench: Benchmark = {
  name: 'PostgreSQL scaling (1 vs 2 instances)',
  async run(ctx) {
    const problem = await postgresProblem();
    if (problem) {
      ctx.log(`skipped: no PostgreSQL server reachable at IMI_TEST_POSTGRES_URL or the default (${problem})`);
      return [];
    }
    const turns = ctx.quick ? 1_000 : 20_000;
    const concurrency = 40;
    const database = await createPostgresDatabase();
    const children: ChildProcess[] = [];
    try {
      const env = { DATABASE_URL: database.url, IMI_CRON: '0', IMI_TURN_RATE: 'off' };
      const start = async () => {
        const port = await freePort();
        const base = `http://127.0.0.1:${port}`;
        const { child } = await startAndWait(['--import', 'tsx', 'src/main.ts'], { ...env, PORT: String(port) }, `${base}/healthz`);
        children.push(child);
        return base;
      };
      // The first instance migrates and loads the demo dataset; the second finds both done.
      const first = await start();
      const users = ((await (await fetch(`${first}/api/chat/users`)).json()) as { login: string }[]).map((u) => u.login);
      const one = await drive([first], children, users, turns, concurrency);
      const second = await start();
      const two = await drive([first, second], children, users, turns, concurrency);
      const ratio = round(two.turnsPerSecond / one.turnsPerSecond, 3);
      const cpuText = (p: Phase) =>
        `servers ${p.cpu.servers}%, postgres ${p.cpu.postgres}%, load generator ${p.cpu.client}%, other processes ${p.cpu.other}%`;
      ctx.log(`PostgreSQL at ${postgresAdminUrl().replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}, ${os.availableParallelism()} CPU(s)`);
      ctx.log(`1 instance: ${round(one.turnsPerSecond, 0)} turns/s, ${one.failures} failures; CPU ${cpuText(one)}`);
      ctx.log(`2 instances: ${round(two.turnsPerSecond, 0)} turns/s, ${two.failures} failures; CPU ${cpuText(two)}`);
      const busiest = Object.entries(two.cpu).sort((a, b) => b[1] - a[1])[0]!;
      const saturated = two.cpu.servers + two.cpu.postgres + two.cpu.client + two.cpu.other >= 85;
      const note =
        `scaling ratio 2 instances / 1 = ${ratio}; with 2 instances the CPU went to ${cpuText(two)} of ${os.availableParallelism()} CPU(s). ` +
        (saturated
          ? `The machine's CPUs are saturated (largest share: ${busiest[0]}), so a second instance on the same host cannot add throughput: the bottleneck is host CPU, not the database; instances scale on separate hosts until PostgreSQL becomes the limit.`
          : `CPU is not saturated; the limit is latency (round trips to PostgreSQL per turn), largest CPU share: ${busiest[0]}.`);
      ctx.log(note);
      const results: Result[] = [
        { name: 'pg web chat turns/s, 1 instance', value: round(one.turnsPerSecond, 0), unit: 'turns/s', baseline: null, ratio: null, target: null },
        {
          name: 'pg web chat turns/s, 2 instances',
          value: round(two.turnsPerSecond, 0),
          unit: 'turns/s',
          baseline: round(one.turnsPerSecond, 0),
          ratio,
          target: null,
          note,
        },
        { name: 'pg web chat failed turns', value: one.failures + two.failures, unit: 'turns', baseline: null, ratio: null, target: { on: 'value', max: 0 } },
      ];
      return results;
    } finally {
      for (const c of children) await stop(c);
      await database.drop();
      await closeDatabases();
    }
  },
};

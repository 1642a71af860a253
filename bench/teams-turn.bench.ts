import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { freePort, quantile, ratioResult, round, startAndWait, stop, type Benchmark } from './lib.ts';
import { tempDatabaseUrl } from '../tests/support/temp-db.ts';
import { startFakeConnector, type ConnectorCall } from '../tests/support/fake-connector.ts';
import { JONAS_TEAMS, postActivity, teamsActivity } from '../tests/support/teams-activities.ts';

/** A demo user linked to Teams (data/demo.json), so every turn reaches the conversation engine. */
const USER = { tenantId: JONAS_TEAMS.tenantId, aadObjectId: JONAS_TEAMS.aadObjectId, conversationId: 'a:bench-teams-turn', name: 'Jonas Weber' };

/**
 * A Teams message turn: an activity posted to /api/messages in local mode until the fake connector
 * has the reply, against a bare botbuilder CloudAdapter echo bot talking to the same connector.
 */
export const teamsTurnBench: Benchmark = {
  name: 'teams message turn',
  async run(ctx) {
    const warmup = 10;
    const turns = ctx.quick ? 40 : 1000;
    const connector = await startFakeConnector();
    // The connector runs in this process, so its arrival times share the clock the sends are timed with.
    // Both bots reply with POST …/activities/<inbound id>; the last arrival is when the user has the whole answer.
    const arrived = new Map<string, number>();
    const calls = connector.calls;
    const record = calls.push.bind(calls);
    calls.push = (...added: ConnectorCall[]) => {
      const at = performance.now();
      for (const c of added) if (c.activityId) arrived.set(c.activityId, at);
      return record(...added);
    };
    const [oursPort, barePort] = [await freePort(), await freePort()];
    const children: ChildProcess[] = [];
    try {
      // Started side by side to keep quick mode short; allSettled so that one failing to start still lets the other be stopped.
      const started = await Promise.allSettled([
        startAndWait(
          ['--import', 'tsx', 'src/main.ts'],
          { PORT: String(oursPort), DATABASE_URL: tempDatabaseUrl('bench-teams'), IMI_CRON: '0', IMI_TURN_RATE: 'off', MicrosoftAppId: '', MicrosoftAppPassword: '' },
          `http://127.0.0.1:${oursPort}/healthz`,
        ),
        startAndWait(['--import', 'tsx', 'bench/fixtures/bare-botbuilder.ts'], { PORT: String(barePort) }, `http://127.0.0.1:${barePort}/healthz`),
      ]);
      for (const s of started) if (s.status === 'fulfilled') children.push(s.value.child);
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      const startMs = started.map((s) => (s.status === 'fulfilled' ? round(s.value.ms, 0) : NaN));
      ctx.log(`started in ${startMs[0]} ms (imi-bot) and ${startMs[1]} ms (bare botbuilder)`);
      const targets = [
        { base: `http://127.0.0.1:${oursPort}`, ms: [] as number[] },
        { base: `http://127.0.0.1:${barePort}`, ms: [] as number[] },
      ];
      let n = 0;
      const turn = async (base: string): Promise<number> => {
        const activity = teamsActivity('message-personal', connector.url, { user: USER, text: 'help', locale: 'en-US' });
        // The fixture's id is time-based and may repeat within a millisecond; imi-bot drops redeliveries.
        activity.id = `bench-${++n}-${crypto.randomUUID()}`;
        const sent = performance.now();
        const res = await postActivity(base, activity);
        const at = arrived.get(activity.id);
        if (res.status !== 200 || at === undefined) throw new Error(`${base}: HTTP ${res.status} and ${at === undefined ? 'no' : 'a'} reply at the connector`);
        arrived.delete(activity.id);
        calls.length = 0;
        return at - sent;
      };
      for (let i = 0; i < warmup; i++) for (const t of targets) await turn(t.base);
      // Interleaved, alternating who goes first, so both see the same machine load.
      for (let i = 0; i < turns; i++) {
        for (const t of i % 2 ? [...targets].reverse() : targets) t.ms.push(await turn(t.base));
      }
      const [o, b] = targets.map((t) => t.ms);
      const p = (xs: number[], q: number) => round(quantile(xs, q), 2);
      ctx.log(`teams: ${turns} turns each; imi-bot p50 ${p(o!, 0.5)} ms p99 ${p(o!, 0.99)} ms, bare botbuilder p50 ${p(b!, 0.5)} ms p99 ${p(b!, 0.99)} ms`);
      return [
        ratioResult({
          name: 'teams turn latency (p50)',
          value: p(o!, 0.5),
          unit: 'ms',
          baseline: p(b!, 0.5),
          target: { on: 'ratio', max: 1.5 },
          note: 'POST /api/messages to the reply at the fake connector, vs a bare botbuilder CloudAdapter echo bot',
        }),
        ratioResult({ name: 'teams turn latency (p99)', value: p(o!, 0.99), unit: 'ms', baseline: p(b!, 0.99), target: null }),
      ];
    } finally {
      await Promise.all(children.map((c) => stop(c)));
      await connector.close();
    }
  },
};

import { freePort, median, quantile, ratioResult, round, startAndWait, stop, type Benchmark } from './lib.ts';
import { tempDatabaseUrl } from '../tests/support/temp-db.ts';

/** Process start to a healthy /healthz, against a bare express app started the same way. */
export const startupBench: Benchmark = {
  name: 'start-up',
  async run(ctx) {
    const runs = ctx.quick ? 2 : 7;
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < runs; i++) {
      // A migrated database with demo data already in it: the restart case, which is what operators wait for.
      const databaseUrl = tempDatabaseUrl('bench-start');
      for (const measure of [false, true]) {
        const port = await freePort();
        const { child, ms } = await startAndWait(
          ['--import', 'tsx', 'src/main.ts'],
          { PORT: String(port), DATABASE_URL: databaseUrl, IMI_CRON: '0' },
          `http://127.0.0.1:${port}/healthz`,
        );
        if (measure) ours.push(ms);
        await stop(child);
      }
      const port = await freePort();
      const base = await startAndWait(['--import', 'tsx', 'bench/fixtures/bare-express.ts'], { PORT: String(port) }, `http://127.0.0.1:${port}/healthz`);
      bare.push(base.ms);
      await stop(base.child);
      ctx.log(`start-up run ${i + 1}/${runs}: ours ${round(ours.at(-1)!, 0)} ms, bare express ${round(base.ms, 0)} ms`);
    }
    return [
      ratioResult({ name: 'start-up to healthy (median)', value: round(median(ours), 0), unit: 'ms', baseline: round(median(bare), 0), target: { on: 'value', max: 1500 }, note: 'ratio vs bare express reported' }),
      ratioResult({ name: 'start-up to healthy (p99)', value: round(quantile(ours, 0.99), 0), unit: 'ms', baseline: round(quantile(bare, 0.99), 0), target: null }),
    ];
  },
};

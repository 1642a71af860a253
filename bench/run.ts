import fs from 'node:fs';
import path from 'node:path';
import { ROOT, meets, targetText, type Benchmark, type Result } from './lib.ts';
import { startupBench } from './startup.bench.ts';
import { webThroughputBench } from './web-throughput.bench.ts';
import { pgScalingBench } from './pg-scaling.bench.ts';
import { slackTurnBench } from './slack-turn.bench.ts';
import { fanoutBench } from './fanout.bench.ts';
import { teamsTurnBench } from './teams-turn.bench.ts';
import { reminderScanBench } from './reminder-scan.bench.ts';
import { faqBench } from './faq.bench.ts';

/** Every benchmark, in the order they run; each issue adds its own here. */
const BENCHMARKS: Benchmark[] = [startupBench, webThroughputBench, pgScalingBench, slackTurnBench, fanoutBench, teamsTurnBench, reminderScanBench, faqBench];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const out = args.find((a) => a.startsWith('--out='))?.slice('--out='.length) ?? path.join(ROOT, 'bench', 'results.json');

const results: Result[] = [];
for (const b of BENCHMARKS.filter((b) => !only || b.name.includes(only))) {
  console.log(`\n▶ ${b.name}${quick ? ' (quick)' : ''}`);
  try {
    results.push(...(await b.run({ quick, log: (line) => console.log(`  ${line}`) })));
  } catch (err) {
    console.error(`  ${b.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    results.push({ name: `${b.name} (did not run)`, value: NaN, unit: '', baseline: null, ratio: null, target: { on: 'value', max: 0 } });
  }
}

const rows = results.map((r) => [
  r.name,
  `${r.value} ${r.unit}`.trim(),
  r.baseline === null ? '—' : `${r.baseline} ${r.unit}`.trim(),
  r.ratio === null ? '—' : String(r.ratio),
  r.target ? targetText(r.target) : '—',
  meets(r) === null ? '' : meets(r) ? 'met' : 'NOT MET',
]);
const header = ['benchmark', 'value', 'baseline', 'ratio', 'target', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const r of rows) console.log(line(r));
console.log('');
for (const r of results.filter((r) => r.target)) console.log(`${meets(r) ? 'met' : 'not met'}: ${r.name} (${targetText(r.target!)})`);

fs.writeFileSync(out, JSON.stringify({ quick, at: new Date().toISOString(), results }, null, 2) + '\n');
console.log(`\nwrote ${path.relative(ROOT, out)}`);
// Targets are reported, not enforced: a noisy machine must not fail a build. A benchmark that broke does.
process.exitCode = results.some((r) => Number.isNaN(r.value)) ? 1 : 0;

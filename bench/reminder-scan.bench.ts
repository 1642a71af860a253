import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { fixedClock } from '../src/app/ports/clock.ts';
import { scanReminders, type ScanOutcome } from '../src/app/reminders/scan-reminders.ts';
import { readReminderConfig } from '../src/delivery-wiring.ts';
import { openCore } from '../src/wiring.ts';
import { median, quantile, ratioResult, round, type Benchmark, type Result } from './lib.ts';
import { SCAN_AT, fillRequests, referenceDatabase, type ReminderData } from './reminder-data.ts';

/** Fails the benchmark when a scan did not queue exactly the reminders the data holds: then it timed something else. */
function check(outcome: ScanOutcome, data: ReminderData): void {
  if (outcome.errors.length > 0) throw new Error(`scan reported errors, e.g. ${outcome.errors[0]!.target}: ${outcome.errors[0]!.message}`);
  const found = new Map<string, Set<string>>();
  for (const q of outcome.queued) if (q.requestId) found.set(q.requestId, (found.get(q.requestId) ?? new Set()).add(q.rule));
  const wrong = [...new Set([...found.keys(), ...data.expected.keys()])].filter((id) => {
    const want = data.expected.get(id) ?? [];
    const got = found.get(id) ?? new Set();
    return want.length !== got.size || want.some((r) => !got.has(r));
  });
  if (wrong.length > 0 || found.size !== data.due) {
    const id = wrong[0];
    throw new Error(
      `scan of ${data.total} requests found ${found.size} due, expected ${data.due}` +
        (id ? `; e.g. ${id}: got ${[...(found.get(id) ?? [])].join(',') || 'nothing'}, expected ${(data.expected.get(id) ?? []).join(',') || 'nothing'}` : ''),
    );
  }
}

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));

/** One generated database, open the way the server opens it, with what it was measured at. */
interface Sized {
  data: ReminderData;
  scan(): Promise<{ ms: number; cpuMs: number; outcome: ScanOutcome }>;
  /** Deletes what scans wrote (their rows carry the scan's instant), so the next one finds the same due requests. */
  undo(): Promise<void>;
  close(): Promise<void>;
  /** Scans that issue the due reminders. */
  issuing: number[];
  /** Their CPU time (this process, sqlite's threads included): what a busy machine distorts least. */
  issuingCpu: number[];
  /** Scans right after one: everything due is recorded already (the 15-minute tick for the rest of the day). */
  repeat: number[];
}

/** Generates one size and opens it as the reminder job does: openCore, the policy from an empty environment. */
async function open(dir: string, reference: string, total: number, due: number, log: (l: string) => void): Promise<Sized> {
  const file = path.join(dir, `requests-${total}.db`);
  fs.copyFileSync(reference, file);
  const started = performance.now();
  const data = await fillRequests(file, total, due);
  const sizeMb = round(fs.statSync(file).size / 1e6, 0);
  log(`${label(total)} requests generated in ${round((performance.now() - started) / 1000, 1)} s (${sizeMb} MB), ${due} due, ${data.reminded} reminded earlier`);
  const core = await openCore(`sqlite:${file}`, fixedClock(new Date(SCAN_AT)));
  const { policy } = readReminderConfig({});
  const db = (core.deps.store as unknown as { db: Knex }).db;
  return {
    data,
    issuing: [],
    issuingCpu: [],
    repeat: [],
    async scan() {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const outcome = await scanReminders(core.deps, policy);
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, outcome };
    },
    async undo() {
      await db('outbox').where({ created_at: SCAN_AT }).delete();
      await db('reminders_sent').where({ created_at: SCAN_AT }).delete();
    },
    close: () => core.close(),
  };
}

/**
 * Rounds over all sizes in turn, so that a busy neighbour or a warming JIT weighs on every size
 * alike; each database stays open between rounds, as the server's connection does.
 */
async function measure(sizes: Sized[], runs: number, repeats: number): Promise<void> {
  // One scan first, so the smallest size is not the one that pays for compiling the code.
  check((await sizes[0]!.scan()).outcome, sizes[0]!.data);
  await sizes[0]!.undo();
  for (let i = 0; i < runs; i++) {
    for (const s of sizes) {
      const { ms, cpuMs, outcome } = await s.scan();
      check(outcome, s.data);
      s.issuing.push(ms);
      s.issuingCpu.push(cpuMs);
      if (i < runs - 1) await s.undo();
    }
  }
  for (let i = 0; i < repeats; i++) {
    for (const s of sizes) {
      const { ms, outcome } = await s.scan();
      if (outcome.queued.length > 0 || outcome.errors.length > 0) throw new Error(`a repeated scan queued ${outcome.queued.length} reminder(s)`);
      s.repeat.push(ms);
    }
  }
}

/**
 * The reminder scan on databases of growing size with the same number of due requests: the scan
 * should cost what is due, not what is stored. Target: largest ≤ 2 × smallest.
 */
export const reminderScanBench: Benchmark = {
  name: 'reminder scan',
  async run(ctx) {
    const sizes = ctx.quick ? [500, 5_000, 50_000] : [10_000, 100_000, 1_000_000];
    const due = ctx.quick ? 20 : 1_000;
    const runs = ctx.quick ? 2 : 5;
    // Quick mode keeps the repeated scan to one round: it is there to keep the code path alive.
    const repeats = ctx.quick ? 1 : runs;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reminders-'));
    const measured: Sized[] = [];
    try {
      const started = performance.now();
      const reference = await referenceDatabase(dir);
      for (const total of sizes) measured.push(await open(dir, reference, total, due, ctx.log));
      const generated = performance.now();
      await measure(measured, runs, repeats);
      ctx.log(`generating took ${round((generated - started) / 1000, 1)} s, scanning ${round((performance.now() - generated) / 1000, 1)} s`);
      for (const m of measured) {
        ctx.log(
          `${label(m.data.total)}: issuing scan median ${round(median(m.issuing), 1)} ms, p99 ${round(quantile(m.issuing, 0.99), 1)} ms, CPU ${round(median(m.issuingCpu), 1)} ms; ` +
            `repeated scan median ${round(median(m.repeat), 1)} ms, p99 ${round(quantile(m.repeat, 0.99), 1)} ms`,
        );
      }
      const mode = ctx.quick ? `, quick` : '';
      const small = measured[0]!;
      const large = measured.at(-1)!;
      const cpuRatio = round(median(large.issuingCpu) / median(small.issuingCpu), 3);
      const note =
        `The reminder job's scan (scanReminders, policy from an empty environment) at a fixed Wednesday 10:00 UTC, on real sqlite files with the production settings ` +
        `(WAL, a sync per issuing transaction); ${runs} rounds over all sizes after one warm-up scan, median (p99 in the log). ` +
        `Every run is the scan that finds the ${due} due requests and issues their reminders: what it wrote (reminders_sent and outbox rows stamped with its instant) ` +
        `is deleted before the next, so each does the same work. The other rows owe nothing that day: closed history (some with old deadline proposals), ` +
        `sent in the last 3 days, deadlines 10+ days ahead, training requests, and ${small.data.reminded} open requests reminded before. ` +
        `CPU-time ratio ${cpuRatio} (less disturbed by other load than wall time).`;
      const results: Result[] = measured.map((m) => ({
        name: `reminder scan, ${label(m.data.total)} requests (${due} due${mode})`,
        value: round(median(m.issuing), 1),
        unit: 'ms',
        baseline: null,
        ratio: null,
        target: null,
      }));
      const vs = `${label(large.data.total)} vs ${label(small.data.total)} (${due} due${mode})`;
      results.push(
        ratioResult({
          name: `reminder scan ${vs}`,
          value: round(median(large.issuing), 1),
          unit: 'ms',
          baseline: round(median(small.issuing), 1),
          target: { on: 'ratio', max: 2 },
          note,
        }),
        ratioResult({
          name: `reminder scan, nothing new, ${vs}`,
          value: round(median(large.repeat), 1),
          unit: 'ms',
          baseline: round(median(small.repeat), 1),
          target: null,
          note: 'The same scan again right after: everything due is recorded already, as on most 15-minute ticks of a day.',
        }),
      );
      ctx.log(`ratio ${label(large.data.total)}/${label(small.data.total)}: issuing ${results.at(-2)!.ratio} (CPU ${cpuRatio}), nothing new ${results.at(-1)!.ratio}`);
      return results;
    } finally {
      for (const m of measured) await m.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

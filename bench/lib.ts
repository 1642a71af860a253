import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One measured figure: ours, the baseline's in the same run, and what it should stay under. */
export interface Result {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  /** What the figure must meet; null = reported only. */
  target: Target | null;
  /** For ratios: whether a bigger value is better (throughput), so the ratio is baseline/value. */
  higherIsBetter?: boolean;
  note?: string;
}

export interface Target {
  on: 'ratio' | 'value';
  max?: number;
  min?: number;
}

export const targetText = (t: Target): string =>
  [t.min !== undefined ? `${t.on} ≥ ${t.min}` : '', t.max !== undefined ? `${t.on} ≤ ${t.max}` : ''].filter(Boolean).join(' and ');

export function meets(r: Result): boolean | null {
  if (!r.target) return null;
  const x = r.target.on === 'ratio' ? r.ratio : r.value;
  if (x === null || Number.isNaN(x)) return false;
  return (r.target.min === undefined || x >= r.target.min) && (r.target.max === undefined || x <= r.target.max);
}

export interface BenchContext {
  quick: boolean;
  log(line: string): void;
}

export interface Benchmark {
  name: string;
  run(ctx: BenchContext): Promise<Result[]>;
}

export const median = (xs: number[]): number => quantile(xs, 0.5);

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

/** A result with its ratio to the baseline: value/baseline, or baseline/value where higher is better. */
export const ratioResult = (r: Omit<Result, 'ratio'> & { baseline: number }): Result => ({
  ...r,
  ratio: round(r.higherIsBetter ? r.baseline / r.value : r.value / r.baseline, 3),
});

export { freePort } from '../tests/support/server.ts';

/** Starts a node process and resolves when `url` answers 200; returns the child and the ms it took. */
export async function startAndWait(args: string[], env: Record<string, string>, url: string): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited early: ${err}`);
    try {
      const res = await fetch(url);
      if (res.ok) return { child, ms: performance.now() - started };
    } catch {
      // not up yet
    }
    if (performance.now() - started > 60_000) {
      child.kill('SIGKILL');
      throw new Error(`no answer from ${url} after 60 s: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

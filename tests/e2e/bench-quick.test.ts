import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/server.ts';

describe('npm run bench -- --quick', () => {
  it('runs every benchmark and writes comparable results', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'results.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', `--out=${out}`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 600_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const { quick, results } = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(quick).toBe(true);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(Number.isFinite(r.value), r.name).toBe(true);
      expect(typeof r.unit).toBe('string');
      if (r.baseline !== null) expect(r.ratio).toBeGreaterThan(0);
    }
    // Speed is judged by ratios in the report, not here: every target gets a met / not met line.
    const targets = results.filter((r: { target: unknown }) => r.target).length;
    expect(run.stdout.match(/^(met|not met): /gm)?.length).toBe(targets);
  }, 900_000);
});

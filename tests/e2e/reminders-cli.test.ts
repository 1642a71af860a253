import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/app/ports/clock.ts';
import { openCore } from '../../src/wiring.ts';
import { runImi } from '../support/cli.ts';
import { ROOT } from '../support/server.ts';
import { tempDatabaseUrl } from '../support/temp-db.ts';
import { seedWorld, sendRequest } from '../support/reminder-world.ts';

// Requests are sent on Monday 30 November 2026 at 10:00 Berlin time.
const SENT = new Date('2026-11-30T09:00:00Z');
const REQUESTS = 8;

/** A fresh database with the test world and REQUESTS requests from hu-a to de-b, due on the 15th. */
async function database(): Promise<string> {
  const url = tempDatabaseUrl('imi-reminders');
  const core = await openCore(url, fixedClock(SENT));
  await core.deps.store.migrate();
  await seedWorld(core.deps);
  for (let i = 0; i < REQUESTS; i++) await sendRequest(core.deps, '2026-12-15');
  await core.close();
  return url;
}

const json = <T>(r: { code: number; stdout: string; stderr: string }): T => {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
};

interface Item {
  requestId: string | null;
  rule: string;
  recipient: string;
  channel: string | null;
  status: string;
}

describe('imi reminders run', () => {
  let url: string;
  beforeAll(async () => {
    url = await database();
  });

  it('run in two processes at once on one database file sends each reminder once', async () => {
    const run = () => runImi(['reminders', 'run', '--now', '2026-12-07T09:00:00Z', '--json'], { DATABASE_URL: url });
    const [a, b] = await Promise.all([run(), run()]);
    const items = [...json<Item[]>(a), ...json<Item[]>(b)];
    const ids = items.map((i) => `${i.requestId} ${i.rule} ${i.recipient}`);
    expect(new Set(ids).size).toBe(ids.length);
    // Fifth working day after sending: both responder handlers of each request.
    expect(items.length).toBe(REQUESTS * 2);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(['channel', 'recipient', 'requestId', 'rule', 'status']);
      expect(item).toMatchObject({ rule: 'not_accepted', channel: 'web', status: 'delivered' });
      expect(['de.one', 'de.two']).toContain(item.recipient);
    }
    const delivered = json<{ kind: string }[]>(await runImi(['notifications', 'list', '--status', 'delivered', '--json'], { DATABASE_URL: url }));
    expect(delivered.filter((n) => n.kind === 'reminder.not_accepted')).toHaveLength(REQUESTS * 2);
  });

  it('prints one line per notification, and nothing new when run again', async () => {
    const first = await runImi(['reminders', 'run', '--now', '2026-12-10T09:00:00Z'], { DATABASE_URL: url });
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(REQUESTS * 2);
    for (const line of lines) expect(line).toMatch(/^IMI-2026-\d{6}\s+deadline_approaching\s+→ de\.(one|two)\s+web\s+delivered$/);
    const again = await runImi(['reminders', 'run', '--now', '2026-12-10T11:00:00Z', '--json'], { DATABASE_URL: url });
    expect(json<Item[]>(again)).toEqual([]);
  });

  it('outside working hours queues the reminders, to go out when the window opens', async () => {
    // Saturday: the 1-day reminders are for Monday morning.
    const saturday = json<Item[]>(await runImi(['reminders', 'run', '--now', '2026-12-12T09:00:00Z', '--json'], { DATABASE_URL: url }));
    expect(saturday.length).toBe(REQUESTS * 2);
    expect(saturday.every((i) => i.status === 'pending' && i.channel === null)).toBe(true);
    const monday = json<Item[]>(await runImi(['reminders', 'run', '--now', '2026-12-14T09:00:00Z', '--json'], { DATABASE_URL: url }));
    expect(monday).toEqual([]);
    const pending = json<unknown[]>(await runImi(['notifications', 'list', '--status', 'pending', '--json'], { DATABASE_URL: url }));
    expect(pending).toEqual([]);
  });

  it('refuses a --now that is not an instant, in one line', async () => {
    const r = await runImi(['reminders', 'run', '--now', 'next monday'], { DATABASE_URL: url });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--now');
  });
});

describe('imi reminders settings', () => {
  it("shows and changes an authority's reminder settings", async () => {
    const url = tempDatabaseUrl('imi-settings');
    const core = await openCore(url, fixedClock(SENT));
    await core.deps.store.migrate();
    await seedWorld(core.deps);
    await core.close();
    const shown = json<{ effective: unknown }>(await runImi(['reminders', 'settings', '--authority', 'de-b', '--json'], { DATABASE_URL: url }));
    expect(shown.effective).toEqual({ daysBefore: [3, 1], escalateAfterDays: 3, workingHours: 'Mon-Fri 08:00-18:00' });
    const changed = await runImi(
      ['reminders', 'settings', '--authority', 'de-b', '--days-before', '5,2', '--working-hours', 'Mon-Thu 07:30-16:00', '--json'],
      { DATABASE_URL: url },
    );
    expect(json<{ effective: unknown }>(changed).effective).toEqual({ daysBefore: [5, 2], escalateAfterDays: 3, workingHours: 'Mon-Thu 07:30-16:00' });
    const bad = await runImi(['reminders', 'settings', '--authority', 'de-b', '--working-hours', 'weekdays'], { DATABASE_URL: url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--working-hours');
  });
});

/** Runs tests/e2e/delivery-child.ts in a process of its own; resolves with its exit code. */
function deliveryChild(env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/e2e/delivery-child.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

describe('a delivery worker killed mid-batch', () => {
  it('leaves the rest to the next run, which delivers it; nothing is sent twice', async () => {
    const url = await database();
    const record = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imi-record-')), 'sent.tsv');
    fs.writeFileSync(record, '');
    // Batches of 4: the process exits while sending the second notification of its second batch.
    expect(await deliveryChild({ DATABASE_URL: url, RECORD_FILE: record, NOW: '2026-11-30T09:01:00Z', EXIT_AFTER: '5' })).toBe(3);
    const afterCrash = fs.readFileSync(record, 'utf8').trim().split('\n');
    expect(afterCrash).toHaveLength(5);
    // Past the lease of the dead worker's claim.
    expect(await deliveryChild({ DATABASE_URL: url, RECORD_FILE: record, NOW: '2026-11-30T09:10:00Z' })).toBe(0);
    const sent = fs.readFileSync(record, 'utf8').trim().split('\n');
    expect(sent).toHaveLength(REQUESTS * 2);
    expect(new Set(sent).size).toBe(sent.length);
    const rows = json<{ status: string }[]>(await runImi(['notifications', 'list', '--json'], { DATABASE_URL: url }));
    expect(rows).toHaveLength(REQUESTS * 2);
    expect(rows.every((r) => r.status === 'delivered')).toBe(true);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { openCore } from '../../src/wiring.ts';
import { runImi, type CliResult } from '../support/cli.ts';
import { tempDatabaseUrl } from '../support/temp-db.ts';

/** The error contract: a non-zero exit, nothing on stdout, exactly one line on stderr. */
function expectOneLineError(r: CliResult): string {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr.endsWith('\n')).toBe(true);
  return lines[0]!;
}

/** The --json contract: a zero exit and stdout that is one JSON document and nothing else. */
function jsonOf(r: CliResult): unknown {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

async function readStore<T>(databaseUrl: string, read: (c: Awaited<ReturnType<typeof openCore>>) => Promise<T>): Promise<T> {
  const core = await openCore(databaseUrl);
  try {
    return await read(core);
  } finally {
    await core.close();
  }
}

describe('imi migrate', () => {
  it('reports the migrations it applied, then that the database is up to date', async () => {
    const env = { DATABASE_URL: tempDatabaseUrl() };
    const first = jsonOf(await runImi(['migrate', '--json'], env)) as { applied: number };
    expect(first.applied).toBeGreaterThan(0);
    expect(jsonOf(await runImi(['migrate', '--json'], env))).toEqual({ applied: 0 });
    const text = await runImi(['migrate'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/up to date/);
  });
});

describe('imi authority add', () => {
  const env = { DATABASE_URL: tempDatabaseUrl() };

  it('names the missing --country flag', async () => {
    const line = expectOneLineError(await runImi(['authority', 'add', '--id', 'hu-x', '--name', 'X'], env));
    expect(line).toContain('--country');
  });

  it('names --areas and the unknown area', async () => {
    const line = expectOneLineError(
      await runImi(['authority', 'add', '--id', 'hu-x', '--name', 'X', '--country', 'HU', '--areas', 'services,astrology'], env),
    );
    expect(line).toContain('--areas');
    expect(line).toContain('astrology');
  });

  it('refuses the same id twice and keeps the first authority as it was', async () => {
    const first = jsonOf(
      await runImi(['authority', 'add', '--id', 'hu-x', '--name', 'First office', '--country', 'hu', '--areas', 'services', '--json'], env),
    );
    expect(first).toMatchObject({ id: 'hu-x', name: 'First office', country: 'HU', language: 'hu', timezone: 'Europe/Budapest', areas: ['services'] });
    const line = expectOneLineError(
      await runImi(['authority', 'add', '--id', 'hu-x', '--name', 'Second office', '--country', 'DE', '--json'], env),
    );
    expect(line).toContain('--id');
    expect(line).toContain('hu-x');
    expect(await readStore(env.DATABASE_URL, (c) => c.deps.store.authorities.get('hu-x'))).toEqual(first);
  });
});

describe('imi user add', () => {
  const env = { DATABASE_URL: tempDatabaseUrl() };

  beforeAll(async () => {
    jsonOf(await runImi(['authority', 'add', '--id', 'de-y', '--name', 'Y', '--country', 'DE', '--areas', 'services', '--json'], env));
  });

  it('names --authority when the authority is unknown', async () => {
    const line = expectOneLineError(await runImi(['user', 'add', '--id', 'u.one', '--authority', 'nope', '--name', 'U'], env));
    expect(line).toContain('--authority');
    expect(line).toContain('nope');
  });

  it('names --roles when a role is unknown', async () => {
    const line = expectOneLineError(
      await runImi(['user', 'add', '--id', 'u.one', '--authority', 'de-y', '--name', 'U', '--roles', 'handler,boss'], env),
    );
    expect(line).toContain('--roles');
    expect(line).toContain('boss');
  });

  it('refuses a taken identity and a taken id, keeping the first user as it was', async () => {
    const first = jsonOf(
      await runImi(
        ['user', 'add', '--id', 'u.one', '--authority', 'de-y', '--name', 'Uta One', '--roles', 'handler', '--areas', 'services', '--slack', 'T01:U01', '--json'],
        env,
      ),
    );
    expect(first).toMatchObject({ id: 'u.one', roles: ['handler'], areas: ['services'] });

    const taken = expectOneLineError(
      await runImi(['user', 'add', '--id', 'u.two', '--authority', 'de-y', '--name', 'Two', '--slack', 'T01:U01'], env),
    );
    expect(taken).toContain('--slack');
    const again = expectOneLineError(
      await runImi(['user', 'add', '--id', 'u.one', '--authority', 'de-y', '--name', 'Other', '--roles', 'coordinator'], env),
    );
    expect(again).toContain('--id');

    const stored = await readStore(env.DATABASE_URL, async (c) => ({
      one: await c.deps.store.users.get('u.one'),
      two: await c.deps.store.users.get('u.two'),
    }));
    // Identities are a set; the store returns them in its own order.
    const bySet = (u: unknown) => {
      const x = u as { identities: { channel: string; externalId: string }[] };
      return { ...x, identities: [...x.identities].sort((a, b) => a.channel.localeCompare(b.channel)) };
    };
    expect(bySet(stored.one)).toEqual(bySet(first));
    expect(stored.two).toBeNull();
  });
});

describe('imi demo and imi requests list', () => {
  const env = { DATABASE_URL: tempDatabaseUrl() };
  let firstLoad: unknown;

  beforeAll(async () => {
    firstLoad = jsonOf(await runImi(['demo', '--json'], env));
  });

  it('loads the demo dataset once; a second run changes nothing', async () => {
    const data = loadDemoData();
    expect(firstLoad).toEqual({ loaded: true, authorities: data.authorities.length, users: data.users.length, requests: data.requests.length });
    const before = jsonOf(await runImi(['requests', 'list', '--json'], env));
    expect(jsonOf(await runImi(['demo', '--json'], env))).toMatchObject({ loaded: false });
    const text = await runImi(['demo'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/already loaded/);
    expect(jsonOf(await runImi(['requests', 'list', '--json'], env))).toEqual(before);
  });

  it('lists requests as JSON metadata without personal data', async () => {
    const r = await runImi(['requests', 'list', '--json'], env);
    const rows = jsonOf(r) as Record<string, unknown>[];
    expect(Array.isArray(rows)).toBe(true);
    expect(rows).toHaveLength(loadDemoData().requests.length);
    const statuses = ['draft', 'sent', 'accepted', 'answered', 'further_info_requested', 'closed', 'withdrawn'];
    for (const row of rows) {
      for (const key of ['id', 'status', 'area', 'requester', 'responder', 'requestedDeadline', 'deadline']) expect(row).toHaveProperty(key);
      expect(row.id).toMatch(/^IMI-\d{4}-\d{6}$/);
      expect(statuses).toContain(row.status);
      expect(row).not.toHaveProperty('subjectName');
    }
    expect(r.stdout).not.toContain('subjectName');
    for (const demo of loadDemoData().requests) expect(r.stdout).not.toContain(demo.subjectName);
  });

  it('filters by authority, and names --authority when it is unknown', async () => {
    const rows = jsonOf(await runImi(['requests', 'list', '--authority', 'hu-enkk', '--json'], env)) as { requester: string; responder: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect([row.requester, row.responder]).toContain('hu-enkk');
    expect(expectOneLineError(await runImi(['requests', 'list', '--authority', 'xx-none', '--json'], env))).toContain('--authority');
  });
});

describe('usage errors', () => {
  const env = { DATABASE_URL: tempDatabaseUrl() };

  it('an unknown command exits non-zero with one line on stderr', async () => {
    expect(expectOneLineError(await runImi(['frobnicate'], env))).toContain('frobnicate');
    expectOneLineError(await runImi(['requests', 'frobnicate', '--json'], env));
  });

  it('an unknown flag exits non-zero with one line on stderr naming it', async () => {
    expect(expectOneLineError(await runImi(['requests', 'list', '--colour', 'red'], env))).toContain('--colour');
    expect(expectOneLineError(await runImi(['demo', '--force', '--json'], env))).toContain('--force');
  });
});

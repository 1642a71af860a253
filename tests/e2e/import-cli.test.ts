import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/app/ports/repositories.ts';
import { openStore } from '../../src/store/knex-store.ts';
import { runImi } from '../support/cli.ts';
import { tempDatabaseUrl } from '../support/temp-db.ts';

/*
 * `imi import` end to end: the real bin in its own process, on files of 5,000 rows written the
 * way spreadsheets write them (semicolons or commas, quoted fields, accents), against a sqlite file.
 */

const COUNTRIES = ['HU', 'DE', 'FR', 'PL', 'AT', 'PT'];
const ROWS = 5000;

/** 5,000 authorities: a coordinator on line 2 that the other 4,999 name; separators and line breaks inside quotes. */
function authorityLines(): string[] {
  const lines = ['id;name;country;language;timezone;areas;coordinator;email;address'];
  lines.push('xx-coord;"Koordinációs Hivatal; Országos";HU;hu;Europe/Budapest;;;imi@example.eu;"Budapest,\nFő utca 1."');
  for (let i = 1; i < ROWS; i++) {
    const cc = COUNTRIES[i % COUNTRIES.length]!;
    lines.push(`${cc.toLowerCase()}-auth-${String(i).padStart(5, '0')};"Hatóság ${i} – Bürgeramt ""Été""";${cc};;;services|posting-of-workers;xx-coord;a${i}@example.eu;"Straße ${i}; Ünnep tér"`);
  }
  return lines;
}

/** 5,000 officials of those authorities, comma-separated, each with a Slack identity. */
function userLines(): string[] {
  const lines = ['ID,Authority,Name,Roles,Areas,Slack'];
  for (let i = 1; i <= ROWS; i++) {
    const authority = i < ROWS ? `${COUNTRIES[i % COUNTRIES.length]!.toLowerCase()}-auth-${String(i).padStart(5, '0')}` : 'xx-coord';
    lines.push(`user.${String(i).padStart(5, '0')},${authority},"Ürge, Zoé ${i}",handler|local_admin,${i < ROWS ? 'services' : ''},T0001:U${String(i).padStart(7, '0')}`);
  }
  return lines;
}

const write = (dir: string, name: string, lines: string[]): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n') + '\n', 'utf8');
  return file;
};

/** Every table an import writes, to prove that a refused or repeated import changed nothing. */
async function snapshot(db: Knex): Promise<string> {
  const tables = ['authorities', 'users', 'user_identities', 'audit_log'];
  const parts = await Promise.all(tables.map((t) => db(t).select().orderByRaw('1')));
  return JSON.stringify(parts);
}

describe('imi import', () => {
  let dir: string;
  let databaseUrl: string;
  let store: Store & { db: Knex };
  let authorities: string;
  let users: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imi-import-'));
    databaseUrl = tempDatabaseUrl('imi-import');
    authorities = write(dir, 'authorities.csv', authorityLines());
    users = write(dir, 'users.csv', userLines());
    store = openStore(databaseUrl);
  });

  afterAll(async () => {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const imi = (...args: string[]) => runImi(args, { DATABASE_URL: databaseUrl });

  it('imports a 5,000-row file of authorities completely', async () => {
    const r = await imi('import', 'authorities', authorities);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('5,000 authorities: 5,000 new, 0 updated, 0 unchanged');
    expect(await store.db('authorities').count({ n: '*' }).first()).toMatchObject({ n: ROWS });
    // Read back through the repository the rest of the application uses.
    const one = await store.authorities.get('hu-auth-00006');
    expect(one).toMatchObject({
      name: 'Hatóság 6 – Bürgeramt "Été"',
      country: 'HU',
      language: 'hu',
      timezone: 'Europe/Budapest',
      areas: ['services', 'posting-of-workers'],
      coordinatorId: 'xx-coord',
      contact: { email: 'a6@example.eu', address: 'Straße 6; Ünnep tér' },
    });
    expect((await store.authorities.get('xx-coord'))?.contact.address).toBe('Budapest,\nFő utca 1.');
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await snapshot(store.db);
    const r = await imi('import', 'authorities', authorities, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ imported: true, rows: ROWS, created: 0, updated: 0, unchanged: ROWS, delimiter: ';' });
    expect(await snapshot(store.db)).toBe(before);
  });

  it('imports 5,000 users with their chat identities, and nothing the second time', async () => {
    const first = await imi('import', 'users', users);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('5,000 users: 5,000 new, 0 updated, 0 unchanged');
    const u = await store.users.byIdentity({ channel: 'slack', externalId: 'T0001:U0000042' });
    expect(u).toMatchObject({ id: 'user.00042', authorityId: 'hu-auth-00042', name: 'Ürge, Zoé 42', roles: ['handler', 'local_admin'], areas: ['services'] });
    expect(u?.identities).toEqual([
      { channel: 'slack', externalId: 'T0001:U0000042' },
      { channel: 'web', externalId: 'user.00042' },
    ]);
    const before = await snapshot(store.db);
    const again = await imi('import', 'users', users);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 new, 0 updated, 5,000 unchanged');
    expect(await snapshot(store.db)).toBe(before);
  });

  it('updates the rows that changed, and only those', async () => {
    const lines = authorityLines();
    lines[10] = lines[10]!.replace('Bürgeramt', 'Landesamt');
    lines[4000] = lines[4000]!.replace('services|posting-of-workers', 'services');
    const r = await imi('import', 'authorities', write(dir, 'changed.csv', lines));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0 new, 2 updated, 4,998 unchanged');
    expect((await store.authorities.get('pl-auth-00009'))?.name).toBe('Hatóság 9 – Landesamt "Été"');
    expect((await store.authorities.get('pl-auth-03999'))?.areas).toEqual(['services']);
  });

  it('imports nothing from a file with 3 bad rows among 5,000, and reports exactly those 3 lines', async () => {
    const fresh = tempDatabaseUrl('imi-import-bad');
    const lines = authorityLines();
    // Line numbers count the header as line 1, and line 2's address spans two lines: record i is on line i + 2.
    lines[1200] = lines[1200]!.replace(';HU;', ';XX;').replace(';DE;', ';XX;').replace(';FR;', ';XX;').replace(';PL;', ';XX;').replace(';AT;', ';XX;').replace(';PT;', ';XX;');
    lines[2501] = lines[7]!;
    lines[4998] = lines[4998]!.replace('services|posting-of-workers', 'services|no-such-area');
    const file = write(dir, 'bad.csv', lines);
    const r = await runImi(['import', 'authorities', file, '--json'], { DATABASE_URL: fresh });
    expect(r.code).not.toBe(0);
    const report = JSON.parse(r.stdout) as { imported: boolean; problems: { line: number; column?: string; code: string }[] };
    expect(report.imported).toBe(false);
    expect(report.problems.map((p) => [p.line, p.column, p.code])).toEqual([
      [1202, 'country', 'AUTHORITY.INVALID_COUNTRY'],
      [2503, 'id', 'IMPORT.DUPLICATE_ID'],
      [5000, 'areas', 'AUTHORITY.UNKNOWN_AREA'],
    ]);
    const reported = r.stderr.split('\n').filter((l) => /^\s+line \d+/.test(l));
    expect(reported.map((l) => Number(/line (\d+)/.exec(l)![1]))).toEqual([1202, 2503, 5000]);
    expect(r.stderr).toContain('nothing was imported');
    const check = openStore(fresh);
    try {
      expect(await check.db('authorities').count({ n: '*' }).first()).toMatchObject({ n: 0 });
      expect(await check.db('audit_log').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    } finally {
      await check.close();
    }
  });
});

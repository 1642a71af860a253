import { beforeAll, describe, expect, it } from 'vitest';
import { hashInvitationCode } from '../../src/app/admin/invite-user.ts';
import { redeemInvitation } from '../../src/app/admin/redeem-invitation.ts';
import { openCore } from '../../src/wiring.ts';
import { runImi, type CliResult } from '../support/cli.ts';
import { tempDatabaseUrl } from '../support/temp-db.ts';

const env = { DATABASE_URL: tempDatabaseUrl('imi-admin') };

/** The error contract: a non-zero exit, nothing on stdout, exactly one line on stderr. */
function oneLineError(r: CliResult): string {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

/** The --json contract: a zero exit and stdout that is one JSON document and nothing else. */
function jsonOf<T = unknown>(r: CliResult): T {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

async function withStore<T>(read: (c: Awaited<ReturnType<typeof openCore>>) => Promise<T>): Promise<T> {
  const core = await openCore(env.DATABASE_URL);
  try {
    return await read(core);
  } finally {
    await core.close();
  }
}

type RegisterRow = { id: string; country: string; area: string; areas: string[]; name: string; url: string; free: boolean };

beforeAll(async () => {
  expect((await runImi(['demo'], env)).code).toBe(0);
});

describe('imi invite', () => {
  it('prints a single-use code as JSON, stores only its hash, and the code registers the colleague', async () => {
    const out = jsonOf<{ code: string; expiresAt: string; authority: string; name: string; roles: string[]; areas: string[] }>(
      await runImi(['invite', '--authority', 'hu-enkk', '--name', 'Kovács Éva', '--roles', 'handler', '--json'], env),
    );
    expect(out).toMatchObject({ authority: 'hu-enkk', name: 'Kovács Éva', roles: ['handler'], areas: ['professional-qualifications'] });
    expect(out.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(Date.parse(out.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    await withStore(async (core) => {
      expect((await core.deps.store.invitations.byCodeHash(hashInvitationCode(out.code)))!.usedAt).toBeNull();
      const redeemed = await redeemInvitation(core.deps, { code: out.code, identity: { channel: 'web', externalId: 'eva.k' } });
      expect(redeemed.ok && redeemed.value.user.id).toBe('kovacs.eva');
    });
  });

  it('refuses an unknown authority and a bad role in one line naming the flag', async () => {
    expect(oneLineError(await runImi(['invite', '--authority', 'nope', '--name', 'X Y', '--json'], env))).toMatch(/^imi: --authority: .*"nope"/);
    expect(oneLineError(await runImi(['invite', '--authority', 'hu-enkk', '--name', 'X Y', '--roles', 'boss'], env))).toMatch(/--roles: "boss" is not a role/);
  });
});

describe('imi user remove', () => {
  it('refuses to orphan open requests, naming --reassign-to and who could take them over', async () => {
    const line = oneLineError(await runImi(['user', 'remove', '--id', 'anna.kovacs'], env));
    expect(line).toMatch(/--reassign-to/);
    expect(line).toMatch(/peter\.szabo/);
    expect(oneLineError(await runImi(['user', 'remove', '--id', 'anna.kovacs', '--reassign-to', 'gabor.toth'], env))).toMatch(
      /^imi: --reassign-to: Tóth Gábor cannot take over/,
    );
    expect(await withStore(async (c) => (await c.deps.store.users.get('anna.kovacs'))!.active)).toBe(true);
  });

  it('reassigns, deactivates and reports what moved', async () => {
    const before = await withStore((c) => c.deps.store.requests.list({}));
    const annas = before.filter((r) => r.createdBy === 'anna.kovacs' && r.status === 'draft').map((r) => r.id);
    expect(annas.length).toBeGreaterThan(0);
    const out = jsonOf<{ id: string; active: boolean; reassignedTo: string; reassigned: string[] }>(
      await runImi(['user', 'remove', '--id', 'anna.kovacs', '--reassign-to', 'peter.szabo', '--json'], env),
    );
    expect(out).toEqual({ id: 'anna.kovacs', name: 'Kovács Anna', authority: 'hu-enkk', active: false, reassignedTo: 'peter.szabo', reassigned: annas });
    const after = await withStore((c) => c.deps.store.requests.list({}));
    expect(after.length).toBe(before.length);
    expect(after.filter((r) => annas.includes(r.id)).every((r) => r.createdBy === 'peter.szabo')).toBe(true);
    const notes = jsonOf<{ kind: string; recipientId: string }[]>(await runImi(['notifications', 'list', '--json'], env));
    expect(notes.filter((n) => n.kind === 'admin.requests_reassigned').map((n) => n.recipientId)).toEqual(['peter.szabo']);
    expect(oneLineError(await runImi(['user', 'remove', '--id', 'anna.kovacs'], env))).toMatch(/^imi: --id: There is no user/);
  });

  it('changes roles with imi user update', async () => {
    const out = jsonOf<{ roles: string[] }>(await runImi(['user', 'update', '--id', 'peter.szabo', '--roles', 'handler,local_admin', '--json'], env));
    expect(out.roles).toEqual(['handler', 'local_admin']);
  });
});

describe('imi registers', () => {
  it('lists the directory in the contract shape, filtered by country and area', async () => {
    const hu = jsonOf<RegisterRow[]>(await runImi(['registers', 'list', '--country', 'HU', '--json'], env));
    expect(hu.map((r) => r.id)).toEqual(['hu-company-register', 'hu-health-professionals']);
    for (const r of hu) {
      expect(r).toMatchObject({ country: 'HU', id: expect.any(String), area: expect.any(String), name: expect.any(String), url: expect.stringMatching(/^https:\/\//) });
    }
    const services = jsonOf<RegisterRow[]>(await runImi(['registers', 'list', '--area', 'services', '--json'], env));
    expect(services.length).toBeGreaterThan(5);
    expect(services.every((r) => r.area === 'services' && r.areas.includes('services'))).toBe(true);
    expect(oneLineError(await runImi(['registers', 'list', '--country', 'XX'], env))).toMatch(/--country: "XX"/);
    expect(oneLineError(await runImi(['registers', 'list', '--area', 'fishing'], env))).toMatch(/--area: "fishing"/);
  });

  it('adds a register for an authority, then finds it by search', async () => {
    const added = jsonOf<RegisterRow & { owner: string }>(
      await runImi(
        ['registers', 'add', '--country', 'HU', '--area', 'professional-qualifications', '--name', 'Orvosi kamarai tagnyilvántartás',
          '--url', 'https://kamara.example.hu/tagok', '--authority', 'hu-enkk', '--lang', 'hu', '--description', 'A kamara tagjai', '--json'],
        env,
      ),
    );
    expect(added).toMatchObject({ id: 'hu-orvosi-kamarai-tagnyilvantartas', country: 'HU', area: 'professional-qualifications', owner: 'hu-enkk' });
    const found = jsonOf<RegisterRow[]>(await runImi(['registers', 'search', 'tagnyilvantartas', '--json'], env));
    expect(found.map((r) => r.id)).toEqual(['hu-orvosi-kamarai-tagnyilvantartas']);
    const list = jsonOf<RegisterRow[]>(await runImi(['registers', 'list', '--country', 'HU', '--json'], env));
    expect(list.map((r) => r.id)).toContain('hu-orvosi-kamarai-tagnyilvantartas');
  });

  it('refuses a register without a usable web address or area', async () => {
    const base = ['registers', 'add', '--country', 'HU', '--name', 'Bad', '--id', 'hu-bad'];
    expect(oneLineError(await runImi([...base, '--area', 'services', '--url', 'not a url'], env))).toMatch(/^imi: --url: "not a url" is not a web address/);
    expect(oneLineError(await runImi([...base, '--area', 'fishing', '--url', 'https://x.example.hu'], env))).toMatch(/^imi: --area: /);
    expect(oneLineError(await runImi([...base, '--url', 'https://x.example.hu'], env))).toMatch(/--area is required/);
  });
});

describe('imi authority overview', () => {
  it('shows the authorities a coordinating authority coordinates, with counts', async () => {
    const rows = jsonOf<{ id: string; open: number; overdue: number }[]>(await runImi(['authority', 'overview', '--coordinator', 'hu-nimic', '--json'], env));
    expect(rows.map((r) => r.id).sort()).toEqual(['hu-bfkh', 'hu-enkk']);
    expect(rows.every((r) => typeof r.open === 'number' && typeof r.overdue === 'number')).toBe(true);
  });
});

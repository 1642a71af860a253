import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { updateAuthorityData, viewAuthorityData } from '../../src/app/admin/authority-data.ts';
import { authorityStaff, changeUserRights } from '../../src/app/admin/change-user-rights.ts';
import { coordinatorOverview } from '../../src/app/admin/coordinator-overview.ts';
import { hashInvitationCode, inviteUser } from '../../src/app/admin/invite-user.ts';
import { CLI_ACTOR, type AdminActor } from '../../src/app/admin/principal.ts';
import { redeemInvitation } from '../../src/app/admin/redeem-invitation.ts';
import { registerCoordinatedAuthority } from '../../src/app/admin/register-coordinated-authority.ts';
import { removalPlan, removeUser } from '../../src/app/admin/remove-user.ts';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import { actOnRequest } from '../../src/app/requests/act-on-request.ts';
import { createDraft } from '../../src/app/requests/create-draft.ts';
import type { ErrorCode } from '../../src/domain/errors.ts';
import type { Result } from '../../src/domain/result.ts';
import { errorKey } from '../../src/i18n/error-messages.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { openCore, type Core } from '../../src/wiring.ts';
import { settableClock, testCore } from '../support/core.ts';
import { closeDatabases, copyOf, testEngines } from '../support/databases.ts';

const PQ = 'professional-qualifications';
const PW = 'posting-of-workers';
const START = new Date('2026-11-25T10:00:00Z');
const as = (id: string): AdminActor => ({ id, origin: 'web' });
// Demo officials: hu-enkk (local admin anna.kovacs, handler peter.szabo), hu-bfkh (local admin gabor.toth,
// handler katalin.horvath), both coordinated by hu-nimic (coordinator eszter.nagy); de-nimic coordinates de-*.
const ANNA = as('anna.kovacs');
const PETER = as('peter.szabo');
const GABOR = as('gabor.toth');
const ESZTER = as('eszter.nagy');
const THOMAS = as('thomas.schneider');

let core: Core & { databaseUrl: string };
let clock: ReturnType<typeof settableClock>;

const dbOf = (c: Core): Knex => (c.deps.store as Store & { db: Knex }).db;

/** Everything an admin action could touch, to prove a refusal changed nothing. */
async function snapshot(): Promise<string> {
  const s = core.deps.store;
  const db = dbOf(core);
  return JSON.stringify({
    users: await s.users.list(),
    authorities: await s.authorities.list(),
    requests: await s.requests.list({}),
    audit: await s.audit.list(),
    outbox: await s.outbox.list(),
    invitations: await db('invitations').select(),
    registers: await db('registers').select(),
  });
}

function expectError<T>(r: Result<T>, code: ErrorCode): void {
  expect(r.ok ? 'ok' : r.error.code).toBe(code);
}

const must = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}`);
  return r.value;
};

/** A real request anna.kovacs created and sent to Germany, so she has open work besides her demo draft. */
async function sentRequestOfAnna(): Promise<string> {
  const draft = must(await createDraft(core.deps, { actorId: 'anna.kovacs', area: PQ, origin: 'web' }));
  const changes = { responderAuthorityId: 'de-lageso', questions: ['pq-legally-established'], requestedDeadline: '2026-12-20', subjectName: 'Dr. Test' };
  must(await actOnRequest(core.deps, { actorId: 'anna.kovacs', requestId: draft.id, action: { type: 'update_draft', changes }, origin: 'web' }));
  must(await actOnRequest(core.deps, { actorId: 'anna.kovacs', requestId: draft.id, action: { type: 'send' }, origin: 'web' }));
  return draft.id;
}

// Every test runs on each engine: sqlite, and PostgreSQL when a server is reachable (tests/support/databases.ts).
const engines = await testEngines();
afterAll(closeDatabases);

describe.each(engines)('administration on %s', (engine) => {
  let template: { url: string; drop(): Promise<void> };
  let copy: { url: string; drop(): Promise<void> };

  // The demo dataset is loaded once; each test works on its own copy of that database.
  beforeAll(async () => {
    const seeded = await testCore(settableClock(START), engine);
    await loadDemo(seeded.deps, loadDemoData());
    await seeded.deps.store.close();
    template = await copyOf(seeded.databaseUrl);
    await seeded.close();
  });

  afterAll(async () => {
    await template?.drop();
  });

  beforeEach(async () => {
    clock = settableClock(START);
    copy = await copyOf(template.url);
    core = { ...(await openCore(copy.url, clock)), databaseUrl: copy.url };
  });

  afterEach(async () => {
    await core.close();
    await copy.drop();
  });

  describe('permissions: every refusal is typed, worded in every language, and changes nothing', () => {
    const refusals: [string, () => Promise<Result<unknown>>, ErrorCode][] = [
      ['a local admin inviting into another authority', () => inviteUser(core.deps, { authorityId: 'hu-bfkh', name: 'X Y' }, ANNA), 'ADMIN.FORBIDDEN'],
      ['a local admin removing a user of another authority', () => removeUser(core.deps, { userId: 'katalin.horvath' }, ANNA), 'ADMIN.FORBIDDEN'],
      ['a local admin changing rights at another authority', () => changeUserRights(core.deps, { userId: 'katalin.horvath', areas: [] }, ANNA), 'ADMIN.FORBIDDEN'],
      ["a local admin editing another authority's data", () => updateAuthorityData(core.deps, { authorityId: 'hu-bfkh', confirm: true }, ANNA), 'ADMIN.FORBIDDEN'],
      ['a handler inviting', () => inviteUser(core.deps, { authorityId: 'hu-enkk', name: 'X Y' }, PETER), 'ADMIN.FORBIDDEN'],
      ['a handler removing a colleague', () => removeUser(core.deps, { userId: 'anna.kovacs', reassignTo: 'peter.szabo' }, PETER), 'ADMIN.FORBIDDEN'],
      ['a handler changing their own rights', () => changeUserRights(core.deps, { userId: 'peter.szabo', roles: ['handler', 'local_admin'] }, PETER), 'ADMIN.FORBIDDEN'],
      ["a handler editing the authority's data", () => updateAuthorityData(core.deps, { authorityId: 'hu-enkk', changes: { name: 'X' } }, PETER), 'ADMIN.FORBIDDEN'],
      ['a handler asking for the coordinator overview', () => coordinatorOverview(core.deps, {}, PETER), 'ADMIN.FORBIDDEN'],
      ["a coordinator reading an authority they do not coordinate", () => viewAuthorityData(core.deps, { authorityId: 'de-lageso' }, ESZTER), 'ADMIN.FORBIDDEN'],
      ['a coordinator removing a user of another country', () => removeUser(core.deps, { userId: 'sabine.fischer' }, ESZTER), 'ADMIN.FORBIDDEN'],
      ["a coordinator asking for another coordinator's overview", () => coordinatorOverview(core.deps, { coordinatorAuthorityId: 'de-nimic' }, ESZTER), 'ADMIN.FORBIDDEN'],
      ['a coordinator registering an authority abroad', () => registerCoordinatedAuthority(core.deps, { id: 'de-new', name: 'Neu', country: 'DE' }, ESZTER), 'ADMIN.FORBIDDEN'],
      ['a local admin registering an authority', () => registerCoordinatedAuthority(core.deps, { id: 'hu-new', name: 'Új', country: 'HU' }, ANNA), 'ADMIN.FORBIDDEN'],
      ['a local admin granting the coordinator role', () => changeUserRights(core.deps, { userId: 'peter.szabo', roles: ['handler', 'coordinator'] }, ANNA), 'ADMIN.ROLE_NOT_ALLOWED'],
      ['a local admin inviting a coordinator', () => inviteUser(core.deps, { authorityId: 'hu-enkk', name: 'X Y', roles: ['coordinator'] }, ANNA), 'ADMIN.ROLE_NOT_ALLOWED'],
      ['the only local admin dropping the role', () => changeUserRights(core.deps, { userId: 'anna.kovacs', roles: ['handler'] }, ANNA), 'ADMIN.LAST_LOCAL_ADMIN'],
      ['the only local admin removing themselves', () => removeUser(core.deps, { userId: 'anna.kovacs', reassignTo: 'peter.szabo' }, ANNA), 'ADMIN.LAST_LOCAL_ADMIN'],
      ['someone who is not registered', () => inviteUser(core.deps, { authorityId: 'hu-enkk', name: 'X Y' }, as('nobody')), 'USER.NOT_REGISTERED'],
      ['an invitation valid for too long', () => inviteUser(core.deps, { authorityId: 'hu-enkk', name: 'X Y', validDays: 90 }, ANNA), 'INVITE.INVALID_DAYS'],
    ];

    it.each(refusals)('refuses %s', async (_what, attempt, code) => {
      const before = await snapshot();
      expectError(await attempt(), code);
      expect(await snapshot()).toBe(before);
      for (const lang of ['en', 'hu', 'de', 'fr']) expect(core.i18n.has(lang, errorKey(code)), `${lang}: ${code}`).toBe(true);
    });

    it('lets a local admin manage their own authority and its data', async () => {
      const changed = must(await changeUserRights(core.deps, { userId: 'peter.szabo', roles: ['handler', 'local_admin'] }, ANNA));
      expect(changed.roles).toEqual(['handler', 'local_admin']);
      clock.set(new Date('2026-11-26T08:30:00Z'));
      const data = must(await updateAuthorityData(core.deps, { authorityId: 'hu-enkk', changes: { contact: { email: 'imi@enkk.example' } }, confirm: true }, ANNA));
      expect(data.contact.email).toBe('imi@enkk.example');
      expect(data.dataReviewedAt).toBe('2026-11-26T08:30:00.000Z');
      expect((await core.deps.store.audit.list(5)).map((e) => e.action)).toContain('authority.update');
      // Handlers see their authority's data; they just cannot change it.
      expect(must(await viewAuthorityData(core.deps, { authorityId: 'hu-enkk' }, PETER)).id).toBe('hu-enkk');
      const staff = must(await authorityStaff(core.deps, { authorityId: 'hu-enkk' }, ANNA));
      expect(staff.users.map((u) => u.id).sort()).toEqual(['anna.kovacs', 'peter.szabo']);
      expect(staff.areasWithoutBackup).toEqual([]);
    });

    it('shows a coordinator only the authorities they coordinate, with counts and no request contents', async () => {
      const rows = must(await coordinatorOverview(core.deps, {}, ESZTER));
      expect(rows.map((r) => r.id).sort()).toEqual(['hu-bfkh', 'hu-enkk']);
      const bfkh = rows.find((r) => r.id === 'hu-bfkh')!;
      expect(bfkh.open).toBe(2);
      expect(Object.keys(bfkh).sort()).toEqual(
        ['areas', 'areasWithoutBackup', 'country', 'dataReviewedAt', 'id', 'localAdmins', 'name', 'open', 'overdue', 'users'].sort(),
      );
      // Far past every deadline, the requests hu-bfkh received and has not answered count as overdue.
      clock.set(new Date('2027-06-01T10:00:00Z'));
      expect(must(await coordinatorOverview(core.deps, {}, ESZTER)).find((r) => r.id === 'hu-bfkh')!.overdue).toBe(2);
      expect(must(await coordinatorOverview(core.deps, {}, THOMAS)).map((r) => r.country)).toEqual(['DE', 'DE', 'DE']);
    });

    it('lets a coordinator register an authority of their country under their coordination, and its first user', async () => {
      const created = must(await registerCoordinatedAuthority(core.deps, { id: 'hu-mkk', name: 'Magyar Kamara', country: 'HU', areas: ['services'], coordinatorId: 'de-nimic' }, ESZTER));
      expect(created.coordinatorId).toBe('hu-nimic');
      expect(created.timezone).toBe('Europe/Budapest');
      const issued = must(await inviteUser(core.deps, { authorityId: 'hu-mkk', name: 'Első Admin', roles: ['handler', 'local_admin'] }, ESZTER));
      expect(issued.invitation.areas).toEqual(['services']);
      expect(must(await coordinatorOverview(core.deps, {}, ESZTER)).map((r) => r.id)).toContain('hu-mkk');
    });
  });

  describe('removing a user with open requests', () => {
    it('refuses without a successor, naming who could take over, and changes nothing', async () => {
      await sentRequestOfAnna();
      const plan = must(await removalPlan(core.deps, { userId: 'anna.kovacs' }, CLI_ACTOR));
      expect(plan.openWork.map((w) => w.status).sort()).toEqual(['draft', 'sent']);
      expect(plan.candidates).toEqual([{ id: 'peter.szabo', name: expect.any(String) }]);
      const before = await snapshot();
      const r = await removeUser(core.deps, { userId: 'anna.kovacs' }, CLI_ACTOR);
      expectError(r, 'USER.REASSIGN_REQUIRED');
      if (!r.ok) expect(r.error).toMatchObject({ field: 'reassignTo', params: { count: 2, candidates: 'peter.szabo' } });
      expectError(await removeUser(core.deps, { userId: 'anna.kovacs', reassignTo: 'gabor.toth' }, CLI_ACTOR), 'USER.REASSIGN_INVALID');
      expectError(await removeUser(core.deps, { userId: 'anna.kovacs', reassignTo: 'anna.kovacs' }, CLI_ACTOR), 'USER.REASSIGN_INVALID');
      expectError(await removeUser(core.deps, { userId: 'anna.kovacs', reassignTo: 'ghost' }, CLI_ACTOR), 'USER.NOT_FOUND');
      expect(await snapshot()).toBe(before);
    });

    it('hands every open request and draft to the successor, notifies them, then deactivates and unbinds', async () => {
      const sentId = await sentRequestOfAnna();
      const all = await core.deps.store.requests.list({});
      const annas = all.filter((r) => r.createdBy === 'anna.kovacs' && ['draft', 'sent'].includes(r.status)).map((r) => r.id).sort();
      expect(annas).toContain(sentId);
      clock.set(new Date('2026-11-27T09:00:00Z'));
      // A coordinator removes her: she is the only local admin, which only a coordinator may override.
      const removed = must(await removeUser(core.deps, { userId: 'anna.kovacs', reassignTo: 'peter.szabo' }, ESZTER));
      expect(removed.reassigned.sort()).toEqual(annas);
      expect(removed.reassignedTo).toBe('peter.szabo');

      const after = await core.deps.store.requests.list({});
      expect(after.length).toBe(all.length);
      for (const id of annas) {
        const r = after.find((x) => x.id === id)!;
        const was = all.find((x) => x.id === id)!;
        expect(r).toMatchObject({ createdBy: 'peter.szabo', status: was.status, version: was.version + 1, questions: was.questions });
        const history = await core.deps.store.history.of(id);
        expect(history.at(-1)).toMatchObject({ type: 'reassigned', actorId: 'eszter.nagy', details: { from: 'anna.kovacs', to: 'peter.szabo' } });
        expect(history.length).toBeGreaterThan(1);
      }
      const notes = (await core.deps.store.outbox.list()).filter((n) => n.kind === 'admin.requests_reassigned');
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ recipientId: 'peter.szabo', params: { count: annas.length, from: 'Kovács Anna' } });

      const anna = (await core.deps.store.users.get('anna.kovacs'))!;
      expect(anna).toMatchObject({ active: false, identities: [] });
      expect(await core.deps.store.users.byIdentity({ channel: 'slack', externalId: 'T0DEMOHU:U0ANNA' })).toBeNull();
      const audit = (await core.deps.store.audit.list(10)).find((e) => e.action === 'user.remove')!;
      expect(audit).toMatchObject({ actorId: 'eszter.nagy', target: 'anna.kovacs', details: { reassignedTo: 'peter.szabo', requests: annas.length } });
      // The new handler now finds the drafts among their own work.
      expect((await core.deps.store.requests.get(sentId))!.createdBy).toBe('peter.szabo');
    });

    it('writes nothing when one of the reassignments fails midway', async () => {
      const sentId = await sentRequestOfAnna();
      // A real database failure on the second request's update, to prove the first one is undone.
      if (engine === 'sqlite') {
        await dbOf(core).raw(
          `CREATE TRIGGER fail_reassign BEFORE UPDATE OF created_by ON requests WHEN NEW.id = '${sentId}' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
        );
      } else {
        await dbOf(core).raw(`CREATE FUNCTION fail_reassign() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$`);
        await dbOf(core).raw(
          `CREATE TRIGGER fail_reassign BEFORE UPDATE OF created_by ON requests FOR EACH ROW WHEN (NEW.id = '${sentId}') EXECUTE FUNCTION fail_reassign()`,
        );
      }
      const before = await snapshot();
      await expect(removeUser(core.deps, { userId: 'anna.kovacs', reassignTo: 'peter.szabo' }, CLI_ACTOR)).rejects.toThrow(/disk on fire/);
      expect(await snapshot()).toBe(before);
    });

    it('refuses when no colleague could take the work over', async () => {
      const draft = must(await createDraft(core.deps, { actorId: 'gabor.toth', area: PW, origin: 'web' }));
      must(await changeUserRights(core.deps, { userId: 'katalin.horvath', areas: [] }, GABOR));
      const before = await snapshot();
      const r = await removeUser(core.deps, { userId: 'gabor.toth' }, CLI_ACTOR);
      expectError(r, 'USER.REASSIGN_NONE');
      if (!r.ok) expect(r.error.params).toMatchObject({ count: 1, areas: PW });
      expect(await snapshot()).toBe(before);
      expect((await core.deps.store.requests.get(draft.id))!.createdBy).toBe('gabor.toth');
    });

    it('removes a user without open work straight away', async () => {
      const removed = must(await removeUser(core.deps, { userId: 'katalin.horvath' }, GABOR));
      expect(removed).toMatchObject({ reassigned: [], reassignedTo: null, user: { active: false } });
      expect((await core.deps.store.users.ofAuthority('hu-bfkh')).map((u) => u.id)).toEqual(['gabor.toth']);
      expectError(await removeUser(core.deps, { userId: 'katalin.horvath' }, GABOR), 'USER.NOT_FOUND');
    });
  });

  describe('invitation codes', () => {
    it('registers the colleague on first use, bound to their identity, and tells the inviter', async () => {
      const issued = must(await inviteUser(core.deps, { authorityId: 'hu-enkk', name: 'Kovács Éva' }, ANNA));
      expect(issued.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      expect(issued.expiresAt).toBe('2026-12-02T10:00:00.000Z');
      const stored = await dbOf(core)('invitations').select();
      expect(JSON.stringify(stored)).not.toContain(issued.code.replace(/-/g, ''));
      expect(stored[0].code_hash).toBe(hashInvitationCode(issued.code));

      const identity = { channel: 'slack' as const, externalId: 'T0DEMOHU:U0EVA' };
      // Typed by hand: lower case and without dashes still works.
      const typed = issued.code.toLowerCase().replace(/-/g, ' ');
      const redeemed = must(await redeemInvitation(core.deps, { code: typed, identity, locale: 'hu-HU' }));
      expect(redeemed.user).toMatchObject({ id: 'kovacs.eva', authorityId: 'hu-enkk', language: 'hu', roles: ['handler'], areas: [PQ], active: true });
      expect((await core.deps.store.users.byIdentity(identity))!.id).toBe('kovacs.eva');
      const note = (await core.deps.store.outbox.list()).find((n) => n.kind === 'admin.invitation_redeemed')!;
      expect(note).toMatchObject({ recipientId: 'anna.kovacs', params: { user: 'kovacs.eva' } });

      const before = await snapshot();
      const again = await redeemInvitation(core.deps, { code: issued.code, identity: { channel: 'web', externalId: 'someone.else' } });
      expectError(again, 'INVITE.USED');
      expect(await snapshot()).toBe(before);
    });

    it('expires after the validity period, measured on the injected clock', async () => {
      const week = must(await inviteUser(core.deps, { authorityId: 'hu-enkk', name: 'Late Comer' }, ANNA));
      const shortOne = must(await inviteUser(core.deps, { authorityId: 'hu-enkk', name: 'Early Bird', validDays: 1 }, ANNA));
      clock.advanceDays(6);
      expectError(await redeemInvitation(core.deps, { code: shortOne.code, identity: { channel: 'web', externalId: 'early.bird' } }), 'INVITE.EXPIRED');
      clock.advanceDays(1);
      expectError(await redeemInvitation(core.deps, { code: week.code, identity: { channel: 'web', externalId: 'late.comer' } }), 'INVITE.EXPIRED');
      expect(await core.deps.store.users.get('late.comer')).toBeNull();
    });

    it('cannot bind an identity that already belongs to someone, and the code stays usable', async () => {
      const issued = must(await inviteUser(core.deps, { authorityId: 'hu-enkk', name: 'Anna Kovacs' }, ANNA));
      const before = await snapshot();
      const taken = await redeemInvitation(core.deps, { code: issued.code, identity: { channel: 'slack', externalId: 'T0DEMOHU:U0ANNA' } });
      expectError(taken, 'USER.IDENTITY_TAKEN');
      expect(await snapshot()).toBe(before);
      // The same name as an existing user gets a free id of its own.
      const ok = must(await redeemInvitation(core.deps, { code: issued.code, identity: { channel: 'teams', externalId: 'a1b2:c3d4' } }));
      expect(ok.user.id).toBe('anna.kovacs.2');
    });

    it('refuses unknown codes and invalid identities', async () => {
      expectError(await redeemInvitation(core.deps, { code: 'NOPE-NOPE-NOPE', identity: { channel: 'web', externalId: 'x' } }), 'INVITE.NOT_FOUND');
      expectError(await redeemInvitation(core.deps, { code: 'NOPE', identity: { channel: 'slack', externalId: 'no colon' } }), 'USER.INVALID_IDENTITY');
      for (const code of ['INVITE.NOT_FOUND', 'INVITE.EXPIRED', 'INVITE.USED', 'USER.IDENTITY_TAKEN'] as const) {
        for (const lang of ['en', 'hu', 'de', 'fr']) expect(core.i18n.has(lang, errorKey(code)), `${lang}: ${code}`).toBe(true);
      }
    });
  });
});

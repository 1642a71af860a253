import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminActor } from '../../src/app/admin/principal.ts';
import { addUser } from '../../src/app/people/register-user.ts';
import { addAuthority } from '../../src/app/people/register-authority.ts';
import { addRegister } from '../../src/app/registers/add-register.ts';
import { listRegisters, searchRegisters } from '../../src/app/registers/search-registers.ts';
import { suggestRegisters } from '../../src/app/registers/suggest-registers.ts';
import { COUNTRIES } from '../../src/domain/authority.ts';
import { isValidRegisterUrl } from '../../src/domain/register.ts';
import type { Result } from '../../src/domain/result.ts';
import { errorKey } from '../../src/i18n/error-messages.ts';
import { loadSeedRegisters } from '../../src/store/registers-seed.ts';
import type { Core } from '../../src/wiring.ts';
import { testCore } from '../support/core.ts';
import { closeDatabases, testEngines } from '../support/databases.ts';

const PQ = 'professional-qualifications';
const SVC = 'services';
const SYSTEM = { id: 'test', origin: 'system' as const };
const as = (id: string): AdminActor => ({ id, origin: 'slack' });

let core: Core;

const must = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}`);
  return r.value;
};

// Every test runs on each engine: sqlite, and PostgreSQL when a server is reachable (tests/support/databases.ts).
const engines = await testEngines();
afterAll(closeDatabases);

describe.each(engines)('registers on %s', (engine) => {
  beforeAll(async () => {
    core = await testCore(undefined, engine);
    must(await addAuthority(core.deps, { id: 'hu-kamara', name: 'Kamara', country: 'HU', areas: [PQ, SVC] }, SYSTEM));
    must(await addAuthority(core.deps, { id: 'hu-other', name: 'Másik', country: 'HU', areas: [SVC] }, SYSTEM));
    must(await addUser(core.deps, { id: 'admin.hu', authorityId: 'hu-kamara', name: 'Admin HU', language: 'hu', roles: ['handler', 'local_admin'], areas: [PQ] }, SYSTEM));
    must(await addUser(core.deps, { id: 'handler.hu', authorityId: 'hu-kamara', name: 'Handler HU', roles: ['handler'], areas: [PQ] }, SYSTEM));
    must(await addUser(core.deps, { id: 'admin.other', authorityId: 'hu-other', name: 'Admin Other', roles: ['local_admin'], areas: [] }, SYSTEM));
  });

  afterAll(async () => {
    await core.close();
  });

  describe('the shipped directory', () => {
    const seeds = loadSeedRegisters();

    it('covers at least six countries plus EU-wide registers, in English and the local language', () => {
      const countries = new Set(seeds.map((e) => e.country));
      expect([...countries].filter((c) => (COUNTRIES as readonly string[]).includes(c)).length).toBeGreaterThanOrEqual(6);
      expect(countries.has('EU')).toBe(true);
      for (const e of seeds) {
        expect(isValidRegisterUrl(e.url), e.id).toBe(true);
        expect(e.url.startsWith('https://'), e.id).toBe(true);
        expect(Object.keys(e.name).length, `${e.id} names`).toBeGreaterThanOrEqual(2);
        expect(Object.keys(e.description).sort(), `${e.id} descriptions`).toEqual(Object.keys(e.name).sort());
        for (const area of e.areas) expect(core.deps.areas.has(area), `${e.id}: ${area}`).toBe(true);
      }
    });

    it('lists by country and area, exactly', async () => {
      const hu = await listRegisters(core.deps, { country: 'hu' });
      expect(hu.map((e) => e.id)).toEqual(['hu-company-register', 'hu-health-professionals']);
      const pq = await listRegisters(core.deps, { area: PQ });
      expect(pq.length).toBeGreaterThan(5);
      expect(pq.every((e) => e.areas.includes(PQ))).toBe(true);
    });
  });

  describe('registers <words>', () => {
    it('matches words in any language, ignoring accents and case', async () => {
      const ids = async (text: string, lang = 'en') => (await searchRegisters(core.deps, { text, lang })).map((h) => h.entry.id);
      expect(await ids('gyogyszeresz')).toEqual(['hu-health-professionals']);
      expect(await ids('ÉGÉSZSÉGÜGYI szakemberek')).toEqual(['hu-health-professionals']);
      expect(await ids('Rechtsanwälte', 'de')).toEqual(['de-anwaltsverzeichnis']);
      expect(await ids('rechtsanwalt')).toEqual(['de-anwaltsverzeichnis']);
      expect(await ids('Krankenpflege')).toEqual(['at-gesundheitsberuferegister']);
    });

    it('narrows to a country typed as its code, and ignores words that match nothing', async () => {
      const hits = await searchRegisters(core.deps, { text: 'the company register DE', lang: 'de' });
      expect(hits.map((h) => h.entry.id).sort()).toEqual(['de-handelsregister', 'de-unternehmensregister']);
      // In the user's language when the entry has it.
      expect(hits.find((h) => h.entry.id === 'de-handelsregister')!.name).toMatch(/^Handelsregister/);
    });

    it('returns nothing rather than everything for words nobody knows', async () => {
      expect(await searchRegisters(core.deps, { text: 'xylophone quartz' })).toEqual([]);
    });
  });

  describe('suggestions before a request is written', () => {
    it("offers the target country's registers for the area first, then EU-wide ones", async () => {
      const hits = await suggestRegisters(core.deps, { country: 'HU', area: PQ, lang: 'hu' });
      expect(hits.map((h) => h.entry.id)).toEqual(['hu-health-professionals', 'eu-regulated-professions']);
      expect(hits[0]!.name).toBe('Egészségügyi szakemberek nyilvántartása – nyilvános kereső');
    });

    it('suggests company registers for posting of workers in Poland', async () => {
      const ids = (await suggestRegisters(core.deps, { country: 'PL', area: 'posting-of-workers' })).map((h) => h.entry.id);
      expect(ids).toEqual(['pl-ceidg', 'pl-krs', 'eu-vies']);
    });

    it('suggests only EU-wide registers where the directory knows none of the country', async () => {
      const ids = (await suggestRegisters(core.deps, { country: 'SE', area: PQ })).map((h) => h.entry.id);
      expect(ids).toEqual(['eu-regulated-professions']);
    });
  });

  describe('registers kept by authorities', () => {
    const entry = { areas: [PQ], name: 'Kamarai névjegyzék', description: 'A kamara tagjainak névjegyzéke.', url: 'https://kamara.example.hu/nevjegyzek' };

    it('lets a local admin add one for their own authority, searchable and suggested at once', async () => {
      const { entry: added, created } = must(await addRegister(core.deps, entry, as('admin.hu')));
      expect(created).toBe(true);
      expect(added).toMatchObject({ id: 'hu-kamarai-nevjegyzek', country: 'HU', ownerAuthorityId: 'hu-kamara', name: { hu: 'Kamarai névjegyzék' } });
      expect((await searchRegisters(core.deps, { text: 'nevjegyzek' })).map((h) => h.entry.id)).toEqual(['hu-kamarai-nevjegyzek']);
      expect((await suggestRegisters(core.deps, { country: 'HU', area: PQ })).map((h) => h.entry.id)).toContain('hu-kamarai-nevjegyzek');
      // Adding an English name later keeps the Hungarian one.
      const updated = must(await addRegister(core.deps, { ...entry, id: added.id, name: 'Chamber register', lang: 'en' }, as('admin.hu')));
      expect(updated.created).toBe(false);
      expect(updated.entry.name).toEqual({ hu: 'Kamarai névjegyzék', en: 'Chamber register' });
    });

    it.each([
      ['a handler', as('handler.hu'), {}, 'ADMIN.FORBIDDEN'],
      ["another authority's admin changing it", as('admin.other'), { id: 'hu-kamarai-nevjegyzek' }, 'ADMIN.FORBIDDEN'],
      ['a local admin changing a shipped entry', as('admin.hu'), { id: 'hu-company-register' }, 'ADMIN.FORBIDDEN'],
      ['a local admin adding a register of another country', as('admin.hu'), { country: 'DE' }, 'ADMIN.FORBIDDEN'],
      ['a local admin adding for another authority', as('admin.hu'), { ownerAuthorityId: 'hu-other' }, 'ADMIN.FORBIDDEN'],
      ['a bad web address', as('admin.hu'), { id: 'hu-bad', url: 'javascript:alert(1)' }, 'REGISTER.INVALID_URL'],
      ['an address without a host', as('admin.hu'), { id: 'hu-bad', url: 'https://localhost' }, 'REGISTER.INVALID_URL'],
      ['no area', as('admin.hu'), { id: 'hu-bad', areas: [] }, 'REGISTER.AREA_REQUIRED'],
      ['no name', as('admin.hu'), { name: '  ' }, 'REGISTER.NAME_REQUIRED'],
    ] as const)('refuses %s', async (_what, actor, change, code) => {
      const before = JSON.stringify(await listRegisters(core.deps));
      const r = await addRegister(core.deps, { ...entry, ...change, areas: 'areas' in change ? [...change.areas] : entry.areas }, actor);
      expect(r.ok ? 'ok' : r.error.code).toBe(code);
      expect(JSON.stringify(await listRegisters(core.deps))).toBe(before);
      for (const lang of ['en', 'hu', 'de', 'fr']) expect(core.i18n.has(lang, errorKey(code)), `${lang}: ${code}`).toBe(true);
    });
  });
});

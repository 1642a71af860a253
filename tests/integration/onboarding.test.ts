import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import { confirmUsersReviewed, noteInboxOpened, onboardingChecklist, partnerAuthorities } from '../../src/app/onboarding/checklist.ts';
import { startTraining } from '../../src/app/training/start-training.ts';
import { trainingDeps } from '../../src/helpdesk-wiring.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import type { Core } from '../../src/wiring.ts';
import { settableClock, testCore } from '../support/core.ts';

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}`);
  return r.value;
};

describe('onboarding checklist', () => {
  const clock = settableClock(new Date('2026-11-25T09:00:00Z'));
  let core: Core;

  beforeAll(async () => {
    core = await testCore(clock);
    await loadDemo(core.deps, loadDemoData());
  });
  afterAll(async () => {
    await core?.close();
  });

  const item = async (userId: string, id: string) => must(await onboardingChecklist(core.deps, userId)).items.find((i) => i.id === id);

  it('is ticked from the data, each item naming the chat action that completes it', async () => {
    const list = must(await onboardingChecklist(core.deps, 'peter.szabo'));
    expect(list.items.map((i) => [i.id, i.action, i.done])).toEqual([
      ['review-tasks', 'inbox', false],
      ['foreign-authorities', 'partners', false],
      ['backup-colleague', 'admin.users', true],
      ['authority-data', 'admin.authority', true],
      ['training', 'training', false],
      ['users-removed', 'admin.users', false],
    ]);
    expect(list).toMatchObject({ done: 2, total: 6 });
    expect(list.items[3]).toMatchObject({ doneAt: '2026-08-03T09:30:00Z', dueAgainAt: expect.stringMatching(/^2027-08-03T09:30/) });
  });

  it('ticks the first item once the user has opened the inbox', async () => {
    await noteInboxOpened(core.deps, 'peter.szabo');
    expect(await item('peter.szabo', 'review-tasks')).toMatchObject({ done: true, doneAt: '2026-11-25T09:00:00.000Z' });
    clock.set(new Date('2026-11-26T09:00:00Z'));
    await noteInboxOpened(core.deps, 'peter.szabo');
    expect((await item('peter.szabo', 'review-tasks'))?.doneAt).toBe('2026-11-25T09:00:00.000Z');
  });

  it('lists the foreign partner authorities, those worked with first, never the training partner', async () => {
    must(await startTraining(trainingDeps(core), { userId: 'anna.kovacs', origin: 'web' }));
    const [pq] = must(await partnerAuthorities(core.deps, 'peter.szabo'));
    expect(pq!.area).toBe('professional-qualifications');
    const ids = pq!.authorities.map((a) => a.authority.id);
    expect(ids).toEqual(expect.arrayContaining(['de-lageso', 'de-regob', 'fr-oni-paris', 'pl-nipip']));
    expect(ids.filter((id) => id.startsWith('hu-') || id.startsWith('training-'))).toEqual([]);
    expect(pq!.authorities.filter((a) => a.exchanged > 0).map((a) => a.authority.id).sort()).toEqual(['de-lageso', 'fr-oni-paris']);
    expect(pq!.authorities[0]!.exchanged).toBeGreaterThan(0);
    expect((await item('peter.szabo', 'foreign-authorities'))?.done).toBe(true);
  });

  it('names the areas without a backup colleague, and leaves the item out for people who handle no area', async () => {
    expect(await item('markus.huber', 'backup-colleague')).toMatchObject({ done: false, missingAreas: ['services'] });
    expect(await item('gabor.toth', 'backup-colleague')).toMatchObject({ done: true, missingAreas: [] });
    expect(must(await onboardingChecklist(core.deps, 'eszter.nagy')).items.map((i) => i.id)).not.toContain('backup-colleague');
  });

  it("takes a local admin's confirmation that users who left were removed, valid for twelve months", async () => {
    expect(await confirmUsersReviewed(core.deps, { actorId: 'peter.szabo', origin: 'web' })).toMatchObject({ ok: false, error: { code: 'ADMIN.FORBIDDEN' } });
    must(await confirmUsersReviewed(core.deps, { actorId: 'anna.kovacs', origin: 'web' }));
    expect(await item('peter.szabo', 'users-removed')).toMatchObject({
      done: true, doneAt: '2026-11-26T09:00:00.000Z', dueAgainAt: expect.stringMatching(/^2027-11-26T09:00/),
    });
    clock.set(new Date('2027-12-01T09:00:00Z'));
    expect((await item('peter.szabo', 'users-removed'))?.done).toBe(false);
    expect((await item('peter.szabo', 'authority-data'))?.done).toBe(false);
  });
});

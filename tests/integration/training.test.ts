import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import { onboardingChecklist } from '../../src/app/onboarding/checklist.ts';
import { actOnRequest } from '../../src/app/requests/act-on-request.ts';
import { inbox } from '../../src/app/requests/inbox.ts';
import { scanReminders } from '../../src/app/reminders/scan-reminders.ts';
import { advanceTraining } from '../../src/app/training/advance-training.ts';
import { resetTraining } from '../../src/app/training/reset-training.ts';
import { createTrainingDraft, startTraining, stopTraining, trainingInbox, trainingStatus } from '../../src/app/training/start-training.ts';
import type { TrainingDeps } from '../../src/app/training/training-script.ts';
import { trainingDeps } from '../../src/helpdesk-wiring.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import type { Core } from '../../src/wiring.ts';
import { runImi } from '../support/cli.ts';
import { settableClock, testCore } from '../support/core.ts';

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}`);
  return r.value;
};

const START = new Date('2026-11-25T09:00:00Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);
const PARTNER = 'training-partner-ie';
const PARTNER_OFFICIAL = 'training-partner-ie.bot';
const isTraining = (id: string | null | undefined) => typeof id === 'string' && id.startsWith('TRN-');

describe('training mode', () => {
  const clock = settableClock(START);
  let core: Core;
  let deps: TrainingDeps;
  let outboxBefore: number;
  const ids = { incoming: '', proposing: '', direct: '' };

  beforeAll(async () => {
    core = await testCore(clock);
    await loadDemo(core.deps, loadDemoData());
    deps = trainingDeps(core);
    outboxBefore = (await core.deps.store.outbox.list()).length;
  });
  afterAll(async () => {
    await core?.close();
  });

  const act = (requestId: string, action: Parameters<typeof actOnRequest>[1]['action']) =>
    actOnRequest(deps, { actorId: 'anna.kovacs', requestId, action, origin: 'web' });

  const sendDraft = async (area = 'professional-qualifications') => {
    const draft = must(await createTrainingDraft(deps, { actorId: 'anna.kovacs', area, origin: 'web' }));
    expect(draft).toMatchObject({ training: true, status: 'draft', responderAuthorityId: PARTNER });
    must(await act(draft.id, {
      type: 'update_draft',
      changes: { questions: ['pq-legally-established', 'pq-diploma-authentic'], subjectName: 'Gyakorló Géza', requestedDeadline: '2026-12-15' },
    }));
    must(await act(draft.id, { type: 'send' }));
    return draft.id;
  };

  it('needs the handler role in an area', async () => {
    expect(await startTraining(deps, { userId: 'eszter.nagy', origin: 'web' })).toMatchObject({ ok: false, error: { code: 'TRAINING.NO_AREA' } });
  });

  it('takes a new user through the whole lifecycle with a simulated partner, driven by the clock', async () => {
    const started = must(await startTraining(deps, { userId: 'anna.kovacs', origin: 'web' }));
    expect(started.on).toBe(true);
    expect(started.partner).toMatchObject({ id: PARTNER, country: 'IE' });
    const incoming = started.incoming!;
    ids.incoming = incoming.id;
    expect(incoming).toMatchObject({
      training: true, status: 'sent', requesterAuthorityId: PARTNER, responderAuthorityId: 'hu-enkk', freeTextLang: 'hu',
    });
    expect(incoming.id).toMatch(/^TRN-2026-\d{6}$/);
    // Starting again does not pile up practice requests.
    expect(must(await startTraining(deps, { userId: 'anna.kovacs', origin: 'web' })).incoming).toBeNull();

    // The responder's side: accept and answer the partner's request.
    must(await act(incoming.id, { type: 'accept' }));
    must(await act(incoming.id, { type: 'answer', items: Object.fromEntries(incoming.questions.map((q) => [q, 'Igen.'])), lang: 'hu' }));

    // The requester's side: two requests, the second of which gets a new deadline proposed first.
    const a = await sendDraft();
    const b = await sendDraft();
    [ids.proposing, ids.direct] = Number(a.slice(-6)) % 2 === 0 ? [a, b] : [b, a];

    clock.set(minutes(0.5));
    expect(await advanceTraining(deps)).toEqual([]);

    clock.set(minutes(1));
    const first = await advanceTraining(deps);
    expect(first.map((s) => [s.requestId, s.step]).sort()).toEqual(
      [[ids.incoming, 'request_info'], [ids.direct, 'accept'], [ids.proposing, 'propose_deadline']].sort(),
    );
    expect(first.every((s) => s.userId === 'anna.kovacs')).toBe(true);
    const proposed = (await core.deps.store.requests.get(ids.proposing))!;
    expect(proposed.proposedDeadline).toMatchObject({ date: '2026-12-22', by: PARTNER_OFFICIAL });
    expect(proposed.proposedDeadline!.reason).toMatch(/GYAKORLÁS/);
    expect((await core.deps.store.requests.get(ids.incoming))!.status).toBe('further_info_requested');
    expect(await advanceTraining(deps)).toEqual([]);

    clock.set(minutes(2));
    expect((await advanceTraining(deps)).map((s) => [s.requestId, s.step])).toEqual([[ids.proposing, 'accept']]);
    expect((await core.deps.store.requests.get(ids.proposing))!.agreedDeadline).toBe('2026-12-22');

    must(await act(ids.incoming, { type: 'answer', items: { free: '2019 óta.' }, lang: 'hu' }));

    // Answers come three minutes after acceptance, the partner closes a minute after the trainee's last answer.
    clock.set(minutes(5));
    expect((await advanceTraining(deps)).map((s) => [s.requestId, s.step]).sort()).toEqual(
      [[ids.incoming, 'close'], [ids.direct, 'answer'], [ids.proposing, 'answer']].sort(),
    );
    const answered = (await core.deps.store.requests.get(ids.direct))!;
    expect(answered.status).toBe('answered');
    expect(answered.answers[0]).toMatchObject({ by: PARTNER_OFFICIAL, lang: 'hu' });
    expect(Object.keys(answered.answers[0]!.items).sort()).toEqual(['pq-diploma-authentic', 'pq-legally-established']);

    must(await act(ids.direct, { type: 'close' }));
    expect((await core.deps.store.requests.get(ids.incoming))!.status).toBe('closed');

    const history = await core.deps.store.history.of(ids.proposing);
    expect(history.map((e) => [e.type, e.actorId])).toEqual([
      ['created', 'anna.kovacs'],
      ['draft_updated', 'anna.kovacs'],
      ['draft_updated', 'anna.kovacs'],
      ['sent', 'anna.kovacs'],
      ['deadline_proposed', PARTNER_OFFICIAL],
      ['accepted', PARTNER_OFFICIAL],
      ['answered', PARTNER_OFFICIAL],
    ]);
    expect(history.slice(4).map((e) => e.at)).toEqual([minutes(1), minutes(2), minutes(5)].map((d) => d.toISOString()));

    const status = must(await trainingStatus(deps, 'anna.kovacs'));
    expect(status).toMatchObject({ on: true, completed: true, partner: { id: PARTNER } });
    const checklist = must(await onboardingChecklist(core.deps, 'anna.kovacs'));
    expect(checklist.items.find((i) => i.id === 'training')).toMatchObject({ done: true, action: 'training' });
    expect(must(await onboardingChecklist(core.deps, 'peter.szabo')).items.find((i) => i.id === 'training')?.done).toBe(false);
  });

  it('catches up after a pause: each step dated when it was due', async () => {
    clock.set(minutes(10));
    const id = await sendDraft();
    clock.set(minutes(30));
    const steps = (await advanceTraining(deps)).filter((s) => s.requestId === id);
    const expected = Number(id.slice(-6)) % 2 === 0 ? ['propose_deadline', 'accept', 'answer'] : ['accept', 'answer'];
    expect(steps.map((s) => s.step)).toEqual(expected);
    expect(steps.at(-1)!.at).toBe(minutes(10 + expected.length - 1 + 3).toISOString());
    expect(await advanceTraining(deps)).toEqual([]);
  });

  it('keeps every training request out of live inboxes, the reminder scan, the outbox and the requests list', async () => {
    const trainingIds = must(await trainingStatus(deps, 'anna.kovacs')).requests.map((r) => r.id);
    expect(trainingIds.length).toBeGreaterThanOrEqual(4);

    for (const user of (await core.deps.store.users.list()).filter((u) => u.active && u.roles.includes('handler'))) {
      const live = must(await inbox(core.deps, user.id));
      const shown = [...live.needsAction, ...live.waiting, ...live.drafts].map((i) => i.request.id);
      expect(shown.filter(isTraining), user.id).toEqual([]);
    }
    const sandbox = must(await trainingInbox(deps, 'anna.kovacs'));
    expect([...sandbox.needsAction, ...sandbox.waiting, ...sandbox.drafts].length).toBeGreaterThan(0);
    // One user's sandbox is not a colleague's, though both work for the same authority.
    const colleague = must(await trainingInbox(deps, 'peter.szabo'));
    expect([...colleague.needsAction, ...colleague.waiting, ...colleague.drafts]).toEqual([]);

    const outbox = await core.deps.store.outbox.list();
    expect(outbox.length).toBe(outboxBefore);
    expect(outbox.filter((n) => isTraining(n.requestId) || n.recipientId === PARTNER_OFFICIAL)).toEqual([]);

    const candidates = await core.deps.store.reminders.candidates({
      sentBefore: '2099-01-01T00:00:00.000Z', deadlineOnOrBefore: '2099-01-01', proposedBefore: '2099-01-01T00:00:00.000Z',
    });
    expect(candidates.length).toBeGreaterThan(0);
    expect(candidates.filter(isTraining)).toEqual([]);
    clock.set(new Date('2027-02-01T09:00:00Z'));
    const scan = await scanReminders(core.deps);
    expect(scan.queued.length).toBeGreaterThan(0);
    expect(scan.queued.filter((q) => isTraining(q.requestId) || q.authorityId === PARTNER || q.recipientId === PARTNER_OFFICIAL)).toEqual([]);

    expect((await core.deps.store.authorities.list()).map((a) => a.id)).not.toContain(PARTNER);
    expect(await core.deps.store.authorities.get(PARTNER)).not.toBeNull();

    const cli = await runImi(['requests', 'list', '--json'], { DATABASE_URL: (core as Core & { databaseUrl: string }).databaseUrl });
    expect(cli.code, cli.stderr).toBe(0);
    const listed = JSON.parse(cli.stdout) as { id: string; requester: string; responder: string | null }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((r) => isTraining(r.id) || r.requester === PARTNER || r.responder === PARTNER)).toEqual([]);
  });

  it('resets: deletes the user\'s training requests and their history, nothing live', async () => {
    const live = (await core.deps.store.requests.list({ training: false })).map((r) => r.id);
    const mine = must(await trainingStatus(deps, 'anna.kovacs')).requests.map((r) => r.id);
    const reset = must(await resetTraining(deps, { userId: 'anna.kovacs', origin: 'web' }));
    expect(reset.deleted).toBe(mine.length);
    for (const id of mine) {
      expect(await core.deps.store.requests.get(id)).toBeNull();
      expect(await core.deps.store.history.of(id)).toEqual([]);
    }
    expect((await core.deps.store.requests.list({ training: false })).map((r) => r.id)).toEqual(live);
    expect(must(await trainingStatus(deps, 'anna.kovacs')).requests).toEqual([]);

    must(await stopTraining(deps, 'anna.kovacs'));
    expect(must(await trainingStatus(deps, 'anna.kovacs')).on).toBe(false);
    const again = must(await startTraining(deps, { userId: 'anna.kovacs', origin: 'web' }));
    expect(again.incoming?.status).toBe('sent');
  });
});

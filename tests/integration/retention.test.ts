import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/app/deps.ts';
import type { MachineTranslator } from '../../src/app/ports/machine-translator.ts';
import { actOnRequest, type ActionInput } from '../../src/app/requests/act-on-request.ts';
import { createDraft } from '../../src/app/requests/create-draft.ts';
import { inbox } from '../../src/app/requests/inbox.ts';
import { viewRequest } from '../../src/app/requests/view-request.ts';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import { runRetention } from '../../src/app/retention/run-retention.ts';
import { eraseSubject, exportSubject } from '../../src/app/retention/data-subject.ts';
import { translationHashesOf } from '../../src/app/retention/erase-personal-data.ts';
import { translateForReader } from '../../src/app/translation/translate-for-reader.ts';
import { createConversation } from '../../src/conversation/engine.ts';
import { personalTexts } from '../../src/domain/personal-data.ts';
import type { Request } from '../../src/domain/request.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import { openStore } from '../../src/store/knex-store.ts';
import { runImi } from '../support/cli.ts';
import { settableClock, testCore } from '../support/core.ts';

/*
 * Retention under Regulation (EU) 1024/2012 Art. 14, walked through with a settable clock:
 * personal data are blocked six months after closure and deleted three years after it. The
 * CLI runs as a separate process against the same database file.
 */

// Several chat turns by the same users in a row: the per-user turn rate (IMI_TURN_RATE) is not what is tested here.
process.env.IMI_TURN_RATE = 'off';

const START = new Date('2026-01-12T09:00:00.000Z');
const SUBJECT = 'Kovács Anna Mária';
const FREE_TEXT = 'Bitte bestätigen Sie, dass Frau Kovács Anna Mária (geb. 1984, Győr) als Ärztin zugelassen ist.';
const ANSWER = 'Dr. Kovács Anna Mária szerepel a nyilvántartásban, 78213 nyilvántartási számon.';

/** A local stand-in for the machine translation service, so the cache fills as in production. */
const fakeTranslator: MachineTranslator = { provider: 'fake-mt', translate: async (text, _from, to) => `[${to}] ${text}` };

const plus = (iso: string, d: { months?: number; years?: number; seconds?: number }) =>
  DateTime.fromISO(iso, { zone: 'utc' }).plus(d).toJSDate();

describe('retention: blocked six months and deleted three years after closure', () => {
  const clock = settableClock(START);
  let core: Awaited<ReturnType<typeof testCore>>;
  let raw: ReturnType<typeof openStore>;
  let deps: AppDeps;
  let closed: Request; // jonas.weber (DE) asks anna.kovacs's authority (HU); closed
  const env = () => ({ DATABASE_URL: core.databaseUrl });

  async function act(actorId: string, requestId: string, action: ActionInput) {
    const done = await actOnRequest(deps, { actorId, requestId, action, origin: 'web' });
    if (!done.ok) throw new Error(`${action.type}: ${done.error.code}`);
    return done.value.request;
  }

  /** A request from jonas.weber to hu-enkk about `subject`, taken up to `until`. */
  async function exchange(subject: string, until: 'sent' | 'closed' | 'withdrawn'): Promise<Request> {
    const draft = await createDraft(deps, { actorId: 'jonas.weber', area: 'professional-qualifications', origin: 'web' });
    if (!draft.ok) throw new Error(draft.error.code);
    const id = draft.value.id;
    await act('jonas.weber', id, {
      type: 'update_draft',
      changes: {
        responderAuthorityId: 'hu-enkk',
        questions: ['pq-legally-established'],
        freeText: `${FREE_TEXT} (${subject})`,
        freeTextLang: 'de',
        subjectName: subject,
        requestedDeadline: DateTime.fromJSDate(clock.now()).plus({ days: 20 }).toISODate()!,
      },
    });
    let r = await act('jonas.weber', id, { type: 'send' });
    if (until === 'withdrawn') return act('jonas.weber', id, { type: 'withdraw' });
    if (until === 'sent') return r;
    await act('anna.kovacs', id, { type: 'accept' });
    await act('anna.kovacs', id, { type: 'answer', items: { 'pq-legally-established': ANSWER }, lang: 'hu' });
    r = await act('jonas.weber', id, { type: 'close' });
    return r;
  }

  const chat = () => createConversation({ app: deps, i18n: core.i18n });
  const say = async (login: string, text: string) => JSON.stringify((await chat().handle({ channel: 'web', externalId: login, text })).blocks);
  const translationRows = async (r: Request) => (await raw.db('translations').whereIn('hash', translationHashesOf(r))).length;
  const auditOf = async (target: string) => raw.db('audit_log').where({ target }).orderBy('seq');

  beforeAll(async () => {
    core = await testCore(clock);
    raw = openStore(core.databaseUrl);
    deps = { ...core.deps, translator: fakeTranslator };
    await loadDemo(deps, loadDemoData());
    closed = await exchange(SUBJECT, 'closed');
    // The readers' chats translated the free text and the answer: the cache now holds copies of them.
    await translateForReader(deps, closed.freeText, 'de', 'hu');
    await translateForReader(deps, ANSWER, 'hu', 'de');
  });
  afterAll(async () => {
    await raw?.close();
    await core?.close();
  });

  it('keeps a closed request visible to its parties until six months after closure', async () => {
    expect(closed.closedAt).not.toBeNull();
    expect(await translationRows(closed)).toBe(2);
    clock.set(plus(closed.closedAt!, { months: 6, seconds: -1 }));
    const view = await viewRequest(deps, 'jonas.weber', closed.id);
    expect(view.ok && view.value.request.subjectName).toBe(SUBJECT);
    expect(await say('jonas.weber', closed.id)).toContain(SUBJECT);
    const report = await runRetention(deps);
    expect(report.blocked).not.toContain(closed.id);
    expect(report.deleted).toEqual([]);
  });

  it('blocks it at six months: the parties are told it is blocked, everyone else that it does not exist', async () => {
    clock.set(plus(closed.closedAt!, { months: 6 }));
    // Hidden at once, even before the daily run records the block.
    for (const user of ['jonas.weber', 'anna.kovacs', 'sabine.fischer']) {
      const view = await viewRequest(deps, user, closed.id);
      expect(view.ok || view.error).toEqual({ code: 'REQUEST.BLOCKED', params: { id: closed.id } });
    }
    // The coordinator of the responding authority (hu-nimic) is blocked too; a stranger learns nothing.
    const coordinator = await viewRequest(deps, 'eszter.nagy', closed.id, { coordinators: true });
    expect(coordinator.ok || coordinator.error.code).toBe('REQUEST.BLOCKED');
    const stranger = await viewRequest(deps, 'claire.martin', closed.id, { coordinators: true });
    expect(stranger.ok || stranger.error.code).toBe('REQUEST.NOT_FOUND');

    const report = await runRetention(deps);
    expect(report.blocked).toContain(closed.id);
    expect(report.deleted).toEqual([]);
    const audit = await auditOf(closed.id);
    expect(audit.filter((a) => a.action === 'retention.block')).toMatchObject([{ actor_id: 'system', channel: 'system' }]);
    // Idempotent: a second run finds nothing new to do.
    expect(await runRetention(deps)).toMatchObject({ blocked: [], deleted: [] });
    expect((await auditOf(closed.id)).length).toBe(audit.length);
    // Blocked, not deleted: the data are kept, out of everyone's sight.
    expect((await core.deps.store.requests.get(closed.id))!.subjectName).toBe(SUBJECT);
  });

  it('shows the blocked notice in the chat, in the reader’s language, with no personal data', async () => {
    const jonas = await chat().handle({ channel: 'web', externalId: 'jonas.weber', text: closed.id });
    const anna = await chat().handle({ channel: 'web', externalId: 'anna.kovacs', text: closed.id });
    expect(jonas.lang).toBe('de');
    expect(anna.lang).toBe('hu');
    for (const reply of [jonas, anna]) {
      expect(reply.blocks).toContainEqual({ kind: 'text', text: core.i18n.t(reply.lang, 'errors.request.blocked', { id: closed.id }), tone: 'danger' });
      expect(reply.blocks.some((b) => b.kind === 'card')).toBe(false);
      // (anna.kovacs is herself a Kovács Anna: the greeting may name her, never the subject.)
      for (const t of [SUBJECT, 'Győr', '78213']) expect(JSON.stringify(reply)).not.toContain(t);
    }
    for (const lang of ['en', 'hu', 'de', 'fr']) {
      expect(core.i18n.has(lang, 'errors.request.blocked')).toBe(true);
      expect(core.i18n.t(lang, 'errors.request.blocked', { id: 'X' })).not.toBe(core.i18n.t(lang, 'errors.request.notFound', { id: 'X' }));
    }
    const history = JSON.stringify((await chat().handle({ channel: 'web', externalId: 'jonas.weber', text: `history ${closed.id}` })).blocks);
    expect(history).toContain(core.i18n.t('de', 'errors.request.blocked', { id: closed.id }));
    const box = await inbox(deps, 'jonas.weber');
    expect(box.ok && [...box.value.needsAction, ...box.value.waiting, ...box.value.drafts].map((i) => i.request.id)).not.toContain(closed.id);
  });

  it('keeps `imi requests list --json` to metadata, blocked requests included', async () => {
    const listed = await runImi(['requests', 'list', '--json'], env());
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(rows.find((r) => r.id === closed.id)).toMatchObject({ status: 'closed', requester: 'de-lageso', responder: 'hu-enkk' });
    for (const t of personalTexts(closed)) expect(listed.stdout).not.toContain(t.text);
    expect(listed.stdout).not.toMatch(/Kov[aá]cs/);
  }, 180_000);

  it('does not delete before three years', async () => {
    clock.set(plus(closed.closedAt!, { years: 3, seconds: -1 }));
    // (Demo requests closed earlier may fall due here; this one may not.)
    expect((await runRetention(deps)).deleted).not.toContain(closed.id);
    expect((await core.deps.store.requests.get(closed.id))!.subjectName).toBe(SUBJECT);
    expect(await translationRows(closed)).toBe(2);
  });

  it('deletes the personal data at three years, with their cached translations, and keeps the trail', async () => {
    const historyBefore = await core.deps.store.history.of(closed.id);
    const before = (await core.deps.store.requests.get(closed.id))!;
    clock.set(plus(closed.closedAt!, { years: 3 }));
    const report = await runRetention(deps);
    expect(report.deleted).toEqual([closed.id]);
    expect(report.translationsPurged).toBe(2);
    const after = (await core.deps.store.requests.get(closed.id))!;
    expect(personalTexts(after)).toEqual([]);
    expect(JSON.stringify(after)).not.toMatch(/Kov[aá]cs|Győr|78213/);
    // Metadata stay: who asked whom, in which area, when, and how it ended.
    expect(after).toMatchObject({
      id: before.id, status: 'closed', area: before.area, requesterAuthorityId: 'de-lageso', responderAuthorityId: 'hu-enkk',
      questions: before.questions, sentAt: before.sentAt, closedAt: before.closedAt, requestedDeadline: before.requestedDeadline,
    });
    expect(await translationRows(before)).toBe(0);
    expect(await core.deps.store.history.of(closed.id)).toEqual(historyBefore);
    const deleted = (await auditOf(closed.id)).filter((a) => a.action === 'retention.delete');
    expect(deleted).toMatchObject([{ actor_id: 'system', channel: 'system' }]);
    expect(JSON.parse(deleted[0]!.details)).toMatchObject({ fields: 3, translations: 2 });
    expect(await runRetention(deps)).toMatchObject({ blocked: [], deleted: [], translationsPurged: 0 });
    // Still blocked for the parties, now with nothing left behind the notice.
    clock.set(plus(closed.closedAt!, { years: 3, months: 1 }));
    const view = await viewRequest(deps, 'jonas.weber', closed.id);
    expect(view.ok || view.error.code).toBe('REQUEST.BLOCKED');
    const audit = JSON.stringify(await raw.db('audit_log').select());
    expect(audit).not.toMatch(/Kov[aá]cs|Győr|78213/);
  });

  it('`imi retention run --now` blocks and deletes a withdrawn request the same way (withdrawal counts as closure)', async () => {
    clock.set(START);
    const withdrawn = await exchange('Schmidt Peter', 'withdrawn');
    expect(withdrawn.closedAt).not.toBeNull();
    const atSixMonths = plus(withdrawn.closedAt!, { months: 6 }).toISOString();
    const first = await runImi(['retention', 'run', '--now', atSixMonths, '--json'], env());
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ now: atSixMonths, blocked: [withdrawn.id], deleted: [] });
    const atThreeYears = plus(withdrawn.closedAt!, { years: 3 }).toISOString();
    const second = await runImi(['retention', 'run', '--now', atThreeYears, '--json'], env());
    expect(JSON.parse(second.stdout)).toMatchObject({ blocked: [], deleted: [withdrawn.id] });
    expect((await core.deps.store.requests.get(withdrawn.id))!.subjectName).toBe('');
    const bad = await runImi(['retention', 'run', '--now', 'next tuesday', '--json'], env());
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('--now');
  }, 180_000);
});

describe('data subjects: `imi subject export` and `imi subject erase` (Art. 19)', () => {
  const clock = settableClock(START);
  let core: Awaited<ReturnType<typeof testCore>>;
  let raw: ReturnType<typeof openStore>;
  let deps: AppDeps;
  let open: Request;
  const env = () => ({ DATABASE_URL: core.databaseUrl });

  beforeAll(async () => {
    core = await testCore(clock);
    raw = openStore(core.databaseUrl);
    deps = { ...core.deps, translator: fakeTranslator };
    await loadDemo(deps, loadDemoData());
    const draft = await createDraft(deps, { actorId: 'jonas.weber', area: 'professional-qualifications', origin: 'web' });
    if (!draft.ok) throw new Error(draft.error.code);
    const changes = {
      responderAuthorityId: 'hu-enkk', questions: [], freeText: 'Ist Herr Jürgen Müller-Lüdenscheidt eingetragen?', freeTextLang: 'de',
      subjectName: 'Jürgen Müller-Lüdenscheidt', requestedDeadline: '2026-02-20',
    };
    for (const action of [{ type: 'update_draft', changes }, { type: 'send' }] as ActionInput[]) {
      const done = await actOnRequest(deps, { actorId: 'jonas.weber', requestId: draft.value.id, action, origin: 'web' });
      if (!done.ok) throw new Error(done.error.code);
      open = done.value.request;
    }
    await translateForReader(deps, open.freeText, 'de', 'hu');
  });
  afterAll(async () => {
    await raw?.close();
    await core?.close();
  });

  it('exports every request about the person, whatever the accents, case and word order', async () => {
    const exported = await runImi(['subject', 'export', '--name', 'MULLER-LUDENSCHEIDT jurgen', '--json'], env());
    expect(exported.code, exported.stderr).toBe(0);
    const rows = JSON.parse(exported.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: open.id, status: 'sent', subjectName: 'Jürgen Müller-Lüdenscheidt', freeText: open.freeText,
      retention: { stage: 'active', blockedAt: null, personalDataDeletedAt: null },
    });
    expect(rows[0].history.map((e: { type: string }) => e.type)).toEqual(['created', 'draft_updated', 'sent']);
    // A part of the name is another person; an empty name is nobody, never "every request without a name".
    expect(await exportSubject(deps, 'Jürgen Müller')).toEqual([]);
    expect(await exportSubject(deps, ' - ')).toEqual([]);
  }, 180_000);

  it('erases that personal data and its cached translations, recording who did it but not the name', async () => {
    expect((await raw.db('translations').whereIn('hash', translationHashesOf(open))).length).toBe(1);
    const erased = await runImi(['subject', 'erase', '--name', 'jürgen müller-lüdenscheidt', '--by', 'dpo.officer', '--json'], env());
    expect(erased.code, erased.stderr).toBe(0);
    expect(JSON.parse(erased.stdout)).toEqual([{ id: open.id, status: 'sent', fields: 2, translations: 1 }]);
    const after = (await core.deps.store.requests.get(open.id))!;
    expect(personalTexts(after)).toEqual([]);
    expect(after.status).toBe('sent');
    expect((await raw.db('translations').whereIn('hash', translationHashesOf(open))).length).toBe(0);
    const audit = await raw.db('audit_log').where({ target: open.id, action: 'subject.erase' });
    expect(audit).toMatchObject([{ actor_id: 'dpo.officer', channel: 'cli' }]);
    expect(JSON.stringify(await raw.db('audit_log').select())).not.toMatch(/M[uü]ller|J[uü]rgen/i);
    // The parties still see the request, its texts gone and the erasure said.
    const view = await viewRequest(deps, 'anna.kovacs', open.id);
    expect(view.ok && view.value.erased).toBe(true);
    expect(JSON.stringify(view.ok && view.value.request)).not.toMatch(/M[uü]ller/);
    expect(await eraseSubject(deps, 'Jürgen Müller-Lüdenscheidt', { actorId: 'dpo.officer', origin: 'cli' })).toEqual([]);
  }, 180_000);
});

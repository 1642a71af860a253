import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askFaq, type HelpdeskDeps } from '../../src/app/helpdesk/ask-faq.ts';
import { faqReport, rateAnswer } from '../../src/app/helpdesk/feedback.ts';
import { answerTicket, handOverQuestion, listTickets, viewTicket } from '../../src/app/helpdesk/tickets.ts';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import type { Store } from '../../src/app/ports/repositories.ts';
import { runRetention } from '../../src/app/retention/run-retention.ts';
import { helpdeskAbout } from '../../src/app/retention/helpdesk-subject.ts';
import { mentions, nameKey } from '../../src/app/retention/names.ts';
import { helpdeskDeps } from '../../src/helpdesk-wiring.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import type { Core } from '../../src/wiring.ts';
import { runImi } from '../support/cli.ts';
import { settableClock, testCore } from '../support/core.ts';

/*
 * Helpdesk hand-over tickets and FAQ questions hold what officials wrote, so they follow the
 * retention rules of requests (Reg. 1024/2012 Art. 14: blocked six months after they ended,
 * deleted three years after) and the data subject's rights (Art. 19: `imi subject export` and
 * `imi subject erase`). The subject here is an official, Szabó Péter (peter.szabo), who asked the
 * helpdesk about a professional, Kiss Ilona Mária; a colleague's ticket names him.
 */

const START = new Date('2026-01-12T09:00:00.000Z');
const PROFESSIONAL = 'Kiss Ilona Mária';
const Q_PROFESSIONAL = `Hogyan ellenőrizhetem ${PROFESSIONAL} oklevelét a nyilvántartásban?`;
const A_PROFESSIONAL = `Kiss Ilona Mária adatait a 78213 számú bejegyzésben találja.`;
const Q_OPEN = 'Mikor kapok értesítést egy lejáró határidőről?';
const Q_NAMING_HIM = 'Szabó Péter kolléga szabadságra megy: hogyan állítom be a helyettesítését?';
const Q_OTHER = 'Hol találom a képzési környezetet?';

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}`);
  return r.value;
};
const plus = (iso: string, d: { months?: number; years?: number; seconds?: number }) => DateTime.fromISO(iso, { zone: 'utc' }).plus(d).toJSDate();
const dbOf = (c: Core): Knex => (c.deps.store as Store & { db: Knex }).db;

/** The helpdesk world both suites start from: three tickets about Péter, one that is not, and FAQ questions. */
async function helpdeskWorld(clock: ReturnType<typeof settableClock>) {
  const core = await testCore(clock);
  await loadDemo(core.deps, loadDemoData());
  const deps: HelpdeskDeps = helpdeskDeps(core);
  const hand = (askerId: string, question: string) => handOverQuestion(deps, { askerId, question, lang: 'hu', origin: 'web' }).then(must);
  const aboutProfessional = await hand('peter.szabo', Q_PROFESSIONAL);
  must(await answerTicket(deps, { coordinatorId: 'eszter.nagy', ticketId: aboutProfessional.id, answer: A_PROFESSIONAL, lang: 'hu', origin: 'web' }));
  const open = await hand('peter.szabo', Q_OPEN);
  const namingHim = await hand('anna.kovacs', Q_NAMING_HIM);
  const other = await hand('gabor.toth', Q_OTHER);
  must(await answerTicket(deps, { coordinatorId: 'eszter.nagy', ticketId: other.id, answer: 'A „képzés” paranccsal.', lang: 'hu', origin: 'web' }));
  const asked = must(await askFaq(deps, { text: 'Who is my IMI coordinator?', userId: 'peter.szabo', origin: 'web' }));
  expect(asked.answered).toBe(true);
  must(await rateAnswer(deps, { questionId: asked.questionId, userId: 'peter.szabo', helpful: false, origin: 'web' }));
  const unanswered = must(await askFaq(deps, { text: 'recipe for goulash with Kiss Ilona Mária', userId: 'gabor.toth', origin: 'web' }));
  const othersFaq = must(await askFaq(deps, { text: 'Who is my IMI coordinator?', userId: 'gabor.toth', origin: 'web' }));
  return { core, deps, tickets: { aboutProfessional, open, namingHim, other }, faq: { peters: asked.questionId, unanswered: unanswered.questionId, others: othersFaq.questionId } };
}

describe('name matching in helpdesk texts', () => {
  it('finds a name of two words or more side by side in any order and spelling, never a part of it', () => {
    const key = nameKey('Péter Szabó');
    expect(mentions('Szabó Péter kolléga szabadságra megy', key)).toBe(true);
    expect(mentions('ask PETER SZABO, please', key)).toBe(true);
    expect(mentions('Szabó Anna and Péter Nagy', key)).toBe(false);
    expect(mentions('Szabó-Kovács Péter', key)).toBe(false);
    expect(mentions('Péter', nameKey('Péter'))).toBe(false);
    expect(mentions('anything', '')).toBe(false);
  });
});

describe('helpdesk retention: blocked six months and deleted three years after the ticket was answered or the question asked', () => {
  const clock = settableClock(START);
  let world: Awaited<ReturnType<typeof helpdeskWorld>>;
  let answeredAt: string;
  const db = () => dbOf(world.core);
  const env = () => ({ DATABASE_URL: (world.core as Core & { databaseUrl: string }).databaseUrl });
  const outboxOf = async (ticketId: string) => (await db()('outbox').where('key', 'like', `${ticketId}:%`).select('params')).map((r) => String(r.params));

  beforeAll(async () => {
    world = await helpdeskWorld(clock);
    answeredAt = (await world.core.deps.store.retention.ticket(world.tickets.aboutProfessional.id))!.answeredAt!;
  });
  afterAll(async () => {
    await world?.core.close();
  });

  it('keeps tickets and FAQ questions in sight until six months have passed', async () => {
    clock.set(plus(answeredAt, { months: 6, seconds: -1 }));
    const report = await runRetention(world.deps);
    expect(report.helpdesk).toEqual({ ticketsBlocked: [], ticketsDeleted: [], faqQuestionsBlocked: 0, faqQuestionsDeleted: 0 });
    expect(must(await viewTicket(world.deps, 'peter.szabo', world.tickets.aboutProfessional.id)).question).toBe(Q_PROFESSIONAL);
  });

  it('blocks answered tickets and FAQ questions at six months: out of every list, card and report, kept in the store', async () => {
    const { aboutProfessional, open, namingHim, other } = world.tickets;
    clock.set(plus(answeredAt, { months: 6 }));
    const atSixMonths = clock.now().toISOString();
    const run = await runImi(['retention', 'run', '--now', atSixMonths, '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    // Open tickets have not ended, like open requests: only the two answered ones are blocked.
    expect(report).toMatchObject({ now: atSixMonths, helpdesk: { ticketsDeleted: [], faqQuestionsBlocked: 3, faqQuestionsDeleted: 0 } });
    expect([...report.helpdesk.ticketsBlocked].sort()).toEqual([aboutProfessional.id, other.id].sort());

    const seen = await viewTicket(world.deps, 'peter.szabo', aboutProfessional.id);
    expect(seen.ok || seen.error.code).toBe('HELPDESK.TICKET_NOT_FOUND');
    const coordinatorView = await viewTicket(world.deps, 'eszter.nagy', aboutProfessional.id);
    expect(coordinatorView.ok || coordinatorView.error.code).toBe('HELPDESK.TICKET_NOT_FOUND');
    expect(must(await listTickets(world.deps, { userId: 'peter.szabo', as: 'asker' })).map((t) => t.id)).toEqual([open.id]);
    expect(must(await listTickets(world.deps, { userId: 'eszter.nagy', as: 'coordinator' })).map((t) => t.id).sort()).toEqual([open.id, namingHim.id].sort());
    // A blocked FAQ answer can no longer be rated or handed over, and leaves the report.
    const rated = await rateAnswer(world.deps, { questionId: world.faq.peters, userId: 'peter.szabo', helpful: true, origin: 'web' });
    expect(rated.ok || rated.error.code).toBe('HELPDESK.ANSWER_NOT_FOUND');
    expect(JSON.stringify((await faqReport(world.deps)).unanswered)).not.toContain('goulash');

    // Blocked, not deleted; audited by the system; a second run finds nothing.
    expect((await world.core.deps.store.retention.ticket(aboutProfessional.id))!).toMatchObject({ question: Q_PROFESSIONAL, blockedAt: atSixMonths });
    const audit = await db()('audit_log').where({ action: 'retention.block' }).whereIn('target', [aboutProfessional.id, 'faq-questions']).orderBy('seq');
    expect(audit).toMatchObject([
      { actor_id: 'system', channel: 'system', target: aboutProfessional.id },
      { actor_id: 'system', channel: 'system', target: 'faq-questions' },
    ]);
    expect(JSON.parse(audit[1]!.details)).toMatchObject({ count: 3 });
    const again = await runRetention(world.deps);
    expect(again.helpdesk).toEqual({ ticketsBlocked: [], ticketsDeleted: [], faqQuestionsBlocked: 0, faqQuestionsDeleted: 0 });
  }, 180_000);

  it('deletes their texts and identities at three years, with the copies in the notifications, and keeps the trail and the ratings', async () => {
    const { aboutProfessional, open } = world.tickets;
    clock.set(plus(answeredAt, { years: 3, seconds: -1 }));
    expect((await runRetention(world.deps)).helpdesk.ticketsDeleted).toEqual([]);
    const ratingsBefore = await world.core.deps.store.helpdesk.ratings();
    expect((await outboxOf(aboutProfessional.id)).join()).toContain('78213');

    clock.set(plus(answeredAt, { years: 3 }));
    const report = await runRetention(world.deps);
    expect(report.helpdesk).toMatchObject({ ticketsBlocked: [], faqQuestionsBlocked: 0, faqQuestionsDeleted: 3 });
    expect(report.helpdesk.ticketsDeleted).toContain(aboutProfessional.id);
    expect(report.helpdesk.ticketsDeleted).not.toContain(open.id);
    const after = (await world.core.deps.store.retention.ticket(aboutProfessional.id))!;
    expect(after).toMatchObject({ question: '', answer: '', status: 'answered', askerId: 'peter.szabo', answeredBy: 'eszter.nagy', answeredAt });
    expect(after.personalDataDeletedAt).toBe(clock.now().toISOString());
    const copies = (await outboxOf(aboutProfessional.id)).join();
    expect(copies).toContain(aboutProfessional.id);
    expect(copies).not.toMatch(/Kiss Ilona|78213|Szabó Péter|Nagy Eszter/);
    const faq = (await world.core.deps.store.retention.faqQuestions()).find((q) => q.id === world.faq.peters)!;
    expect(faq).toMatchObject({ question: '', userId: null, answered: true, rating: { userId: null, helpful: false } });
    expect(await world.core.deps.store.helpdesk.ratings()).toEqual(ratingsBefore);
    // The open ticket is untouched: it has not ended.
    expect((await world.core.deps.store.retention.ticket(open.id))!.question).toBe(Q_OPEN);

    const deleted = await db()('audit_log').where({ action: 'retention.delete', target: aboutProfessional.id });
    expect(deleted).toMatchObject([{ actor_id: 'system', channel: 'system' }]);
    expect(JSON.parse(deleted[0]!.details)).toMatchObject({ fields: 2, notifications: 2 });
    expect(JSON.stringify(await db()('audit_log').select())).not.toMatch(/Kiss Ilona|78213|goulash/);
    expect((await runRetention(world.deps)).helpdesk).toEqual({ ticketsBlocked: [], ticketsDeleted: [], faqQuestionsBlocked: 0, faqQuestionsDeleted: 0 });
  });
});

describe('data subjects and the helpdesk: `imi subject export` and `imi subject erase`', () => {
  // The CLI tells the retention stage by the real clock: the world is made today, so it is active.
  const clock = settableClock(new Date());
  let world: Awaited<ReturnType<typeof helpdeskWorld>>;
  const db = () => dbOf(world.core);
  const env = () => ({ DATABASE_URL: (world.core as Core & { databaseUrl: string }).databaseUrl });

  beforeAll(async () => {
    world = await helpdeskWorld(clock);
  });
  afterAll(async () => {
    await world?.core.close();
  });

  it('exports the tickets and FAQ questions an official asked and those that name them, after the requests', async () => {
    const { aboutProfessional, open, namingHim } = world.tickets;
    const exported = await runImi(['subject', 'export', '--name', 'SZABO peter', '--json'], env());
    expect(exported.code, exported.stderr).toBe(0);
    const rows = JSON.parse(exported.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => [r.kind, r.id])).toEqual([
      ['helpdesk-ticket', aboutProfessional.id],
      ['helpdesk-ticket', open.id],
      ['helpdesk-ticket', namingHim.id],
      ['faq-question', world.faq.peters],
    ]);
    expect(rows[0]).toMatchObject({
      question: Q_PROFESSIONAL, answer: A_PROFESSIONAL, askerId: 'peter.szabo', coordinatorAuthorityId: 'hu-nimic', status: 'answered',
      matched: ['asker'], retention: { stage: 'active', blockedAt: null, personalDataDeletedAt: null },
    });
    expect(rows[2]).toMatchObject({ question: Q_NAMING_HIM, askerId: 'anna.kovacs', matched: ['text'] });
    expect(rows[3]).toMatchObject({ userId: 'peter.szabo', rating: { userId: 'peter.szabo', helpful: false }, matched: ['asker'] });

    // The professional he asked about: his ticket and the FAQ question that name her, nothing else.
    const aboutHer = await helpdeskAbout(world.deps, 'kiss ilona maria');
    expect(aboutHer.tickets.map((t) => [t.ticket.id, t.matched])).toEqual([[aboutProfessional.id, ['text']]]);
    expect(aboutHer.faqQuestions.map((q) => q.question.id)).toEqual([world.faq.unanswered]);
    // A part of a name, or no name, is nobody.
    expect(await helpdeskAbout(world.deps, 'Péter')).toEqual({ tickets: [], faqQuestions: [] });
    expect(await helpdeskAbout(world.deps, ' - ')).toEqual({ tickets: [], faqQuestions: [] });
  }, 180_000);

  it('erases them, with the copies in the notifications, records who did it, and leaves everyone else alone', async () => {
    const { aboutProfessional, open, namingHim, other } = world.tickets;
    const erased = await runImi(['subject', 'erase', '--name', 'Péter Szabó', '--by', 'dpo.officer', '--json'], env());
    expect(erased.code, erased.stderr).toBe(0);
    expect(JSON.parse(erased.stdout)).toEqual([
      { kind: 'helpdesk-ticket', id: aboutProfessional.id, status: 'answered', fields: 2, notifications: 2, translations: 0 },
      { kind: 'helpdesk-ticket', id: open.id, status: 'open', fields: 1, notifications: 1, translations: 0 },
      { kind: 'helpdesk-ticket', id: namingHim.id, status: 'open', fields: 1, notifications: 1, translations: 0 },
      { kind: 'faq-question', id: world.faq.peters, status: 'answered', fields: 1, notifications: 0, translations: 0 },
    ]);

    const store = world.core.deps.store;
    for (const id of [aboutProfessional.id, open.id, namingHim.id]) {
      const t = (await store.retention.ticket(id))!;
      expect([t.question, t.answer ?? '']).toEqual(['', '']);
      expect(t.personalDataDeletedAt).not.toBeNull();
    }
    const outbox = JSON.stringify(await db()('outbox').select('params'));
    for (const text of [Q_PROFESSIONAL, A_PROFESSIONAL, Q_OPEN, Q_NAMING_HIM, 'Szabó Péter']) expect(outbox).not.toContain(text);
    // Someone else's ticket and FAQ question are as they were.
    expect((await store.retention.ticket(other.id))!.question).toBe(Q_OTHER);
    expect(outbox).toContain(Q_OTHER);
    const faq = await store.retention.faqQuestions();
    expect(faq.find((q) => q.id === world.faq.peters)).toMatchObject({ question: '', userId: null, rating: { userId: null, helpful: false } });
    expect(faq.find((q) => q.id === world.faq.others)).toMatchObject({ question: 'Who is my IMI coordinator?', userId: 'gabor.toth' });

    // Erased tickets leave the lists, and an answer cannot write an erased question back.
    expect(must(await listTickets(world.deps, { userId: 'peter.szabo', as: 'asker' }))).toEqual([]);
    expect(must(await listTickets(world.deps, { userId: 'eszter.nagy', as: 'coordinator' })).map((t) => t.id)).toEqual([other.id]);
    const late = await answerTicket(world.deps, { coordinatorId: 'eszter.nagy', ticketId: open.id, answer: 'Késő válasz.', lang: 'hu', origin: 'web' });
    expect(late.ok || late.error.code).toBe('HELPDESK.TICKET_NOT_FOUND');
    expect((await store.retention.ticket(open.id))!).toMatchObject({ question: '', status: 'open', answer: null });

    const audit = await db()('audit_log').where({ action: 'subject.erase' }).orderBy('seq');
    expect(audit.map((a) => [a.target, a.actor_id, a.channel])).toEqual([
      [aboutProfessional.id, 'dpo.officer', 'cli'],
      [open.id, 'dpo.officer', 'cli'],
      [namingHim.id, 'dpo.officer', 'cli'],
      ['faq-questions', 'dpo.officer', 'cli'],
    ]);
    expect(JSON.stringify(await db()('audit_log').select())).not.toMatch(/Szabó Péter|Kiss Ilona|78213/);

    // Idempotent: nothing is left to erase, and the export shows what remains.
    const second = await runImi(['subject', 'erase', '--name', 'Péter Szabó', '--by', 'dpo.officer', '--json'], env());
    expect(JSON.parse(second.stdout)).toEqual([]);
    const exported = JSON.parse((await runImi(['subject', 'export', '--name', 'Péter Szabó', '--json'], env())).stdout) as Record<string, unknown>[];
    // His tickets stay listed, emptied and marked; the colleague's ticket no longer names him, and
    // the FAQ question no longer says whose it was.
    expect(exported.map((r) => r.id)).toEqual([aboutProfessional.id, open.id]);
    expect(exported[0]).toMatchObject({ question: '', retention: { personalDataDeletedAt: expect.any(String) } });
  }, 240_000);
});

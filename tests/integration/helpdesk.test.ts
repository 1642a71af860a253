import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askFaq, showFaqEntry, type HelpdeskDeps } from '../../src/app/helpdesk/ask-faq.ts';
import { faqReport, rateAnswer } from '../../src/app/helpdesk/feedback.ts';
import { answerTicket, handOverQuestion, listTickets, viewTicket } from '../../src/app/helpdesk/tickets.ts';
import { loadDemo } from '../../src/app/demo/load-demo.ts';
import { helpdeskDeps } from '../../src/helpdesk-wiring.ts';
import { loadDemoData } from '../../src/store/reference-data.ts';
import type { Core } from '../../src/wiring.ts';
import { settableClock, testCore } from '../support/core.ts';

const must = <T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T => {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}`);
  return r.value;
};

describe('helpdesk', () => {
  const clock = settableClock(new Date('2026-11-25T09:00:00Z'));
  let core: Core;
  let deps: HelpdeskDeps;

  beforeAll(async () => {
    core = await testCore(clock);
    await loadDemo(core.deps, loadDemoData());
    deps = helpdeskDeps(core);
  });
  afterAll(async () => {
    await core?.close();
  });

  describe('answers', () => {
    it("name the asker's own coordinator: a Hungarian and a German user get different people", async () => {
      const anna = must(await askFaq(deps, { text: 'Who is my IMI coordinator?', userId: 'anna.kovacs', origin: 'web' }));
      const jonas = must(await askFaq(deps, { text: 'Who is my IMI coordinator?', userId: 'jonas.weber', origin: 'web' }));
      expect(anna.answered && jonas.answered).toBe(true);
      expect(anna.id).toBe('national-coordinator');
      expect(anna.answer).toContain('Nagy Eszter');
      expect(anna.answer).toContain('imi-koordinator@im.hu.example.eu');
      expect(anna.answer).not.toContain('Thomas Schneider');
      expect(jonas.answer).toContain('Thomas Schneider');
      expect(jonas.answer).not.toContain('Nagy Eszter');
      expect(anna.contact).toMatchObject({ role: 'national_coordinator', name: 'Nagy Eszter' });
    });

    it("come in the user's language whatever language the question is in", async () => {
      const anna = must(await askFaq(deps, { text: 'Who replaces me when I am on holiday?', userId: 'anna.kovacs', origin: 'web' }));
      expect(anna).toMatchObject({ answered: true, id: 'backup-colleague', lang: 'hu', detectedLang: 'en' });
      expect(anna.answer).toMatch(/helyettesíteni/);
      const claire = must(await askFaq(deps, { text: 'Kann ich mit fiktiven Fällen üben?', userId: 'claire.martin', origin: 'web' }));
      expect(claire).toMatchObject({ answered: true, id: 'training-environment', lang: 'fr' });
      expect(claire.answer).toContain('Isabelle Moreau');
    });

    it('name the local administrators and the national helpdesk from the data', async () => {
      const peter = must(await askFaq(deps, { text: 'How do I register a backup colleague?', userId: 'peter.szabo', lang: 'en', origin: 'web' }));
      expect(peter.answer).toContain('Kovács Anna');
      const felix = must(await askFaq(deps, { text: 'Ich bekomme eine Fehlermeldung, wer hilft mir technisch?', userId: 'felix.wagner', origin: 'web' }));
      expect(felix.id).toBe('technical-helpdesk');
      expect(felix.answer).toContain('imi@imi-helpdesk.de.example.eu');
      expect(felix.contact).toMatchObject({ role: 'helpdesk', details: 'imi@imi-helpdesk.de.example.eu, +49 30 5550 1000' });
    });

    it("fill in the user's legislative areas and the chat commands of their language", async () => {
      const sabine = must(await askFaq(deps, { text: 'Welche Rechte habe ich als Nutzerin?', userId: 'sabine.fischer', origin: 'web' }));
      expect(sabine.id).toBe('legislative-areas');
      expect(sabine.answer).toContain(core.i18n.t('de', 'domain.area.professional-qualifications.name'));
      const anna = must(await showFaqEntry(deps, { entryId: 'bot-create-request', userId: 'anna.kovacs', origin: 'web' }));
      const word = core.i18n.t('hu', 'bot.commands.new').split('|')[0]!;
      expect(anna.answer).toContain(`„${word}”`);
      expect(anna.answer).not.toMatch(/\{\{/);
    });

    it('offer suggestions and the hand-over below the threshold, and nothing at all for off-topic questions', async () => {
      const vague = must(await askFaq(deps, { text: 'training', userId: 'anna.kovacs', origin: 'web' }));
      expect(vague.answered).toBe(false);
      expect(vague.answer).toBeNull();
      expect(vague.suggestions.map((s) => s.id)).toEqual(expect.arrayContaining(['training-options', 'training-environment']));
      expect(vague.suggestions.length).toBeLessThanOrEqual(3);
      expect(vague.canHandOver).toBe(true);
      expect(vague.contact).toMatchObject({ role: 'coordinator', name: 'Nagy Eszter' });
      const goulash = must(await askFaq(deps, { text: 'recipe for goulash', userId: 'anna.kovacs', origin: 'web' }));
      expect(goulash).toMatchObject({ answered: false, id: null, answer: null, suggestions: [] });
    });

    it('refuse an empty question and an unknown user', async () => {
      expect(await askFaq(deps, { text: '   ', origin: 'web' })).toMatchObject({ ok: false, error: { code: 'HELPDESK.QUESTION_EMPTY' } });
      expect(await askFaq(deps, { text: 'help', userId: 'nobody', origin: 'cli' })).toMatchObject({ ok: false, error: { code: 'USER.NOT_FOUND' } });
    });
  });

  describe('hand-over to the coordinator', () => {
    it('goes round trip: ticket → coordinator notified → answer → asker notified, both see the status', async () => {
      const asked = must(await askFaq(deps, { text: 'Kell-e külön pecsét a papíralapú igazolásokra?', userId: 'anna.kovacs', origin: 'web' }));
      expect(asked.answered).toBe(false);
      const ticket = must(await handOverQuestion(deps, { askerId: 'anna.kovacs', questionId: asked.questionId, origin: 'web' }));
      expect(ticket).toMatchObject({
        status: 'open',
        askerId: 'anna.kovacs',
        coordinatorAuthorityId: 'hu-nimic',
        question: 'Kell-e külön pecsét a papíralapú igazolásokra?',
        questionLang: 'hu',
        coordinatorAuthorityName: expect.stringContaining('Nemzeti IMI-koordinátor'),
      });
      expect(ticket.id).toMatch(/^HD-2026-\d{6}$/);

      const toCoordinator = (await core.deps.store.outbox.list()).filter((n) => n.kind === 'helpdesk.ticket' && n.params.ticketId === ticket.id);
      expect(toCoordinator.map((n) => n.recipientId)).toEqual(['eszter.nagy']);
      expect(toCoordinator[0]!.params).toMatchObject({ askerName: 'Kovács Anna', question: ticket.question });

      expect(must(await listTickets(deps, { userId: 'anna.kovacs', as: 'asker' })).map((t) => [t.id, t.status])).toContainEqual([ticket.id, 'open']);
      expect(must(await listTickets(deps, { userId: 'eszter.nagy', as: 'coordinator' })).map((t) => t.id)).toContain(ticket.id);
      // Another country's coordinator neither sees nor answers it.
      expect(must(await listTickets(deps, { userId: 'thomas.schneider', as: 'coordinator' })).map((t) => t.id)).not.toContain(ticket.id);
      expect(await answerTicket(deps, { coordinatorId: 'thomas.schneider', ticketId: ticket.id, answer: 'Nein.', lang: 'de', origin: 'web' }))
        .toMatchObject({ ok: false, error: { code: 'HELPDESK.TICKET_NOT_FOUND' } });
      expect(await listTickets(deps, { userId: 'anna.kovacs', as: 'coordinator' })).toMatchObject({ ok: false, error: { code: 'HELPDESK.NOT_COORDINATOR' } });

      clock.set(new Date('2026-11-25T11:30:00Z'));
      const answered = must(await answerTicket(deps, {
        coordinatorId: 'eszter.nagy', ticketId: ticket.id, answer: 'Nem kell, az IMI-ben küldött irat elegendő.', lang: 'hu', origin: 'web',
      }));
      expect(answered).toMatchObject({ status: 'answered', answeredBy: 'eszter.nagy', answeredByName: 'Nagy Eszter', answerLang: 'hu', answeredAt: '2026-11-25T11:30:00.000Z' });

      const toAsker = (await core.deps.store.outbox.list()).filter((n) => n.kind === 'helpdesk.answer' && n.params.ticketId === ticket.id);
      expect(toAsker).toHaveLength(1);
      expect(toAsker[0]).toMatchObject({
        recipientId: 'anna.kovacs',
        params: { coordinatorName: 'Nagy Eszter', answer: 'Nem kell, az IMI-ben küldött irat elegendő.', answerLang: 'hu' },
      });
      expect(must(await viewTicket(deps, 'anna.kovacs', ticket.id)).status).toBe('answered');
      expect(must(await listTickets(deps, { userId: 'eszter.nagy', as: 'coordinator' })).find((t) => t.id === ticket.id)?.status).toBe('answered');
      expect(await viewTicket(deps, 'jonas.weber', ticket.id)).toMatchObject({ ok: false, error: { code: 'HELPDESK.TICKET_NOT_FOUND' } });

      expect(await answerTicket(deps, { coordinatorId: 'eszter.nagy', ticketId: ticket.id, answer: 'Még egyszer', lang: 'hu', origin: 'web' }))
        .toMatchObject({ ok: false, error: { code: 'HELPDESK.TICKET_ANSWERED' } });
    });

    it('takes a question typed directly, and keeps the coordinator language labelled for a foreign asker', async () => {
      const ticket = must(await handOverQuestion(deps, { askerId: 'tomasz.wisniewski', question: 'Czy mogę załączyć skan dyplomu?', lang: 'pl', origin: 'slack' }));
      expect(ticket.coordinatorAuthorityId).toBe('pl-nimic');
      const answered = must(await answerTicket(deps, { coordinatorId: 'agnieszka.wozniak', ticketId: ticket.id, answer: 'Tak.', lang: 'pl', origin: 'web' }));
      expect(answered.answerLang).toBe('pl');
    });

    it('refuses an empty question and a coordinator asking themselves', async () => {
      expect(await handOverQuestion(deps, { askerId: 'anna.kovacs', question: '  ', origin: 'web' }))
        .toMatchObject({ ok: false, error: { code: 'HELPDESK.QUESTION_EMPTY' } });
      expect(await handOverQuestion(deps, { askerId: 'eszter.nagy', question: 'Who helps me?', origin: 'web' }))
        .toMatchObject({ ok: false, error: { code: 'HELPDESK.NO_COORDINATOR' } });
      const jonasAsked = must(await askFaq(deps, { text: 'recipe for goulash', userId: 'jonas.weber', origin: 'web' }));
      expect(await handOverQuestion(deps, { askerId: 'anna.kovacs', questionId: jonasAsked.questionId, origin: 'web' }))
        .toMatchObject({ ok: false, error: { code: 'HELPDESK.ANSWER_NOT_FOUND' } });
    });
  });

  describe('feedback', () => {
    it('is stored and the report lists poorly rated answers and unanswered questions with counts', async () => {
      const bad = must(await askFaq(deps, { text: 'How can I practise on fictitious requests?', userId: 'julien.bernard', origin: 'web' }));
      const good = must(await askFaq(deps, { text: 'Who is my IMI coordinator?', userId: 'julien.bernard', origin: 'web' }));
      expect(bad.id).toBe('training-environment');
      must(await rateAnswer(deps, { questionId: bad.questionId, userId: 'julien.bernard', helpful: true, origin: 'web' }));
      // A second rating of the same answer replaces the first.
      must(await rateAnswer(deps, { questionId: bad.questionId, userId: 'julien.bernard', helpful: false, origin: 'web' }));
      must(await rateAnswer(deps, { questionId: good.questionId, userId: 'julien.bernard', helpful: true, origin: 'web' }));
      expect(await rateAnswer(deps, { questionId: good.questionId, userId: 'anna.kovacs', helpful: false, origin: 'web' }))
        .toMatchObject({ ok: false, error: { code: 'HELPDESK.ANSWER_NOT_FOUND' } });

      must(await askFaq(deps, { text: 'What is the weather in Brussels?', userId: 'julien.bernard', origin: 'web' }));
      must(await askFaq(deps, { text: 'what is the weather in brussels', userId: 'anna.kovacs', lang: 'fr', origin: 'web' }));

      const report = await faqReport(deps, (lang, id) => deps.faq.entry(lang, id)?.questions[0] ?? null);
      expect(report.poorlyRated).toContainEqual(expect.objectContaining({ entryId: 'training-environment', lang: 'fr', unhelpful: 1, helpful: 0 }));
      expect(report.poorlyRated.find((r) => r.entryId === 'national-coordinator')).toBeUndefined();
      expect(report.unanswered).toContainEqual(expect.objectContaining({ lang: 'fr', count: 2, question: expect.stringMatching(/weather in brussels/i) }));
      expect(report.unanswered).toContainEqual(expect.objectContaining({ question: 'recipe for goulash', count: 2 }));
    });
  });
});

import { describe, expect, it } from 'vitest';
import { buildFaqIndex, confidentMatch } from '../../src/app/helpdesk/faq-index.ts';
import { normalizeQuestion } from '../../src/domain/helpdesk.ts';
import { loadKnowledgeBase } from '../../src/store/helpdesk-data.ts';
import { OFF_TOPIC, PARAPHRASES } from '../fixtures/faq-paraphrases.ts';

const kb = loadKnowledgeBase();
const index = buildFaqIndex(kb);
/** Every language with a knowledge base; en, hu, de and fr at least. */
const LANGUAGES = kb.map((l) => l.language).sort();

describe('FAQ knowledge base', () => {
  it('has the same entries, each with at least four phrasings, in every language', () => {
    expect(LANGUAGES).toEqual(expect.arrayContaining(['en', 'hu', 'de', 'fr']));
    const ids = (lang: string) => kb.find((l) => l.language === lang)!.entries.map((e) => e.id).sort();
    for (const lang of LANGUAGES) {
      expect(ids(lang), lang).toEqual(ids('en'));
      for (const e of kb.find((l) => l.language === lang)!.entries) expect(e.questions.length, `${lang} ${e.id}`).toBeGreaterThanOrEqual(4);
    }
    expect(ids('en').length).toBeGreaterThanOrEqual(24);
  });

  it('covers the brochure topics and the bot-usage questions', () => {
    const ids = new Set(kb.find((l) => l.language === 'en')!.entries.map((e) => e.id));
    for (const topic of [
      'get-registered', 'log-in', 'authority-activities', 'foreign-authorities', 'backup-colleague', 'remove-users',
      'training-options', 'training-environment', 'send-request', 'legislative-areas', 'own-language',
      'incoming-notifications', 'check-deadline', 'answer-on-time', 'authority-data', 'registers-directory',
      'data-protection', 'national-coordinator', 'technical-helpdesk', 'bot-create-request', 'bot-accept-request', 'bot-statuses',
    ]) {
      expect(ids.has(topic), topic).toBe(true);
    }
  });

  it('answers name people through placeholders, not generic text', () => {
    for (const l of kb) {
      for (const e of l.entries) {
        if (e.contact === 'helpdesk') expect(e.answer, `${l.language} ${e.id}`).toMatch(/\{\{(helpdesk|localAdmins|coordinatorName)\}\}|\{\{cmd\./);
        else expect(e.answer, `${l.language} ${e.id}`).toMatch(/\{\{(coordinatorName|localAdmins|nationalCoordinatorName)\}\}/);
      }
    }
  });
});

describe('FAQ retrieval on paraphrased questions', () => {
  it('the test questions are paraphrases, not copies of knowledge-base phrasings', () => {
    const phrasings = new Set(kb.flatMap((l) => l.entries.flatMap((e) => e.questions.map(normalizeQuestion))));
    const copies = Object.values(PARAPHRASES).flat().filter(([q]) => phrasings.has(normalizeQuestion(q)));
    expect(copies).toEqual([]);
  });

  it('finds the right entry first for at least 85% of them', () => {
    let right = 0;
    let total = 0;
    const lines: string[] = [];
    const misses: string[] = [];
    for (const lang of Object.keys(PARAPHRASES)) {
      const cases = PARAPHRASES[lang]!;
      let ok = 0;
      for (const [question, expected] of cases) {
        const top = index.search(question, lang).matches[0];
        if (top?.id === expected) ok++;
        else misses.push(`${lang}: "${question}" → ${top?.id ?? 'nothing'} (expected ${expected})`);
      }
      lines.push(`${lang}: ${ok}/${cases.length} = ${((100 * ok) / cases.length).toFixed(1)}%`);
      right += ok;
      total += cases.length;
    }
    lines.push(`overall: ${right}/${total} = ${((100 * right) / total).toFixed(1)}%`);
    console.log(`FAQ top-1 accuracy\n  ${lines.join('\n  ')}${misses.length ? `\n  misses:\n    ${misses.join('\n    ')}` : ''}`);
    expect(total).toBeGreaterThanOrEqual(60);
    expect(right / total).toBeGreaterThanOrEqual(0.85);
  });

  it('is confident about most right answers', () => {
    const all = Object.entries(PARAPHRASES).flatMap(([lang, cases]) =>
      cases.map(([q, id]) => ({ chosen: confidentMatch(index.search(q, lang).matches, index.threshold), id })),
    );
    const confident = all.filter(({ chosen, id }) => chosen?.id === id).length;
    console.log(`answered with the right entry: ${confident}/${all.length}`);
    expect(confident / all.length).toBeGreaterThanOrEqual(0.8);
  });

  it('recognises the language of the questions', () => {
    const all = Object.entries(PARAPHRASES).flatMap(([lang, cases]) => cases.map(([q]) => ({ lang, q })));
    const right = all.filter(({ lang, q }) => index.detect(q) === lang).length;
    expect(right / all.length).toBeGreaterThanOrEqual(0.9);
  });

  it.each(Object.entries(OFF_TOPIC).flatMap(([lang, qs]) => qs.map((q) => [lang, q] as const)))(
    'keeps the off-topic "%s: %s" below the threshold',
    (lang, question) => {
      const top = index.search(question, lang).matches[0];
      expect(top?.score ?? 0).toBeLessThan(index.threshold);
    },
  );

  it('tells "registered" (getting an account) from "registers" (the directory)', () => {
    expect(index.search('how do I get registered?', 'en').matches[0]?.id).toBe('get-registered');
    expect(index.search('registers of professions', 'en').matches[0]?.id).toBe('registers-directory');
  });

  it('matches questions typed without accents', () => {
    expect(index.search('tul rovid a hatarido, javasolhatok mas datumot?', 'hu').matches[0]?.id).toBe('check-deadline');
  });
});

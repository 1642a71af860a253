import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { askFaq, type HelpdeskDeps } from '../src/app/helpdesk/ask-faq.ts';
import { buildFaqIndex, type FaqIndex } from '../src/app/helpdesk/faq-index.ts';
import type { KbEntry, KnowledgeBase, LanguageKb } from '../src/app/helpdesk/knowledge-base.ts';
import { analyzerFor, words } from '../src/app/helpdesk/text-analysis.ts';
import { loadDemo } from '../src/app/demo/load-demo.ts';
import { faqIndex, helpdeskDeps } from '../src/helpdesk-wiring.ts';
import { loadKnowledgeBase } from '../src/store/helpdesk-data.ts';
import { loadDemoData } from '../src/store/reference-data.ts';
import { OFF_TOPIC, PARAPHRASES } from '../tests/fixtures/faq-paraphrases.ts';
import { testCore } from '../tests/support/core.ts';
import { median, quantile, ratioResult, round, type Benchmark, type Result } from './lib.ts';

/**
 * The languages grown to the large size. Every language has its own index and a question searches one,
 * so latency depends on the size of one language's index; build time grows with every language grown.
 * These four are the ones with full translations and demo users (quick mode: English and Hungarian);
 * the rest keep the real entries (the loader allows a language to lack entries English has).
 */
const GROWN = ['en', 'hu', 'de', 'fr'];
const GROWN_QUICK = ['en', 'hu'];

/** A demo user who writes in each grown language: the ask path resolves their coordinator and local admins. */
const ASKER: Record<string, string> = { en: 'anna.kovacs', hu: 'peter.szabo', de: 'sabine.fischer', fr: 'julien.bernard' };

/** Deterministic pseudo-random numbers, so every run measures the same knowledge base. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Placeholders and words, the separators between them kept, so a text can be rewritten word by word. */
const TOKEN = /(\{\{[^}]*\}\}|[\p{L}\p{N}]+)/u;

/**
 * A language's knowledge base grown to `size` entries: the real entries plus synthetic ones that read
 * like them. Each synthetic entry has a topic of two words drawn from the language's real vocabulary;
 * its phrasings are real phrasings with every content word swapped for a topic word or for a word drawn
 * by its real frequency, its answer a real answer with half of them swapped. Stop words, sentence shapes
 * and word frequencies stay those of the real texts, and the new entries compete with the real ones for
 * the same words: a harder knowledge base to search than one whose new topics bring new words.
 */
function grow(real: LanguageKb, size: number, random: () => number): LanguageKb {
  const analyzer = analyzerFor(real.language, real.stopWordExceptions);
  const texts = real.entries.flatMap((e) => [...e.questions, ...e.keywords, e.answer]);
  const tokens = texts.flatMap((t) => words(t.replace(/\{\{[^}]*\}\}/g, ' '))).filter((w) => w.length >= 3 && analyzer.term(w) !== null);
  const distinct = [...new Set(tokens)];
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const content = (w: string) => !w.startsWith('{{') && w.length >= 3 && analyzer.term(w) !== null;
  const rewrite = (text: string, topic: string[], share: number): string => {
    const parts = text.split(TOKEN);
    let usedTopic = false;
    for (let i = 1; i < parts.length; i += 2) {
      if (!content(parts[i]!) || random() >= share) continue;
      const onTopic = random() < 0.5;
      parts[i] = onTopic ? pick(topic) : pick(tokens);
      usedTopic ||= onTopic;
    }
    if (!usedTopic) {
      const i = parts.findIndex((p, j) => j % 2 === 1 && content(p));
      if (i > 0) parts[i] = pick(topic);
      else parts.push(` ${pick(topic)}`);
    }
    return parts.join('');
  };
  const entries: KbEntry[] = [...real.entries];
  for (let k = 0; entries.length < size; k++) {
    const template = pick(real.entries);
    const topic = [pick(distinct), pick(distinct)];
    // The first phrasing is the one shown as a suggestion: the kind of sentence real first phrasings are.
    const questions = Array.from({ length: 4 + Math.floor(random() * 3) }, (_, i) =>
      rewrite(i === 0 ? pick(real.entries).questions[0]! : pick(pick(real.entries).questions), topic, 1),
    );
    entries.push({
      id: `synthetic-${k}`,
      contact: template.contact,
      questions,
      keywords: [...topic, pick(tokens)],
      answer: rewrite(template.answer, topic, 0.5),
    });
  }
  return { ...real, entries };
}

/**
 * Writes the grown knowledge base as data/faq files in a temporary folder and reads it back with the
 * production loader, so the schema and the cross-language checks see it exactly like the real one.
 */
export function grownKnowledgeBase(real: KnowledgeBase, size: number, langs = GROWN): { kb: KnowledgeBase; dir: string } {
  const random = mulberry32(10);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-faq-'));
  for (const l of real) {
    const grown = langs.includes(l.language) ? grow(l, size, random) : l;
    fs.writeFileSync(path.join(dir, `${l.language}.json`), JSON.stringify(grown));
  }
  return { kb: loadKnowledgeBase(dir), dir };
}

const ms = (since: number) => performance.now() - since;

/** Times of `runs` builds of the production index. */
function buildTimes(kb: KnowledgeBase, runs: number): { times: number[]; index: FaqIndex } {
  const times: number[] = [];
  let index: FaqIndex | null = null;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    index = buildFaqIndex(kb);
    times.push(ms(t));
  }
  return { times, index: index! };
}

interface Question {
  lang: string;
  text: string;
  /** The entry that answers it; null for an off-topic question. */
  expected: string | null;
}

/** The paraphrase test set of the retrieval tests plus the off-topic questions, in the grown languages. */
export const QUESTIONS: Question[] = GROWN.flatMap((lang) => [
  ...(PARAPHRASES[lang] ?? []).map(([text, expected]) => ({ lang, text, expected })),
  ...(OFF_TOPIC[lang] ?? []).map((text) => ({ lang, text, expected: null })),
]);

interface Latency {
  search: number[];
  ask: number[];
  /** Paraphrases whose best search match is the right entry. */
  topRight: number;
  /** Paraphrases the ask path answered with the right entry. */
  answeredRight: number;
  /** Questions the ask path answered or offered suggestions for. */
  anything: number;
}

/**
 * The search alone (what grows with the index) and the whole use case the conversation calls: asker,
 * coordinator and local admins from the database, language detection, search, answer template, question log.
 * Every `warmEvery`-th question first warms the code up; the first measured round also counts the right answers.
 */
async function latencies(deps: HelpdeskDeps, questions: Question[], rounds: number, warmEvery: number): Promise<Latency> {
  const out: Latency = { search: [], ask: [], topRight: 0, answeredRight: 0, anything: 0 };
  const ask = (q: Question) => askFaq(deps, { text: q.text, userId: ASKER[q.lang], lang: q.lang, origin: 'web' });
  for (const q of questions.filter((_, i) => i % warmEvery === 0)) {
    deps.faq.search(q.text, q.lang);
    await ask(q);
  }
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      let t = performance.now();
      const found = deps.faq.search(q.text, q.lang);
      out.search.push(ms(t));
      t = performance.now();
      const asked = await ask(q);
      out.ask.push(ms(t));
      if (!asked.ok) throw new Error(`the ask path failed on "${q.text}": ${asked.error.code}`);
      if (r > 0 || !q.expected) continue;
      if (found.matches[0]?.id === q.expected) out.topRight++;
      if (asked.value.id === q.expected) out.answeredRight++;
      if (asked.value.answered || asked.value.suggestions.length > 0) out.anything++;
    }
  }
  return out;
}

/** MiniSearch with its default options on the same documents: the framework's own floor. */
function bareMiniSearch(kb: LanguageKb, questions: Question[], runs: number): { builds: number[]; search: number[] } {
  const docs = kb.entries.map((e) => ({ id: e.id, questions: e.questions.join('\n'), keywords: e.keywords.join('\n'), answer: e.answer }));
  const builds: number[] = [];
  let mini: MiniSearch | null = null;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    mini = new MiniSearch({ fields: ['questions', 'keywords', 'answer'] });
    mini.addAll(docs);
    builds.push(ms(t));
  }
  const own = questions.filter((q) => q.lang === kb.language);
  for (const q of own.slice(0, 5)) mini!.search(q.text);
  const search = own.map((q) => {
    const t = performance.now();
    mini!.search(q.text);
    return ms(t);
  });
  return { builds, search };
}

const percent = (n: number, of: number) => round((100 * n) / of, 1);
/** Sub-millisecond figures keep their digits; never 0, so a ratio stays finite. */
const fine = (x: number) => Math.max(round(x, 3), 0.001);

export const faqBench: Benchmark = {
  name: 'faq',
  async run(ctx) {
    const size = ctx.quick ? 2_000 : 10_000;
    const builds = ctx.quick ? 1 : 5;
    const rounds = ctx.quick ? 1 : 5;
    const langs = ctx.quick ? GROWN_QUICK : GROWN;
    const questions = QUESTIONS.filter((q) => langs.includes(q.lang));
    const core = await testCore();
    let dir: string | null = null;
    try {
      await loadDemo(core.deps, loadDemoData());
      // The deps production wires (area names, command words, the knowledge base read at start-up).
      const base = helpdeskDeps(core);
      // Production's own index, built on the first question: the process's first build, stemmers cold.
      let t = performance.now();
      faqIndex();
      const cold = ms(t);

      const real = loadKnowledgeBase();
      const realSize = real.find((l) => l.language === 'en')!.entries.length;
      t = performance.now();
      const grown = grownKnowledgeBase(real, size, langs);
      dir = grown.dir;
      const big = grown.kb;
      const enBig = big.find((l) => l.language === 'en')!;
      ctx.log(`${size} entries in ${langs.join('/')} (${real.length - langs.length} more languages at the real ${realSize}): generated, written and loaded in ${round(ms(t), 0)} ms`);

      const realBuild = buildTimes(real, builds);
      const bigBuild = buildTimes(big, builds);
      ctx.log(
        `index build, all ${real.length} languages: real ${round(cold, 0)} ms on the first question (the process's first build), ` +
          `${round(median(realBuild.times), 1)} ms median after; ${size}: ${round(median(bigBuild.times), 0)} ms median of ${builds}`,
      );

      const atReal = await latencies(base, questions, rounds, 8);
      // The code is warm by now; a few questions first all the same, for a first search on a new index.
      const atBig = await latencies({ ...base, faq: bigBuild.index }, questions, rounds, 30);
      const paraphrases = questions.filter((q) => q.expected).length;
      if (atBig.anything === 0 || atBig.topRight === 0) throw new Error(`the ask path found nothing for any question at ${size} entries`);
      const p = (xs: number[], q: number) => round(quantile(xs, q), 2);
      ctx.log(`search p50/p99: real ${p(atReal.search, 0.5)}/${p(atReal.search, 0.99)} ms, ${size} ${p(atBig.search, 0.5)}/${p(atBig.search, 0.99)} ms (${atBig.search.length} questions)`);
      ctx.log(`ask p50/p99: real ${p(atReal.ask, 0.5)}/${p(atReal.ask, 0.99)} ms, ${size} ${p(atBig.ask, 0.5)}/${p(atBig.ask, 0.99)} ms`);
      ctx.log(
        `right entry first (search): real ${atReal.topRight}/${paraphrases}, ${size} ${atBig.topRight}/${paraphrases}; ` +
          `answered with the right entry: real ${atReal.answeredRight}, ${size} ${atBig.answeredRight}`,
      );

      const bare = bareMiniSearch(enBig, questions, builds);
      const ourEnBuild = buildTimes([enBig], builds).times;
      const bareBuild = median(bare.builds);
      const ourEnSearch = atBig.search.filter((_, i) => questions[i % questions.length]!.lang === 'en');
      ctx.log(
        `English alone, ${size} entries: build ours ${round(median(ourEnBuild), 0)} ms, bare MiniSearch ${round(bareBuild, 0)} ms; ` +
          `search p50 ours ${p(ourEnSearch, 0.5)} ms, bare ${p(bare.search, 0.5)} ms`,
      );

      const at = `at ${size} entries`;
      const vsReal = `(vs real ${realSize})`;
      return [
        ratioResult({ name: `faq ask p50 ${at} ${vsReal}`, value: fine(quantile(atBig.ask, 0.5)), unit: 'ms', baseline: fine(quantile(atReal.ask, 0.5)), target: null, note: 'askFaq: contacts from the db, language, search, answer, question log' }),
        ratioResult({ name: `faq ask p99 ${at} ${vsReal}`, value: fine(quantile(atBig.ask, 0.99)), unit: 'ms', baseline: fine(quantile(atReal.ask, 0.99)), target: null }),
        ratioResult({ name: `faq search p50 ${at} ${vsReal}`, value: fine(quantile(atBig.search, 0.5)), unit: 'ms', baseline: fine(quantile(atReal.search, 0.5)), target: null, note: 'the index search alone' }),
        ratioResult({ name: `faq search p99 ${at} ${vsReal}`, value: fine(quantile(atBig.search, 0.99)), unit: 'ms', baseline: fine(quantile(atReal.search, 0.99)), target: null }),
        ratioResult({ name: `faq index build ${at} ${vsReal}`, value: round(median(bigBuild.times), 1), unit: 'ms', baseline: round(median(realBuild.times), 1), target: null, note: `all ${real.length} languages, ${langs.length} of them grown; median, warm` }),
        ratioResult({ name: `faq en search p50 ${at} (vs bare MiniSearch)`, value: fine(quantile(ourEnSearch, 0.5)), unit: 'ms', baseline: fine(quantile(bare.search, 0.5)), target: null, note: 'bare: default options (no stop words dropped), same documents' }),
        ratioResult({ name: `faq en index build ${at} (vs bare MiniSearch)`, value: round(median(ourEnBuild), 1), unit: 'ms', baseline: round(bareBuild, 1), target: null }),
        ratioResult({ name: `faq right entry first ${at} ${vsReal}`, value: percent(atBig.topRight, paraphrases), unit: '%', baseline: percent(atReal.topRight, paraphrases), higherIsBetter: true, target: null, note: `${paraphrases} paraphrases in ${langs.join('/')}` }),
        ratioResult({ name: `faq answered right ${at} ${vsReal}`, value: percent(atBig.answeredRight, paraphrases), unit: '%', baseline: percent(atReal.answeredRight, paraphrases), higherIsBetter: true, target: null }),
      ] satisfies Result[];
    } finally {
      await core.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};

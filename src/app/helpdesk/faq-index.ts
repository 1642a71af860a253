import MiniSearch from 'minisearch';
import { analyzerFor, fold, words, type Analyzer } from './text-analysis.ts';
import type { KbEntry, KnowledgeBase, LanguageKb } from './knowledge-base.ts';

/** An entry that matches a question, with a confidence between 0 and 1. */
export interface FaqMatch {
  id: string;
  score: number;
}

export interface FaqSearch {
  /** The language whose index was searched. */
  lang: string;
  /** Best first. */
  matches: FaqMatch[];
}

/**
 * Below this confidence the bot does not answer but offers suggestions and the hand-over.
 * Measured on tests/integration/faq-retrieval.test.ts: paraphrases score well above, off-topic questions below.
 */
export const CONFIDENCE_THRESHOLD = 0.5;

/**
 * Two entries this close explain the question equally well ("training": courses or the training
 * mode?); rather than guess, the bot asks which one was meant.
 */
export const AMBIGUITY_RATIO = 0.95;

/** The match to answer with: confident enough and clearly ahead of the next one; null otherwise. */
export function confidentMatch(matches: FaqMatch[], threshold: number): FaqMatch | null {
  const [top, second] = matches;
  if (!top || top.score < threshold) return null;
  return second && second.score >= top.score * AMBIGUITY_RATIO ? null : top;
}

/** The searchable knowledge base: one MiniSearch index per language. */
export interface FaqIndex {
  languages: string[];
  threshold: number;
  /** The knowledge base of a language, or English when the language has none. */
  kb(lang: string): LanguageKb;
  /** An entry in a language; entries a language lacks come from English. */
  entry(lang: string, id: string): KbEntry | null;
  /** Searches one language's index. */
  search(text: string, lang: string): FaqSearch;
  /** The supported language the question is most likely written in, or null when nothing tells. */
  detect(text: string): string | null;
}

interface LanguageIndex {
  kb: LanguageKb;
  analyzer: Analyzer;
  search: MiniSearch;
  /** In how many entries each term occurs (questions and keywords), for term weights. */
  df: Map<string, number>;
  /** Folded surface words of the language's texts, to recognise the language. */
  vocabulary: Set<string>;
}

/** Letters that mostly belong to one of the languages; a light hint for short questions. */
const LETTER_HINTS: Record<string, RegExp> = {
  hu: /[őűŐŰ]/,
  de: /[ßäÄ]/,
  fr: /[çàâêèëîïôûùœÇÀÂÊÈ]/,
};

const FIELD_BOOST = { questions: 2, keywords: 1.5, answer: 0.3 };

/** Marks a whole word among the stems in the index. */
const SURFACE = '=';

function buildLanguage(kb: LanguageKb): LanguageIndex {
  const analyzer = analyzerFor(kb.language, kb.stopWordExceptions);
  const search = new MiniSearch({
    fields: ['questions', 'keywords', 'answer'],
    tokenize: (text) => words(text),
    // The stem finds other forms of a word; the word itself, marked with "=", lets the same wording
    // win where two words share a stem (English "registered" and "registers" both stem to "regist").
    processTerm: (term) => {
      const stem = analyzer.term(term);
      return stem === null ? null : [stem, `${SURFACE}${fold(term)}`];
    },
  });
  const df = new Map<string, number>();
  const vocabulary = new Set<string>();
  for (const e of kb.entries) {
    const asked = [...e.questions, ...e.keywords].join('\n');
    // Placeholders and links say nothing about the topic.
    const answer = e.answer.replace(/\{\{[^}]*\}\}|https?:\S+/g, ' ');
    search.add({ id: e.id, questions: e.questions.join('\n'), keywords: e.keywords.join('\n'), answer });
    for (const t of new Set(analyzer.terms(asked))) df.set(t, (df.get(t) ?? 0) + 1);
    for (const w of words(`${asked}\n${answer}`)) vocabulary.add(fold(w));
  }
  return { kb, analyzer, search, df, vocabulary };
}

/**
 * A word the knowledge base has never seen weighs like a common one: paraphrases bring their own
 * words, and off-topic questions ("recipe for goulash") explain nothing either way.
 */
const UNKNOWN_WEIGHT = 1.2;

/**
 * Matched term weight below which the confidence shrinks: one ordinary word ("what time is it")
 * is not enough to be sure, one distinctive word ("helpdesk") or two ordinary ones are.
 */
const ENOUGH_EVIDENCE = 3;

/**
 * How much of the question an entry explains: the share of the question's term weight (rarer terms
 * weigh more) that the entry's phrasings and keywords contain, a match only in the answer counting half,
 * scaled down when the matched evidence is thin. Values tuned on the retrieval test set.
 */
function coverage(
  index: LanguageIndex,
  queryTerms: string[],
  match: Record<string, string[]>,
): number {
  const n = index.kb.entries.length;
  const weight = (t: string) => (index.df.has(t) ? Math.log(1 + n / (index.df.get(t)! + 0.5)) : UNKNOWN_WEIGHT);
  let total = 0;
  let covered = 0;
  for (const q of queryTerms) {
    const w = weight(q);
    total += w;
    let best = 0;
    for (const [docTerm, fields] of Object.entries(match)) {
      const asked = fields.some((f) => f !== 'answer');
      const exact = docTerm === q;
      const related = exact || docTerm.startsWith(q) || q.startsWith(docTerm) || nearlyEqual(docTerm, q);
      if (!related) continue;
      const strength = (exact ? 1 : 0.75) * (asked ? 1 : 0.5);
      best = Math.max(best, strength);
    }
    covered += w * best;
  }
  return total === 0 ? 0 : (covered / total) * Math.min(1, covered / ENOUGH_EVIDENCE);
}

/** Edit distance of at most a fifth of the length: the same tolerance the fuzzy search uses. */
function nearlyEqual(a: string, b: string): boolean {
  const limit = Math.floor(Math.max(a.length, b.length) * 0.2);
  if (limit === 0 || Math.abs(a.length - b.length) > limit) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]! <= limit;
}

function searchLanguage(index: LanguageIndex, text: string): FaqMatch[] {
  const queryTerms = [...new Set(index.analyzer.terms(text))];
  if (queryTerms.length === 0) return [];
  const results = index.search.search(text, {
    boost: FIELD_BOOST,
    prefix: (term) => !term.startsWith(SURFACE) && term.length >= 4,
    fuzzy: (term) => (!term.startsWith(SURFACE) && term.length >= 6 ? 0.2 : false),
    combineWith: 'OR',
  });
  if (results.length === 0) return [];
  const top = results[0]!.score;
  return results
    .map((r) => ({
      id: String(r.id),
      // BM25 orders entries that explain the same share of the question; coverage makes it absolute.
      score: coverage(index, queryTerms, r.match) * Math.sqrt(r.score / top),
      raw: r.score,
    }))
    .sort((a, b) => b.score - a.score || b.raw - a.raw)
    .map(({ id, score }) => ({ id, score: Math.round(score * 1000) / 1000 }));
}

/** Builds the per-language indexes of a knowledge base (a few milliseconds for the seed). */
export function buildFaqIndex(kb: KnowledgeBase, threshold = CONFIDENCE_THRESHOLD): FaqIndex {
  const indexes = new Map(kb.map((l) => [l.language, buildLanguage(l)]));
  const reference = indexes.get('en') ?? indexes.values().next().value;
  if (!reference) throw new Error('the FAQ knowledge base has no language');
  const indexOf = (lang: string) => indexes.get(lang) ?? reference;
  return {
    languages: [...indexes.keys()].sort(),
    threshold,
    kb: (lang) => indexOf(lang).kb,
    entry: (lang, id) =>
      indexOf(lang).kb.entries.find((e) => e.id === id) ?? reference.kb.entries.find((e) => e.id === id) ?? null,
    search: (text, lang) => {
      const index = indexOf(lang);
      return { lang: index.kb.language, matches: searchLanguage(index, text) };
    },
    detect: (text) => {
      const ws = words(text);
      if (ws.length === 0) return null;
      let best: string | null = null;
      let bestScore = 0;
      let tie = false;
      for (const [lang, index] of indexes) {
        const known = ws.filter((w) => index.analyzer.isStopWord(w) || index.vocabulary.has(fold(w))).length;
        const score = known / ws.length + (LETTER_HINTS[lang]?.test(text) ? 0.25 : 0);
        if (score > bestScore) {
          best = lang;
          bestScore = score;
          tie = false;
        } else if (score === bestScore) {
          tie = true;
        }
      }
      return bestScore > 0 && !tie ? best : null;
    },
  };
}

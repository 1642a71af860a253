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
  /** Best first, at most MAX_MATCHES. */
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
  byId: Map<string, KbEntry>;
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
  // The knowledge base repeats its words and folding normalises Unicode: each word is folded once while
  // building (this dominated the build). Queries fold without the cache, so it does not grow with them.
  const folded = new Map<string, string>();
  const foldOnce = (word: string): string => {
    let f = folded.get(word);
    if (f === undefined) folded.set(word, (f = fold(word)));
    return f;
  };
  const df = new Map<string, number>();
  const vocabulary = new Set<string>();
  /** The terms of the phrasings and keywords of the entry being added, for the term weights. */
  let asked = new Set<string>();
  const search = new MiniSearch({
    fields: ['questions', 'keywords', 'answer'],
    tokenize: (text) => words(text),
    // The stem finds other forms of a word; the word itself, marked with "=", lets the same wording
    // win where two words share a stem (English "registered" and "registers" both stem to "regist").
    // Answers get stems only: the wording is the asker's, and whole words there doubled the answer
    // postings a question has to go through, the largest part of a search in a big knowledge base.
    // Indexing sees every word once, so it also collects the vocabulary and the term weights.
    processTerm: (word, field) => {
      const surface = foldOnce(word);
      vocabulary.add(surface);
      const stem = analyzer.term(word);
      if (stem === null) return null;
      if (field === 'answer') return stem;
      asked.add(stem);
      return [stem, `${SURFACE}${surface}`];
    },
    searchOptions: {
      processTerm: (word) => {
        const stem = analyzer.term(word);
        return stem === null ? null : [stem, `${SURFACE}${fold(word)}`];
      },
    },
  });
  for (const e of kb.entries) {
    asked = new Set();
    // Placeholders and links say nothing about the topic.
    const answer = e.answer.replace(/\{\{[^}]*\}\}|https?:\S+/g, ' ');
    search.add({ id: e.id, questions: e.questions.join('\n'), keywords: e.keywords.join('\n'), answer });
    for (const t of asked) df.set(t, (df.get(t) ?? 0) + 1);
  }
  return { kb, byId: new Map(kb.entries.map((e) => [e.id, e])), analyzer, search, df, vocabulary };
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
 * Made once per question: the weights and how each matched term relates to the question's terms
 * (an edit distance) are the same for every entry, and a large knowledge base returns thousands.
 */
function coverageFor(index: LanguageIndex, queryTerms: string[]): (match: Record<string, string[]>) => number {
  const n = index.kb.entries.length;
  const weights = queryTerms.map((t) => (index.df.has(t) ? Math.log(1 + n / (index.df.get(t)! + 0.5)) : UNKNOWN_WEIGHT));
  const total = weights.reduce((a, b) => a + b, 0);
  const relations = new Map<string, number[]>();
  const relation = (docTerm: string): number[] => {
    let r = relations.get(docTerm);
    if (r === undefined) {
      r = queryTerms.map((q) =>
        docTerm === q ? 1 : docTerm.startsWith(q) || q.startsWith(docTerm) || nearlyEqual(docTerm, q) ? 0.75 : 0,
      );
      relations.set(docTerm, r);
    }
    return r;
  };
  return (match) => {
    const best = weights.map(() => 0);
    for (const [docTerm, fields] of Object.entries(match)) {
      const asked = fields.some((f) => f !== 'answer') ? 1 : 0.5;
      const r = relation(docTerm);
      for (let i = 0; i < best.length; i++) best[i] = Math.max(best[i]!, r[i]! * asked);
    }
    const covered = best.reduce((sum, b, i) => sum + weights[i]! * b, 0);
    return total === 0 ? 0 : (covered / total) * Math.min(1, covered / ENOUGH_EVIDENCE);
  };
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

/** More than anyone is shown: the answer, the runner-up that makes it ambiguous, three suggestions. */
export const MAX_MATCHES = 10;

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
  const coverage = coverageFor(index, queryTerms);
  const scored: { id: string; score: number; raw: number }[] = [];
  /** The best MAX_MATCHES scores so far, best first. */
  const best: number[] = [];
  for (const r of results) {
    // BM25 orders entries that explain the same share of the question; coverage makes it absolute.
    const ceiling = Math.sqrt(r.score / top);
    // Results come best BM25 first and coverage is at most 1: once the ceiling is below the
    // MAX_MATCHES-th score, no later entry can make the list (saves the rest of a large index).
    if (best.length === MAX_MATCHES && ceiling < best[MAX_MATCHES - 1]!) break;
    const score = coverage(r.match) * ceiling;
    scored.push({ id: String(r.id), score, raw: r.score });
    const at = best.findIndex((b) => b < score);
    best.splice(at === -1 ? best.length : at, 0, score);
    if (best.length > MAX_MATCHES) best.pop();
  }
  return scored
    .sort((a, b) => b.score - a.score || b.raw - a.raw)
    .slice(0, MAX_MATCHES)
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
    entry: (lang, id) => indexOf(lang).byId.get(id) ?? reference.byId.get(id) ?? null,
    search: (text, lang) => {
      const index = indexOf(lang);
      return { lang: index.kb.language, matches: searchLanguage(index, text) };
    },
    detect: (text) => {
      const ws = words(text);
      if (ws.length === 0) return null;
      const folded = ws.map(fold);
      let best: string | null = null;
      let bestScore = 0;
      let tie = false;
      for (const [lang, index] of indexes) {
        const known = ws.filter((w, i) => index.analyzer.isStopWord(w) || index.vocabulary.has(folded[i]!)).length;
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

import { createRequire } from 'node:module';
import { stemmerFor } from './stemmers.ts';

// Required when the first analyzer is made (the FAQ index, on the first question), not at start-up:
// the package is one 240 kB file of every language's list.
const require = createRequire(import.meta.url);
let lists: Record<string, string[] | undefined> | null = null;
const stopwordLists = () => (lists ??= require('stopword') as Record<string, string[] | undefined>);

/** Stop-word lists of the `stopword` package are named by ISO 639-3. */
const STOPWORD_LISTS: Record<string, string> = {
  en: 'eng', hu: 'hun', de: 'deu', fr: 'fra', es: 'spa', it: 'ita', nl: 'nld', pt: 'por', ro: 'ron', sv: 'swe',
  da: 'dan', fi: 'fin', cs: 'ces', sl: 'slv', ga: 'gle', no: 'nob', pl: 'pol', el: 'ell', bg: 'bul', hr: 'hrv',
  sk: 'slk', lv: 'lav', lt: 'lit', et: 'est',
};

/** Built once: the transpiler turns a /\p{…}/ literal into a `new RegExp` that would be built on every call. */
const MARKS = /\p{M}+/gu;

/**
 * Lower case without accents, so "határidő" typed as "hatarido" still matches. Plain ASCII has
 * nothing to fold and skips the Unicode normalisation, the costly part of indexing and detection.
 */
export const fold = (s: string): string =>
  /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : s.normalize('NFD').replace(MARKS, '').toLowerCase();

/** Words as a person would count them: letters and digits, split on everything else (also French elisions). */
export const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

export interface Analyzer {
  lang: string;
  /** The index term of one word, or null for a stop word. */
  term(word: string): string | null;
  /** Whether the word is a stop word of the language (used to recognise the language of a question). */
  isStopWord(word: string): boolean;
  /** Index terms of a text, stop words removed, duplicates kept. */
  terms(text: string): string[];
}

/**
 * A language's analyzer: stop words out, snowball stem, accents folded. `keep` lists words the
 * generic stop-word list would drop but which carry meaning in our questions (German "neue Frist").
 */
export function analyzerFor(lang: string, keep: string[] = []): Analyzer {
  const list = stopwordLists()[STOPWORD_LISTS[lang] ?? ''] ?? [];
  const kept = new Set(keep.map((w) => w.toLowerCase()));
  const stop = new Set(list.map((w) => w.toLowerCase()).filter((w) => !kept.has(w)));
  const stem = stemmerFor(lang);
  // Queries repeat the knowledge base's words; stemming each once is enough.
  const memo = new Map<string, string | null>();
  const term = (word: string): string | null => {
    const w = word.toLowerCase();
    let t = memo.get(w);
    if (t === undefined) {
      t = stop.has(w) || (w.length < 2 && !/\d/.test(w)) ? null : fold(stem ? stem(w) : w);
      memo.set(w, t);
    }
    return t;
  };
  return {
    lang,
    term,
    isStopWord: (word) => stop.has(word.toLowerCase()),
    terms: (text) => words(text).map(term).filter((t): t is string => t !== null),
  };
}

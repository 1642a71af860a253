/** Letters that do not decompose into a base letter and a mark, spelled the way registers write them. */
const FOLDS: Record<string, string> = { ß: 'ss', ł: 'l', ø: 'o', đ: 'd', ð: 'd', þ: 'th', æ: 'ae', œ: 'oe', ı: 'i' };

/** The words of a text in the order written, without accents, case or punctuation. */
export function foldedWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßłøđðþæœı]/g, (c) => FOLDS[c] ?? c)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * A name reduced for matching: without accents, case or punctuation, its words in alphabetical
 * order, so "KOVÁCS Anna" matches "Anna Kovacs" (family name first or last, as countries write it).
 */
export function nameKey(name: string): string {
  return foldedWords(name).sort().join(' ');
}

/**
 * Whether a free text names the person whose name key is `key`: all of the name's words side by
 * side, in any order ("Frau Kovács Anna", "Anna Kovacs's diploma"). A name of one word is not
 * looked for in texts: a first or family name alone would find other people.
 */
export function mentions(text: string, key: string): boolean {
  const n = key ? key.split(' ').length : 0;
  if (n < 2) return false;
  const words = foldedWords(text);
  for (let i = 0; i + n <= words.length; i++) {
    if (words.slice(i, i + n).sort().join(' ') === key) return true;
  }
  return false;
}

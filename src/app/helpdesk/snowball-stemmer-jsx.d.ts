/** The Snowball project's own stemmers compiled to JavaScript: one CommonJS file per language. */
declare module 'snowball-stemmer.jsx/dest/*' {
  /** A stemmer instance; stateful, so one per language and never shared across threads. */
  interface SnowballStemmer {
    stemWord(word: string): string;
  }
  const stemmers: Record<string, new () => SnowballStemmer>;
  export default stemmers;
}

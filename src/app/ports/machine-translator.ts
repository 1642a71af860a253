/** Machine translation of free text between officials' languages (LibreTranslate, DeepL). */
export interface MachineTranslator {
  /** Which service translated, shown to readers and stored with cached translations. */
  readonly provider: string;
  /** Translates text; rejects when the service cannot be reached or refuses. */
  translate(text: string, from: string, to: string): Promise<string>;
}

/** Guesses the language a text is written in. */
export interface LanguageDetector {
  /** A language code ("hu") and whether the guess is reliable; null when the text gives nothing to go on. */
  detect(text: string): { language: string | null; reliable: boolean };
}

/** Translations already made, so the same text is sent to the service once per target language. */
export interface TranslationRepository {
  get(hash: string, target: string): Promise<{ text: string; provider: string } | null>;
  put(entry: { hash: string; source: string; target: string; text: string; provider: string; at: string }): Promise<void>;
}

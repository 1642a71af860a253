import { createHash } from 'node:crypto';
import type { AppDeps } from '../deps.ts';

/** Free text as a reader is shown it. */
export interface ShownText {
  text: string;
  original: string;
  /** The language the author wrote in. */
  from: string;
  /** Set when `text` is a machine translation, naming the service. */
  machineTranslatedBy: string | null;
  /** True when a translation was wanted but the service could not be reached; it is tried again later. */
  unavailable: boolean;
}

/** After a failure the service is left alone for a while, so an outage costs one timeout, not one per text. */
const backoff = { until: 0 };

export const translationRetryMs = (): number => Number(process.env.TRANSLATOR_RETRY_SECONDS ?? 60) * 1000;

const hashOf = (text: string, from: string) => createHash('sha256').update(`${from}\u0000${text}`).digest('hex');

/**
 * The text in the reader's language: from the cache, else from the translation service;
 * when the service is down the original is shown and nothing waits on it.
 */
export async function translateForReader(deps: AppDeps, original: string, from: string, to: string): Promise<ShownText> {
  const shown: ShownText = { text: original, original, from, machineTranslatedBy: null, unavailable: false };
  if (!original.trim() || from === to || !deps.translator) return shown;
  const hash = hashOf(original, from);
  const cached = await deps.store.translations.get(hash, to);
  if (cached) return { ...shown, text: cached.text, machineTranslatedBy: cached.provider };
  if (Date.now() < backoff.until) return { ...shown, unavailable: true };
  try {
    const text = await deps.translator.translate(original, from, to);
    await deps.store.translations.put({ hash, source: from, target: to, text, provider: deps.translator.provider, at: deps.clock.now().toISOString() });
    return { ...shown, text, machineTranslatedBy: deps.translator.provider };
  } catch (err) {
    backoff.until = Date.now() + translationRetryMs();
    console.warn(`imi-bot: translation service unavailable (${err instanceof Error ? err.message : String(err)}); showing originals`);
    return { ...shown, unavailable: true };
  }
}

/** The language of a text, when the detector is sure enough; otherwise the fallback. */
export function detectLanguage(deps: AppDeps, text: string, supported: string[], fallback: string): string {
  const guess = deps.detector?.detect(text);
  return guess?.language && guess.reliable && supported.includes(guess.language) ? guess.language : fallback;
}
